"""JupyterLab as a student and an instructor see it, driven in headless Chromium.

A student types ``make lab LAB=01``; here the same target starts JupyterLab without a browser of its
own (``OPEN_LAB`` adds ``--no-browser --port``, as test_student_lab.py explains), Chromium opens the
copy, runs all cells and must see Task 1.1's message, with the Validate button there and no
instructor screen. An instructor types ``python -m grader formgrader --lab 01``; Chromium opens
Nbgrader > Formgrader and must see the lab released with the three submissions of the
``graded_lab01`` fixture and the scores of ``grades.csv``, then a grading page with its math
typeset by the course's MathJax. Requests that would leave the machine are refused and must not
happen. Skips without Chromium (``make browser`` installs Debian's)."""

from __future__ import annotations

import csv
import os
import re
import shlex
import sys
from pathlib import Path

import pytest

from grader.labs import find_lab
from lab_server import free_port, running
from test_student_lab import course_copy

pytestmark = pytest.mark.slow
LAB = find_lab("01")
WAIT_MS = 180_000


@pytest.fixture
def offline_page(chromium):
    """A page whose requests may reach this machine's servers only; yields (page, refused, errors)."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    refused: list[str] = []
    local = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(local)
                  else (refused.append(route.request.url), route.abort()))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page, refused, errors
    context.close()


def _menu(page, name: str) -> list[str]:
    """Open a menu of the menu bar and return its item labels (the menu is closed again)."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{name}$")).click()
    items = [label for label in page.locator(".lm-Menu-itemLabel").all_inner_texts() if label.strip()]
    page.keyboard.press("Escape")
    return items


def test_student_runs_all_and_sees_the_first_task(tmp_path, offline_page):
    page, refused, errors = offline_page
    root = course_copy(tmp_path)
    port = free_port()
    jupyter = Path(sys.executable).parent / "jupyter"
    root_flag = " --allow-root" if os.geteuid() == 0 else ""
    command = f"make -o env lab LAB=01 OPEN_LAB={shlex.quote(f'{jupyter} lab --no-browser --port={port}{root_flag}')}"
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}
    with running(command, cwd=root, env=env) as server:
        page.goto(server.url(f"lab/tree/{LAB.notebook_name}?token={server.token}"))
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=WAIT_MS)
        assert page.locator(".jp-Toolbar", has_text="Validate").count() >= 1, "no Validate button"
        menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
        if "Nbgrader" in menus:
            assert not [item for item in _menu(page, "Nbgrader") if "Formgrader" in item], "a student sees Formgrader"
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile("^Run All Cells$")).click()
        message = page.locator(".jp-OutputArea-output", has_text="Task 1.1 is not done yet").first
        message.wait_for(state="attached", timeout=WAIT_MS)
        assert "NotImplementedError" in message.inner_text()
    assert (root / "work" / LAB.lab_id / LAB.notebook_name).is_file()
    assert not refused, f"JupyterLab tried to reach the network: {refused}"
    assert not errors, errors


def test_instructor_sees_the_submissions_in_formgrader(graded_lab01, offline_page):
    page, refused, errors = offline_page
    scores = {row["student"]: f"{row['total']} / {row['max']}" for row in csv.DictReader((graded_lab01 / "grades.csv").open())}
    command = (f"{shlex.quote(sys.executable)} -m grader formgrader --lab 01 --out {shlex.quote(str(graded_lab01))}"
               f" --no-browser --port {free_port()}")
    with running(command, cwd=graded_lab01.parent, env=dict(os.environ)) as server:
        page.goto(server.url(f"lab?token={server.token}"))
        page.wait_for_selector(".lm-MenuBar-itemLabel", timeout=WAIT_MS)
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Nbgrader$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile("^Formgrader$")).click()
        page.wait_for_function("() => Array.from(document.querySelectorAll('iframe')).some(f => f.src.includes('/formgrader'))",
                               timeout=WAIT_MS)
        frame = next(f for f in page.frames if "/formgrader" in f.url)
        row = frame.locator("tr", has_text=LAB.lab_id)
        row.wait_for(timeout=WAIT_MS)
        assert "released" in row.inner_text() and re.search(r"\b3\b", row.inner_text()), row.inner_text()

        frame.goto(server.url(f"formgrader/manage_submissions/{LAB.lab_id}"))
        for student, score in scores.items():
            line = frame.locator("tr", has_text=student)
            line.wait_for(timeout=WAIT_MS)
            assert score in line.inner_text() and "graded" in line.inner_text(), (student, line.inner_text())

        submission = server.call(f"formgrader/api/submitted_notebooks/{LAB.lab_id}/{LAB.notebook_name.removesuffix('.ipynb')}")[0]
        page.goto(server.url(f"formgrader/submissions/{submission['id']}/"))
        page.wait_for_function("() => window.MathJax && window.MathJax.startup && window.MathJax.startup.promise", timeout=WAIT_MS)
        page.evaluate("() => MathJax.startup.promise")
        assert page.locator("mjx-container").count() > 10 and page.locator("mjx-merror").count() == 0
        assert page.evaluate("() => MathJax.loaded") is True, "formgrader's script did not see MathJax start"
    assert not refused, f"a page tried to reach the network: {refused}"
    assert not errors, errors
