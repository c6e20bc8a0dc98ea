"""The grading sandbox (grader/bwrap.py) on its own: what a process inside it is, sees and may do;
autograde refusing to run without it; the RPC files, feedback HTML and grade table it relies on."""

from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
import zipfile

import numpy as np
import pytest

from grader import rpc
from grader.autograde import GradeRow, autograde, write_csv
from grader.bwrap import UID_BASE, Limits, Sandbox, python_environment
from grader.labs import REPO, find_lab
from grader.preprocessors import clean_html

# Run inside the sandbox: reports facts as JSON. argv: repo, port of a server on the host's loopback.
FACTS = r"""
import json, os, resource, socket, sys
repo, port = sys.argv[1], int(sys.argv[2])
status = dict(line.split(':', 1) for line in open('/proc/self/status').read().splitlines())
facts = {key: status[key].strip() for key in ('CapEff', 'CapPrm', 'CapBnd', 'CapAmb', 'NoNewPrivs', 'Uid', 'Gid', 'Groups')}
facts['uid_map'] = open('/proc/self/uid_map').read().split()
facts['pids'] = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())
facts['pid1'] = open('/proc/1/cmdline', 'rb').read().split(bytes(1))[0].decode()
facts['top'] = sorted(os.listdir('/'))
# what of the repository the kernel finds: nothing, or (when the environment lives in the
# repository, as `make env` puts it) only the folders that lead to the read-only environment
facts['repo_files'] = sorted(os.path.relpath(os.path.join(d, n), repo) for d, dirs, files in os.walk(repo)
                             for n in files if not os.path.join(d, n).startswith(sys.prefix + os.sep))
facts['solutions_exist'] = os.path.exists(os.path.join(repo, 'solutions'))
facts['session'] = os.getsid(0)  # 0 if its leader were outside (the grader's session)
try:
    open(sys.prefix + '/course-was-here', 'w')
    facts['venv_writable'] = True
except OSError:
    facts['venv_writable'] = False
tmp = os.statvfs('/tmp')
facts['tmp_mb'] = tmp.f_blocks * tmp.f_frsize // 2**20
facts['limits'] = {name: resource.getrlimit(getattr(resource, 'RLIMIT_' + name))[0]
                   for name in ('AS', 'CPU', 'NPROC', 'FSIZE', 'CORE')}
facts['interfaces'] = [name for _, name in socket.if_nameindex()]
try:
    socket.create_connection(('127.0.0.1', port), timeout=2)
    facts['connect'] = 'connected'
except OSError as exc:
    facts['connect'] = type(exc).__name__
import course, grader.rpc
facts['imports'] = [course.__file__, grader.rpc.__file__]
try:
    import grader.bwrap
    facts['grader_bwrap'] = grader.bwrap.__file__
except ImportError:
    facts['grader_bwrap'] = None
facts['env'] = dict(os.environ)
print(json.dumps(facts))
"""


@pytest.fixture(scope="module")
def facts():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    box = Sandbox(Limits(memory_mb=2048, processes=64, tmp_mb=64))
    try:
        proc = subprocess.run(box.command(["-c", FACTS, str(REPO), str(server.getsockname()[1])]),
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr[-3000:]
        yield box, json.loads(proc.stdout.splitlines()[-1])
    finally:
        box.close()
        server.close()


def test_kernel_runs_unprivileged_without_capabilities(facts):
    box, f = facts
    assert all(int(f[key], 16) == 0 for key in ("CapEff", "CapPrm", "CapBnd", "CapAmb")), f
    assert f["NoNewPrivs"] == "1"
    uid = f["Uid"].split()
    assert len(set(uid)) == 1 and int(uid[0]) not in (0, os.getuid()) or os.getuid() != 0, f["Uid"]
    if os.getuid() == 0:  # no user namespace: the uid seen inside is the host's, and nobody else's
        assert f["uid_map"] == ["0", "0", "4294967295"] and int(uid[0]) == box.uid >= UID_BASE
        assert f["Groups"] == ""


def test_kernel_sees_only_its_own_processes(facts):
    _, f = facts
    assert f["pids"] == [1, 2] and f["pid1"].endswith("bwrap"), f["pids"]  # bwrap's init, and this process
    assert f["session"] in (1, 2), f["session"]  # a session of its own: no terminal of the grader's


def test_kernel_file_system_holds_only_what_it_needs(facts):
    box, f = facts
    venv, base = python_environment()
    tops = {p.parts[1] for p in (venv, base, box.folder)}
    assert set(f["top"]) <= {"usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc", "proc", "dev", "tmp", *tops}
    assert f["repo_files"] == [] and not f["solutions_exist"] and not f["venv_writable"]
    assert f["tmp_mb"] == 64
    assert f["imports"] == [str(box.lib / "course" / "__init__.py"), str(box.lib / "grader" / "rpc.py")]
    assert f["grader_bwrap"] is None, "the grader's own code is reachable from the kernel"


def test_kernel_has_limits_and_no_network(facts):
    _, f = facts
    assert f["limits"] == {"AS": 2048 * 2**20, "CPU": 1200, "NPROC": 64, "FSIZE": 256 * 2**20, "CORE": 0}
    assert f["interfaces"] == ["lo"] and f["connect"] != "connected", f
    assert f["env"]["COURSE_CHECK_KERNELS"] == "1"
    assert not set(f["env"]) & {"PYTEST_CURRENT_TEST", "VIRTUAL_ENV", "JUPYTER_PATH"}, sorted(f["env"])


@pytest.mark.parametrize("bwrap", ["/nonexistent/bwrap", "/bin/false"])
def test_autograde_stops_before_grading_when_the_sandbox_cannot_start(tmp_path, monkeypatch, bwrap):
    lab = find_lab("01")
    (tmp_path / "subs" / "someone").mkdir(parents=True)
    monkeypatch.setenv("COURSE_BWRAP", bwrap)
    with pytest.raises(SystemExit, match="(?s)sandbox cannot start.*--no-sandbox"):
        autograde(tmp_path / "subs", lab, tmp_path / "out", progress=False)
    assert not (tmp_path / "out").exists(), "something was graded or written"


def test_rpc_reads_only_regular_files_it_can_bound(tmp_path):
    rpc.save(tmp_path / "ok", {"x": np.arange(3.0)})
    assert np.array_equal(rpc.load(tmp_path / "ok")["x"], np.arange(3.0))
    os.symlink(tmp_path / "ok.json", tmp_path / "link.json")
    os.symlink(tmp_path / "ok.npz", tmp_path / "link.npz")
    with pytest.raises(OSError):
        rpc.load(tmp_path / "link")
    os.mkfifo(tmp_path / "fifo.json")  # would block a reader forever
    with pytest.raises(ValueError, match="regular file"):
        rpc.load(tmp_path / "fifo")
    with pytest.raises(ValueError, match="at most"):
        rpc.load(tmp_path / "ok", limit=10)
    with zipfile.ZipFile(tmp_path / "zipped.npz", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a0.npy", b"\0" * 1000)  # a small file that could inflate into a huge one
    (tmp_path / "zipped.json").write_text("null")
    with pytest.raises(ValueError, match="compressed"):
        rpc.load(tmp_path / "zipped")


def test_clean_html_keeps_documents_and_drops_what_runs():
    page = clean_html(
        '<h3 id="t">Task</h3><p>a <em>b</em></p><table><thead><tr><th>x</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>'
        '<img src="data:image/png;base64,AAAA" alt="fig"><a href="https://example.org">ok</a>'
        '<script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">x</a>'
        '<a href="data:text/html,<script>alert(4)</script>">y</a><iframe src="https://e.org"></iframe><style>*{}</style>'
        '<svg onload="alert(5)"></svg><form action="javascript:alert(6)"></form>')
    for kept in ('<h3 id="t">', "<th>x</th>", "<td>1</td>", 'src="data:image/png;base64,AAAA"', 'href="https://example.org"'):
        assert kept in page, (kept, page)
    for gone in ("<script", "onerror", "javascript:", "data:text/html", "<iframe", "<style", "<svg", "onload", "<form"):
        assert gone not in page, (gone, page)


def test_grade_table_cells_never_become_formulas(tmp_path):
    rows = [GradeRow("=HYPERLINK(\"http://x\")", "graded", "+cmd|' /C calc'!A0", {"1.1": 3.0}, 3.0, 3.0),
            GradeRow("@SUM(A1)", "error", "-2+3", {}, 0.0, 3.0), GradeRow("alice", "graded", "", {"1.1": 1.0}, 1.0, 3.0)]
    write_csv(rows, {"1.1": 3.0}, tmp_path / "grades.csv")
    with open(tmp_path / "grades.csv") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")], cells
    assert "'=HYPERLINK(\"http://x\")" in cells and "alice" in cells
