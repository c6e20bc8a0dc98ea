"""`grader check` and `grader autograde` on real submissions: scores, CSV rows, feedback."""

from __future__ import annotations

import csv
import shutil

import nbformat
import pytest

from grader.autograde import autograde
from grader.labs import all_labs
from leaks import html_text, leaked, secret_lines

LAB_IDS = [lab.lab_id for lab in all_labs()]

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("lab_id", LAB_IDS)
def test_check_proves_every_task(lab_checks, lab_id):
    """Solution full marks, student version zero, every mutant loses its task's points."""
    from grader.check import report

    result, _ = lab_checks[lab_id]
    print(report(result))
    assert not result.failures, "\n".join(result.failures)
    mutants = [name for name in result.rows if name.startswith("mutant-")]
    assert len({result.rows[m].student for m in mutants}) == len(mutants) > 0


@pytest.mark.parametrize("lab_id", LAB_IDS)
def test_grade_table_and_feedback(lab_checks, lab_id):
    result, work = lab_checks[lab_id]
    with open(work / "graded" / "grades.csv") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(r["student"] for r in rows) == sorted(result.rows), "one CSV row per submission folder"
    solution = next(r for r in rows if r["student"] == "solution")
    assert solution["status"] == "graded" and float(solution["total"]) == float(solution["max"]) > 0
    task_columns = [c for c in rows[0] if c.startswith("Task ")]
    assert task_columns and sum(float(solution[c]) for c in task_columns) == float(solution["total"])

    # cells tagged skip-when-grading are not run; test cells carry the grader's outputs only
    graded_nb = nbformat.read(next((work / "graded" / "course" / "autograded" / "solution").rglob("*.ipynb")), as_version=4)
    skipped = [c for c in graded_nb.cells if "skip-when-grading" in c.metadata.get("tags", [])]
    assert all(not c.outputs for c in skipped), "a cell tagged skip-when-grading was run"

    secrets = secret_lines()[lab_id]
    # feedback shows the student's own code (here: the solution's), never hidden-test code
    hidden = secrets.hidden - secrets.solution
    pages = sorted((work / "graded" / "feedback").glob("*.html"))
    assert len(pages) == len(rows), "one feedback page per graded submission"
    assert (work / "graded" / "feedback" / "mathjax" / "tex-chtml.js").is_file(), "MathJax is not beside the feedback"
    for page in pages:
        text = html_text(page)
        assert "hidden tests worth" in text
        html_source = page.read_text()
        assert "cdnjs" not in html_source and 'src="mathjax/tex-chtml.js"' in html_source, "feedback math needs a CDN"
        assert not leaked(text, hidden), f"{page.name} shows hidden test code: {leaked(text, hidden)[:3]}"


def test_broken_submissions_are_reported_not_dropped(tmp_path):
    lab = all_labs()[0]
    subs = tmp_path / "subs"
    (subs / "good").mkdir(parents=True)
    shutil.copy(lab.source_dir / lab.notebook_name, subs / "good" / lab.notebook_name)
    (subs / "bad-json").mkdir()
    (subs / "bad-json" / lab.notebook_name).write_text('{"cells": [ this is not json')
    (subs / "renamed").mkdir()
    nb = nbformat.read(lab.release_dir / lab.notebook_name, as_version=4)
    nbformat.write(nb, subs / "renamed" / "my copy.ipynb")
    (subs / "empty").mkdir()

    rows = {row.student: row for row in autograde(subs, lab, tmp_path / "out")}
    assert sorted(rows) == ["bad-json", "empty", "good", "renamed"]
    assert rows["good"].status == "graded" and rows["good"].total == rows["good"].max_total
    assert rows["bad-json"].status == "ungradable" and "unreadable notebook" in rows["bad-json"].reason
    assert rows["empty"].status == "ungradable" and "no notebook" in rows["empty"].reason
    assert rows["renamed"].status == "graded" and rows["renamed"].total == 0
    with open(tmp_path / "out" / "grades.csv") as handle:
        assert len(list(csv.DictReader(handle))) == 4
