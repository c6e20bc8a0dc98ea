"""Hand grading in nbgrader's formgrader, on the course folder that ``autograde`` writes.

``python -m grader formgrader --lab NN`` starts JupyterLab in ``grades/<lab>/course``. These tests
start it the same way (with ``--out``, ``--port`` and ``--no-browser`` for a test machine) and make
the REST calls formgrader's own pages make: the lab must show as released with its three
submissions, each student named; a grading page must take MathJax from this server, not a CDN;
formgrader's Autograde button must run nothing (it would run students' code outside the sandbox);
and a score and a comment entered by hand must reach ``grades.csv`` and the feedback page after
``python -m grader report``, and survive a re-run of ``autograde``.
(tests/test_jupyterlab_browser.py does the same screens in a browser.)"""

from __future__ import annotations

import csv
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.autograde import autograde
from grader.labs import find_lab, task_of_grade_id
from lab_server import free_port, running

pytestmark = pytest.mark.slow
LAB = find_lab("01")


def formgrader_line(out: Path) -> str:
    return (f"{shlex.quote(sys.executable)} -m grader formgrader --lab 01 --out {shlex.quote(str(out))}"
            f" --no-browser --port {free_port()}")


def table(out: Path) -> dict[str, dict[str, str]]:
    return {row["student"]: row for row in csv.DictReader((out / "grades.csv").open())}


@pytest.fixture(scope="module")
def formgrader(graded_lab01):
    with running(formgrader_line(graded_lab01), cwd=graded_lab01.parent, env=dict(os.environ)) as server:
        yield server


def test_formgrader_shows_the_lab_released_with_its_named_submissions(formgrader, graded_lab01):
    assignments = formgrader.call("formgrader/api/assignments")
    assert [(a["name"], a["status"], a["num_submissions"]) for a in assignments] == [(LAB.lab_id, "released", 3)], assignments
    submissions = formgrader.call(f"formgrader/api/submissions/{LAB.lab_id}")
    totals = {student: float(row["total"]) for student, row in table(graded_lab01).items()}
    assert {s["student"]: s["score"] for s in submissions} == totals, submissions
    for student in formgrader.call("formgrader/api/students"):
        assert student["last_name"] == student["id"], f"formgrader would show {student['id']} as 'None, None'"


def test_grading_page_takes_math_from_this_server(formgrader):
    notebook = LAB.notebook_name.removesuffix(".ipynb")
    submitted = formgrader.call(f"formgrader/api/submitted_notebooks/{LAB.lab_id}/{notebook}")
    assert len(submitted) == 3
    page = formgrader.text(f"formgrader/submissions/{submitted[0]['id']}/")
    assert "cdnjs" not in page and "/static/mathjax/tex-chtml.js" in page, "the grading page loads MathJax from elsewhere"
    assert formgrader.status("static/mathjax/tex-chtml.js") == 200


def test_formgraders_autograde_button_runs_no_student_code(formgrader, graded_lab01):
    kept = graded_lab01 / "course" / "autograded" / "alice" / LAB.lab_id / LAB.notebook_name
    before = kept.read_bytes()
    outcome = formgrader.call(f"formgrader/api/submission/{LAB.lab_id}/alice/autograde", method="POST", body={})
    assert outcome["success"] is False and "No notebooks were matched" in outcome["error"], outcome
    assert kept.read_bytes() == before, "formgrader's Autograde changed the graded copy"


def test_hand_scores_and_comments_reach_the_table_and_the_feedback(tmp_path, graded_lab01):
    out = tmp_path / "grades"
    shutil.copytree(graded_lab01, out)  # the course folder moves with its configuration
    before = table(out)["carol"]
    assert float(before["total"]) < float(before["max"]), "carol's mutant should have lost points"
    comment_text = "Look at the last, shorter batch: $n \\bmod b$ examples."
    with running(formgrader_line(out), cwd=tmp_path, env=dict(os.environ)) as server:
        notebook = LAB.notebook_name.removesuffix(".ipynb")
        carol = next(s for s in server.call(f"formgrader/api/submitted_notebooks/{LAB.lab_id}/{notebook}")
                     if s["student"] == "carol")
        lost = [g for g in server.call(f"formgrader/api/grades?submission_id={carol['id']}")
                if g["auto_score"] < g["max_score"]]
        assert lost, "no cell of carol's lost points"
        for grade in lost:  # the instructor gives the points back by hand
            server.call(f"formgrader/api/grade/{grade['id']}", method="PUT", body={"manual_score": grade["max_score"]})
        comment = server.call(f"formgrader/api/comments?submission_id={carol['id']}")[0]
        server.call(f"formgrader/api/comment/{comment['id']}", method="PUT", body={"manual_comment": comment_text})
    assert table(out)["carol"] == before, "grades.csv changed before the documented command"

    proc = subprocess.run([sys.executable, "-m", "grader", "report", "--lab", "01", "--out", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    after = table(out)
    assert float(after["carol"]["total"]) == float(after["carol"]["max"])
    assert "set by hand in formgrader: Task" in after["carol"]["reason"]
    assert {s: after[s] for s in ("alice", "bob")} == {s: table(graded_lab01)[s] for s in ("alice", "bob")}
    page = (out / "feedback" / "carol.html").read_text()
    assert comment_text.replace("$", "").split(":")[0] in page, "the comment is not on carol's page"
    tasks = {task_of_grade_id(g["name"]) for g in lost} - {None}
    assert tasks
    for task in tasks:
        column = next(k for k in after["carol"] if k.startswith(f"Task {task} (/"))
        most = column.split("(/")[1].rstrip(")")
        assert f">Task {task}</a></td><td>{most} / {most}</td>" in page, f"Task {task} is not full marks on the page"

    # a later autograde run (nothing changed, so nothing regraded) keeps the hand scores
    autograde(graded_lab01.parent / "submissions", LAB, out, progress=False)
    assert table(out)["carol"]["total"] == after["carol"]["total"]
