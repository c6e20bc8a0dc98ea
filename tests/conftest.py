"""Shared fixtures. Every test that takes ``lab`` runs once per lab (``pytest -k 03`` selects
Lab 03 and pays for nothing else); expensive per-lab results are computed once per session."""

from __future__ import annotations

import os
import shutil
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


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def chromium():
    """Headless Chromium driven by Playwright (pinned in requirements.txt): Debian's package, which
    ``make browser`` installs; Playwright never downloads a browser of its own. Skips without either."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (requirements.txt pins it)")
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.skip("chromium is not installed (make test installs it where apt-get is allowed)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def graded_lab01(tmp_path_factory) -> Path:
    """Lab 01 graded for three students: alice hands in the solution, bob the untouched student
    version, carol the solution with one mutant's mistake. Returns the output folder of autograde
    (grades.csv, feedback/, course/). Tests that change it work on a copy."""
    import nbformat

    from grader.autograde import autograde
    from grader.check import load_mutants, with_mutant
    from grader.labs import find_lab

    lab = find_lab("01")
    root = tmp_path_factory.mktemp("graded-01")
    solution = nbformat.read(lab.source_dir / lab.notebook_name, as_version=4)
    handed_in = {
        "alice": solution,
        "bob": nbformat.read(lab.release_dir / lab.notebook_name, as_version=4),
        "carol": with_mutant(solution, load_mutants(lab)[0]),
    }
    for student, notebook in handed_in.items():
        (root / "submissions" / student).mkdir(parents=True)
        nbformat.write(notebook, root / "submissions" / student / lab.notebook_name)
    rows = autograde(root / "submissions", lab, root / "grades", progress=False)
    assert [row.status for row in rows] == ["graded"] * 3, rows
    return root / "grades"
