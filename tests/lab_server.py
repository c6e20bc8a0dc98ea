"""A JupyterLab server started by a command as a person types it, for the tests to talk to.

``running`` starts the command in its own process group, waits for the address with the token that
JupyterLab prints, and stops the whole group afterwards (also when the test fails)."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ADDRESS = re.compile(r"(http://127\.0\.0\.1:\d+)/lab\?token=([0-9a-f]+)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    base: str  # http://127.0.0.1:PORT
    token: str
    log: Path

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"

    def _open(self, path: str, method: str = "GET", body: dict | None = None):
        """A request authenticated by the token, as JupyterLab's own pages make it."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url(path), data=data, method=method,
                                         headers={"Authorization": f"token {self.token}"})
        return urllib.request.urlopen(request, timeout=120)

    def call(self, path: str, method: str = "GET", body: dict | None = None) -> object:
        """A JSON call to the server's REST API."""
        with self._open(path, method, body) as response:
            return json.loads(response.read().decode())

    def status(self, path: str) -> int:
        with self._open(path) as response:
            return response.status

    def text(self, path: str) -> str:
        with self._open(path) as response:
            return response.read().decode()


@contextmanager
def running(command: str, cwd: Path, env: dict[str, str], timeout: float = 120):
    """Run ``command`` (a shell line) and yield the JupyterLab ``Server`` it starts."""
    with tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False) as log:
        proc = subprocess.Popen(command, shell=True, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    path = Path(log.name)
    try:
        deadline = time.monotonic() + timeout
        while True:
            found = ADDRESS.search(path.read_text(errors="replace"))
            if found:
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{command!r} started no JupyterLab (exit {proc.poll()}):\n{path.read_text()[-4000:]}")
            time.sleep(0.5)
        server = Server(found.group(1), found.group(2), path)
        for _ in range(120):  # the address is printed just before the server answers
            try:
                server.status("api/status")
                break
            except OSError:
                time.sleep(0.5)
        yield server
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        path.unlink(missing_ok=True)
