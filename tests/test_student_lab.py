"""A student's way in: ``make lab LAB=NN`` copies the lab into ``work/`` and opens it with the
student's JupyterLab settings (``jupyter/student``): Validate on, instructor and exchange screens off.

The Makefile target is run as a student types it, in a copy of the files it needs, with two
changes the test states: ``OPEN_LAB=echo`` prints the folder instead of starting JupyterLab, and
``-o env`` takes the environment as made (the test already runs in it)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from grader.labs import REPO, all_labs

STUDENT_CONFIG = REPO / "jupyter" / "student"
INSTRUCTOR_ONLY = ["formgrader", "assignment_list", "course_list"]


def course_copy(tmp_path: Path) -> Path:
    root = tmp_path / "course"
    root.mkdir()
    shutil.copy(REPO / "Makefile", root / "Makefile")
    shutil.copytree(REPO / "labs", root / "labs")
    shutil.copytree(REPO / "jupyter", root / "jupyter")
    (root / ".venv").symlink_to(Path(sys.prefix))
    return root


def _make_lab(root: Path, lab: str) -> subprocess.CompletedProcess:
    # as typed in a shell: not as a sub-make of `make test` (which would print its directory)
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}
    return subprocess.run(["make", "-o", "env", "lab", f"LAB={lab}", "OPEN_LAB=echo"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)


def test_make_lab_copies_once_and_never_overwrites(tmp_path):
    root = course_copy(tmp_path)
    lab = all_labs()[0]
    proc = _make_lab(root, lab.number)
    assert proc.returncode == 0, proc.stderr
    copy = root / "work" / lab.lab_id / lab.notebook_name
    assert copy.read_bytes() == (REPO / "labs" / lab.lab_id / lab.notebook_name).read_bytes()
    assert proc.stdout.strip().splitlines()[-1] == f"work/{lab.lab_id}", proc.stdout  # what JupyterLab opens
    copy.write_text("my work")  # the student's answers
    proc = _make_lab(root, lab.number)
    assert proc.returncode == 0 and copy.read_text() == "my work", "make lab overwrote the student's work"
    assert subprocess.run(["git", "check-ignore", "-q", f"work/{lab.lab_id}/{lab.notebook_name}"], cwd=REPO).returncode == 0


def test_make_lab_names_a_missing_lab(tmp_path):
    proc = _make_lab(course_copy(tmp_path), "99")
    assert proc.returncode != 0 and "no lab 99 under labs/" in proc.stderr


def test_student_settings_keep_validate_and_drop_instructor_screens(tmp_path):
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(STUDENT_CONFIG)}
    code = ("from jupyter_server.serverapp import ServerApp\n"
            "app = ServerApp(); app.initialize(argv=['--no-browser', '--port=0'], find_extensions=True)\n"
            "import json; print(json.dumps(sorted(n for n, e in app.extension_manager.extensions.items() if e.enabled)))")
    proc = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    enabled = json.loads(proc.stdout.strip().splitlines()[-1])
    assert "nbgrader.server_extensions.validate_assignment" in enabled and "jupyterlab" in enabled
    for name in INSTRUCTOR_ONLY:
        assert f"nbgrader.server_extensions.{name}" not in enabled
    listed = subprocess.run([str(Path(sys.executable).parent / "jupyter"), "labextension", "list"], env=env,
                            capture_output=True, text=True, timeout=120)
    disabled = listed.stdout.split("Disabled extensions:", 1)[-1] + listed.stderr.split("Disabled extensions:", 1)[-1]
    for plugin in ["formgrader", "create-assignment", "assignment-list", "course-list"]:
        assert f"@jupyter/nbgrader:{plugin}" in disabled, listed.stdout + listed.stderr
    assert "@jupyter/nbgrader:validate-assignment" not in disabled
