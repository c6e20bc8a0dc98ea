"""``python -m grader report --lab NN``: ``grades.csv`` and the feedback pages again, from the gradebook.

``autograde`` writes both when it grades. An instructor who then grades by hand in nbgrader's
formgrader (``python -m grader formgrader --lab NN``: a score changed, a comment written) runs this
to carry that work into the table and the students' pages:

- a score set by hand replaces the automatic one for its cell (nbgrader's own rule), and the row's
  reason names the tasks set by hand;
- each graded student's page is generated again by nbgrader from the course folder (its hidden-test
  free notebooks and the gradebook, comments included), then made readable as ``autograde`` makes
  it (title, summary by task, offline math).

Nothing is graded again and no student code runs: this reads what ``autograde`` kept.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory

from grader.autograde import GradeRow, copy_mathjax, grade_row, task_maxima, with_hand_scores, write_csv
from grader.course import COURSE_ID, nbgrader_config
from grader.feedback import feedback_page, lab_title
from grader.labs import Lab
from grader.worker import UNSANDBOXED


def _results(out_dir: Path) -> dict[str, dict]:
    results = {}
    for path in sorted((out_dir / "results").glob("*.json")):
        result = json.loads(path.read_text())
        results[result["student"]] = result
    return results


def report(lab: Lab, out_dir: Path, db_url: str | None = None) -> list[GradeRow]:
    """Rewrite ``out_dir/grades.csv`` and ``out_dir/feedback/`` from ``out_dir/course``'s gradebook."""
    out_dir = Path(out_dir).resolve()
    course = out_dir / "course"
    if not (course / "nbgrader_config.py").is_file() or not (out_dir / "results").is_dir():
        raise SystemExit(f"report: {out_dir} holds no graded course; run `python -m grader autograde SUBMISSIONS --lab {lab.number}` first")
    config = nbgrader_config(course, db_url)
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    results = _results(out_dir)
    with Gradebook(config.CourseDirectory.db_url, COURSE_ID) as gb:
        maxima = task_maxima(gb, lab)
        merged = {student: with_hand_scores(gb, lab, result) for student, result in results.items()}
        possible = {student: _possible(gb, lab, student) for student, result in merged.items() if result["status"] == "graded"}
    rows = [grade_row(merged[student], maxima) for student in sorted(merged)]

    title = lab_title(nbformat.read(lab.source_dir / lab.notebook_name, as_version=4))
    pages = out_dir / "feedback"
    for row in rows:
        if row.status != "graded":
            continue
        outcome = api.generate_feedback(lab.lab_id, row.student, force=True)
        html = course / "feedback" / row.student / lab.lab_id / lab.notebook_name.replace(".ipynb", ".html")
        if not outcome["success"] or not html.is_file():
            row.reason = "; ".join(filter(None, [row.reason, "the feedback page could not be written"]))
            continue
        warning = "" if merged[row.student].get("sandbox", True) else f"This notebook was {UNSANDBOXED}."
        pages.mkdir(parents=True, exist_ok=True)
        (pages / f"{row.student}.html").write_text(
            feedback_page(html.read_text(), row.student, title, possible[row.student], warning))
    copy_mathjax(pages / "mathjax")
    write_csv(rows, maxima, out_dir / "grades.csv")
    return rows


def _possible(gb: Gradebook, lab: Lab, student: str) -> dict[str, tuple[float, float]]:
    """Per graded cell: (score, max score) as the gradebook has them now (hand scores included)."""
    notebook = gb.find_submission_notebook(Path(lab.notebook_name).stem, lab.lab_id, student)
    return {g.name: (float(g.score or 0.0), float(g.max_score or 0.0)) for g in notebook.grades}
