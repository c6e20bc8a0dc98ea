"""``python -m grader autograde SUBMISSIONS --lab NN``: grade a folder of submissions.

Layout expected: ``SUBMISSIONS/<student>/`` holding the lab's notebook (found by name anywhere
below that folder; a single other ``.ipynb`` is accepted too). Every student folder found gets a
row in ``grades.csv``, graded or not, with the reason when not.

Output, under ``--out`` (default ``grades/<lab>``):
- ``grades.csv``: student, status, reason, one column per task, total, max;
- ``feedback/<student>.html``: nbgrader's feedback page with hidden tests reduced to name,
  points and outcome;
- ``course/``: the nbgrader course directory with its gradebook (``gradebook.db``).
"""

from __future__ import annotations

import csv
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry

from grader.course import stage_course
from grader.labs import Lab, task_of_grade_id, task_sort_key


@dataclass
class Submission:
    """One student folder and the notebook found in it (``None`` when there is none)."""

    student: str
    folder: Path
    notebook: Path | None
    problem: str = ""


@dataclass
class GradeRow:
    student: str
    status: str  # "graded", "ungradable" or "error"
    reason: str = ""
    tasks: dict[str, float] = field(default_factory=dict)
    total: float = 0.0
    max_total: float = 0.0


def find_submissions(submissions_dir: Path, lab: Lab) -> list[Submission]:
    """One entry per sub-folder of ``submissions_dir``, sorted by student id."""
    if not submissions_dir.is_dir():
        raise SystemExit(f"submissions folder not found: {submissions_dir}")
    found = []
    for folder in sorted(p for p in submissions_dir.iterdir() if p.is_dir()):
        notebooks = sorted(
            p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
        )
        named = [p for p in notebooks if p.name == lab.notebook_name]
        if named:
            found.append(Submission(folder.name, folder, named[0]))
        elif len(notebooks) == 1:
            found.append(Submission(folder.name, folder, notebooks[0]))
        elif not notebooks:
            found.append(Submission(folder.name, folder, None, f"no notebook found (expected {lab.notebook_name})"))
        else:
            names = ", ".join(p.name for p in notebooks)
            found.append(Submission(folder.name, folder, None, f"several notebooks and none named {lab.notebook_name}: {names}"))
    return found


def _validate(notebook: Path) -> str:
    """Why the notebook cannot be read, or ``""`` if nbformat reads it."""
    try:
        nbformat.read(notebook, as_version=4)
    except Exception as exc:  # nbformat raises several types for unreadable files
        return f"unreadable notebook: {type(exc).__name__}: {exc}".splitlines()[0][:300]
    return ""


def _task_scores(gradebook: Gradebook, lab: Lab, student: str) -> tuple[dict[str, float], float, float]:
    notebook_id = Path(lab.notebook_name).stem
    submission = gradebook.find_submission_notebook(notebook_id, lab.lab_id, student)
    tasks: dict[str, float] = defaultdict(float)
    total = max_total = 0.0
    for grade in submission.grades:
        score = float(grade.score or 0.0)
        total += score
        max_total += float(grade.max_score or 0.0)
        task = task_of_grade_id(grade.name)
        if task:
            tasks[task] += score
    return dict(tasks), total, max_total


def task_maxima(gradebook: Gradebook, lab: Lab) -> dict[str, float]:
    """Points available per task, read from the assignment's graded cells."""
    notebook = gradebook.find_notebook(Path(lab.notebook_name).stem, lab.lab_id)
    maxima: dict[str, float] = defaultdict(float)
    for cell in notebook.grade_cells:
        task = task_of_grade_id(cell.name)
        if task:
            maxima[task] += float(cell.max_score)
    return dict(sorted(maxima.items(), key=lambda kv: task_sort_key(kv[0])))


def autograde(submissions_dir: Path, lab: Lab, out_dir: Path, cell_timeout: int = 300) -> list[GradeRow]:
    """Grade every submission folder, write ``grades.csv`` and feedback; return the rows."""
    submissions = find_submissions(submissions_dir, lab)
    root = out_dir / "course"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    api = stage_course(lab, root, cell_timeout=cell_timeout)
    feedback_dir = out_dir / "feedback"
    feedback_dir.mkdir(parents=True, exist_ok=True)

    rows = []
    for sub in submissions:
        rows.append(_grade_one(api, lab, root, sub, feedback_dir))

    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        maxima = task_maxima(gb, lab)
    for row in rows:
        row.max_total = sum(maxima.values())
    write_csv(rows, maxima, out_dir / "grades.csv")
    return rows


def _grade_one(api, lab: Lab, root: Path, sub: Submission, feedback_dir: Path) -> GradeRow:
    if sub.notebook is None:
        return GradeRow(sub.student, "ungradable", sub.problem)
    problem = _validate(sub.notebook)
    if problem:
        return GradeRow(sub.student, "ungradable", problem)

    dest = root / "submitted" / sub.student / lab.lab_id
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(sub.notebook, dest / lab.notebook_name)
    result = api.autograde(lab.lab_id, sub.student, force=True, create=True)
    if not result["success"]:
        last = (result.get("error") or "autograde failed").strip().splitlines()[-1]
        return GradeRow(sub.student, "error", f"nbgrader autograde failed: {last[:300]}")

    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        try:
            tasks, total, max_total = _task_scores(gb, lab, sub.student)
        except MissingEntry as exc:
            return GradeRow(sub.student, "error", f"no grades recorded: {exc}")
    row = GradeRow(sub.student, "graded", "", tasks, total, max_total)

    feedback = api.generate_feedback(lab.lab_id, sub.student, force=True)
    html = root / "feedback" / sub.student / lab.lab_id / lab.notebook_name.replace(".ipynb", ".html")
    if feedback["success"] and html.exists():
        shutil.copy(html, feedback_dir / f"{sub.student}.html")
    else:
        row.reason = "graded, but the feedback page could not be written"
    return row


def write_csv(rows: list[GradeRow], maxima: dict[str, float], path: Path) -> None:
    """One row per submission folder; task columns are named ``Task 1.4 (/3)``."""
    tasks = list(maxima)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "status", *[f"Task {t} (/{maxima[t]:g})" for t in tasks], "total", "max", "reason"])
        for row in rows:
            writer.writerow([
                row.student,
                row.status,
                *[f"{row.tasks.get(t, 0.0):g}" for t in tasks],
                f"{row.total:g}",
                f"{sum(maxima.values()):g}",
                row.reason,
            ])
