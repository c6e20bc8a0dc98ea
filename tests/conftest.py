"""Shared fixtures. Every test that takes ``lab`` runs once per lab (``pytest -k 03`` selects
Lab 03 and pays for nothing else); expensive per-lab results are computed once per session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader.labs import REPO, all_labs

sys.path.insert(0, str(Path(__file__).parent))
# Kernels and builds started by the tests import this checkout's `course` and `grader`, whatever
# else is installed (a second checkout, an editable install pointing elsewhere).
os.environ["PYTHONPATH"] = os.pathsep.join([str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])])


def pytest_generate_tests(metafunc):
    if "lab" in metafunc.fixturenames:
        labs = all_labs()
        metafunc.parametrize("lab", labs, ids=[lab.lab_id for lab in labs], scope="session")


@pytest.fixture(scope="session")
def lab_check(lab, tmp_path_factory):
    """`grader check` of one lab (verdicts cached under .cache/check/ between sessions)."""
    from grader.check import check_lab

    return check_lab(lab, tmp_path_factory.mktemp(f"check-{lab.number}"), progress=False)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """Build the website from scratch (every page executed) with warnings as errors."""
    out = tmp_path_factory.mktemp("site")
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    proc = subprocess.run(
        [str(jupyter_book), "build", str(REPO), "--path-output", str(out), "--warningiserror", "--nitpick", "--keep-going"],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, f"website build failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-3000:]}"
    return out / "_build" / "html"
