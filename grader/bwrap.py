"""The student's kernel inside bubblewrap: what it can see, what it may do, and how it starts.

Each submission gets a ``Sandbox``: a private folder on the host (``/tmp/kXXXXXXXX``, root's
only) holding what the kernel shares with the grader, and the ``bwrap`` command that starts the
kernel. Inside, the kernel finds:

- the Python environment, read-only (the virtual environment and the interpreter it was made
  from, at their real paths), and the operating system's ``/usr`` (libraries), read-only;
- a read-only copy of what it imports from the course: the ``course`` package and
  ``grader/rpc.py``, nothing else of the repository (``PYTHONPATH`` points there, ahead of the
  editable install, whose paths lead nowhere inside);
- its own ``/proc`` (its own PID namespace: no process of the grader is visible), a minimal
  ``/dev``, and a private ``/tmp`` of limited size, which is also its home and working folder;
- the folders it shares with the grader: its sockets (writable until the kernel has started),
  the grader's calls (read-only) and two reply files it may overwrite, nothing more. (Its stdout
  and stderr, which ipykernel redirects into the notebook, lead to a log in the private folder.)

The repository, other students' folders, the gradebook and the grading output do not exist
there. The kernel runs under its own unprivileged uid (``UID_BASE`` + the grading worker's pid,
so no account and no other sandbox has it) when the grader is root, else as 65534 in a user
namespace; with no capabilities, no new privileges, no network, a new session, and limits on
memory, CPU time, processes and file size (``prlimit``). When the kernel exits or is killed,
every process it started dies with its PID namespace.

``--no-sandbox`` (``Sandbox(enabled=False)``) keeps the limits and the shared folders but runs
the kernel as the grader's own user, seeing everything the grader sees.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import zmq
from jupyter_client.manager import AsyncKernelManager
from traitlets import Any

from grader.labs import REPO
from grader.limits import FILE_MB, MEMORY_MB, PROCESSES, TMP_MB

UID_BASE = 1_500_000_000
BIG_MESSAGE = 8 * 2**20  # bytes: a kernel's message larger than this is dropped by the grader
QUEUED_MESSAGES = 16  # per socket: the grader holds at most 128 MiB of a kernel's messages on each


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot start a kernel on this machine."""


@dataclass(frozen=True)
class Limits:
    memory_mb: int = MEMORY_MB  # address space of each process
    cpu_seconds: int = 1200  # CPU time of each process (the grader sets it from the wall limit)
    processes: int = PROCESSES  # processes and threads of the sandbox's uid together
    file_mb: int = FILE_MB  # largest file it may write
    tmp_mb: int = TMP_MB  # its /tmp, home and working folder
    network: bool = False


def bwrap() -> str:
    """The bubblewrap executable (``COURSE_BWRAP`` overrides it, e.g. to test a machine without it)."""
    return os.environ.get("COURSE_BWRAP") or shutil.which("bwrap") or "bwrap"


def python_environment() -> tuple[Path, Path]:
    """The virtual environment and the interpreter installation it uses, at their real paths."""
    return Path(os.path.realpath(sys.prefix)), Path(os.path.realpath(sys.base_prefix))


class Sandbox:
    """One submission's sandbox: its shared folder on the host and the command that starts it."""

    def __init__(self, limits: Limits = Limits(), enabled: bool = True) -> None:
        self.limits, self.enabled = limits, enabled
        self.as_root = os.geteuid() == 0
        self.uid = UID_BASE + os.getpid() if self.as_root else 65534
        self.folder = Path(tempfile.mkdtemp(prefix="k", dir="/tmp"))  # short: Unix socket paths are limited
        self.lib, self.sockets, self.calls, self.replies = (self.folder / n for n in ("lib", "ipc", "call", "reply"))
        for path in (self.lib, self.sockets, self.calls, self.replies):
            path.mkdir(mode=0o755)
        shutil.copytree(REPO / "course", self.lib / "course", ignore=shutil.ignore_patterns("__pycache__"))
        (self.lib / "grader").mkdir()
        for name in ("__init__.py", "rpc.py"):
            shutil.copy(REPO / "grader" / name, self.lib / "grader" / name)
        self.connection_file, self.log = self.folder / "kernel.json", self.folder / "kernel.log"
        self.call, self.reply = str(self.calls / "call"), str(self.replies / "reply")
        for suffix in (".json", ".npz"):  # the only files the kernel may write outside its /tmp
            Path(self.reply + suffix).touch(mode=0o600)
        self._give(self.sockets, *(self.reply + s for s in (".json", ".npz")))

    def _give(self, *paths) -> None:
        """Hand paths to the sandbox's uid (as root; otherwise the kernel runs as our own uid)."""
        if self.as_root and self.enabled:
            for path in paths:
                os.chown(path, self.uid, self.uid)

    def hand_over_connection_file(self, path: str) -> None:
        self._give(path)

    def lock_sockets(self) -> None:
        """Once the kernel has bound its sockets, it may create nothing more in that folder."""
        if self.as_root and self.enabled:
            os.chown(self.sockets, 0, 0)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def complaint(self) -> str:
        """The last thing bwrap, setpriv or prlimit said in the kernel's log (why it could not run)."""
        try:
            lines = self.log.read_bytes()[-4096:].decode(errors="replace").splitlines()
        except OSError:
            return ""
        said = [line for line in lines if line.startswith(("bwrap:", "setpriv:", "prlimit:"))]
        return said[-1][:200] if said else ""

    def environment(self) -> dict[str, str]:
        env = {
            "PATH": f"{python_environment()[0] / 'bin'}:/usr/bin:/bin",
            "HOME": "/tmp", "USER": "student", "LOGNAME": "student", "LANG": "C.UTF-8", "TMPDIR": "/tmp",
            "PYTHONPATH": str(self.lib), "PYTHONDONTWRITEBYTECODE": "1",
            "MPLCONFIGDIR": "/tmp/.matplotlib", "NUMBA_CACHE_DIR": "/tmp/.numba",
            "JPY_PARENT_PID": "1",  # ipykernel: no parent to watch (bwrap's init is our parent), no console note
            "COURSE_CHECK_KERNELS": "1",  # CUDA kernels always run under course.cuda_check when graded
            "COURSE_SANDBOX": (f"bubblewrap uid={self.uid}" if self.enabled else "none")
            + f" memory_mb={self.limits.memory_mb} network={'on' if self.limits.network or not self.enabled else 'off'}",
        }
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            if var in os.environ:
                env[var] = os.environ[var]
        return env

    def command(self, args: list[str]) -> list[str]:
        """The command line that runs ``python *args`` in the sandbox, within its limits."""
        lim = self.limits
        limits = ["prlimit", f"--as={lim.memory_mb * 2**20}", f"--cpu={lim.cpu_seconds}", f"--nproc={lim.processes}",
                  f"--fsize={lim.file_mb * 2**20}", "--core=0", "--"]
        if not self.enabled:
            course_env = [f"{k}={v}" for k, v in self.environment().items() if k.startswith("COURSE_")]
            return ["env", *course_env, *limits, sys.executable, *args]
        cmd = [bwrap(), "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
               *([] if lim.network else ["--unshare-net"]), "--die-with-parent", "--new-session", "--clearenv"]
        if self.as_root:  # no user namespace, so that the kernel's uid is unprivileged on the host too
            user = ["setpriv", f"--reuid={self.uid}", f"--regid={self.uid}", "--clear-groups",
                    "--bounding-set=-all", "--inh-caps=-all", "--no-new-privs", "--"]
        else:
            cmd += ["--unshare-user", "--uid", "65534", "--gid", "65534", "--cap-drop", "ALL"]
            user = []
        for key, value in self.environment().items():
            cmd += ["--setenv", key, value]
        cmd += ["--ro-bind", "/usr", "/usr"]
        for top in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):  # merged /usr: links into it
            host = Path("/") / top
            if host.is_symlink():
                cmd += ["--symlink", os.readlink(host), str(host)]
        cmd += ["--proc", "/proc", "--dev", "/dev", "--size", str(lim.tmp_mb * 2**20), "--perms", "1777", "--tmpfs", "/tmp"]
        etc = [Path("/etc/ld.so.cache"), Path("/etc/fonts")]  # shared libraries; matplotlib asks fontconfig
        shared = [("--ro-bind", p) for p in [*etc, *python_environment()] if p.exists()]
        shared += [("--ro-bind", self.lib), ("--ro-bind", self.calls), ("--bind", self.replies), ("--bind", self.sockets)]
        if self.connection_file.exists():
            shared.append(("--ro-bind", self.connection_file))
        bound, made = [Path("/usr")], set()
        for kind, path in shared:  # each at its own path, its parents made first (bwrap would make them 0700)
            if any(path.is_relative_to(b) for b in bound):
                continue
            for parent in reversed(path.parents[:-1]):
                if parent not in made:
                    cmd += ["--dir", str(parent)]
                    made.add(parent)
            cmd += [kind, str(path), str(path)]
            bound.append(path)
        return [*cmd, "--chdir", "/tmp", "--", *user, *limits, str(python_environment()[0] / "bin" / "python"), *args]

    def probe(self) -> None:
        """Start Python in the sandbox once; raise ``SandboxUnavailable`` with the reason if it fails."""
        if shutil.which(bwrap()) is None:
            raise SandboxUnavailable(f"bubblewrap ({bwrap()}) is not installed")
        code = "import course, grader.rpc, numpy, os; print('sandbox ok', os.getuid())"
        try:
            proc = subprocess.run(self.command(["-c", code]), capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SandboxUnavailable(f"{type(exc).__name__}: {exc}") from exc
        if proc.returncode != 0 or f"sandbox ok {self.uid}" not in proc.stdout:
            detail = (proc.stderr.strip() or proc.stdout.strip() or f"exit code {proc.returncode}").splitlines()[-1]
            raise SandboxUnavailable(detail[:300])


def check_sandbox(limits: Limits = Limits()) -> None:
    """Raise ``SandboxUnavailable`` unless a kernel can start in the sandbox on this machine."""
    box = Sandbox(limits)
    try:
        box.probe()
    finally:
        box.close()


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager that starts IPython's kernel inside a ``Sandbox``, over Unix sockets."""

    sandbox = Any()

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        return self.sandbox.command(["-m", "ipykernel_launcher", "-f", self.connection_file,
                                     "--IPKernelApp.outstream_class=grader.rpc.KernelOutput", *(extra_arguments or [])])

    def write_connection_file(self, **kwargs) -> None:
        super().write_connection_file(**kwargs)
        self.sandbox.hand_over_connection_file(self.connection_file)

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        """The kernel's own stdout and stderr go to a log beside it, not to the grader's terminal."""
        with open(self.sandbox.log, "ab") as log:
            kw.update(stdout=log, stderr=subprocess.STDOUT)
            await super()._async_launch_kernel(kernel_cmd, **kw)

    def client(self, **kwargs):
        """A client whose sockets drop oversized messages and queue few: the grader's memory stays bounded."""
        kc = super().client(**kwargs)
        kc.context.setsockopt(zmq.MAXMSGSIZE, BIG_MESSAGE)
        kc.context.setsockopt(zmq.RCVHWM, QUEUED_MESSAGES)
        return kc


def kernel_manager(sandbox: Sandbox, **kwargs) -> SandboxedKernelManager:
    return SandboxedKernelManager(
        sandbox=sandbox, transport="ipc", ip=str(sandbox.sockets / "k"),
        connection_file=str(sandbox.connection_file), **kwargs,
    )
