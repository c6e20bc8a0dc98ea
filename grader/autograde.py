"""``python -m grader autograde SUBMISSIONS --lab NN``: grade a folder of submissions.

Layout expected: ``SUBMISSIONS/<student>/`` holding the lab's notebook (found by name anywhere
below that folder; a single other ``.ipynb`` is accepted too). Every student folder found gets a
row in ``grades.csv``, graded or not, with the reason when not.

Each submission is graded by ``grader.worker.grade`` in a worker process (or on a dask
cluster); this module finds the submissions, runs the workers with a progress bar, keeps each
result under ``results/`` so a re-run resumes, and writes the gradebook and the table. Before
grading anything it starts the sandbox once (``grader.bwrap``) and stops with the reason if it
cannot; ``sandbox=False`` (``--no-sandbox``) grades without it and says so in every row.

Output, under ``--out`` (default ``grades/<lab>``):
- ``grades.csv``: student, status, one column per task, total, max, reason;
- ``feedback/<student>.html`` (and ``feedback/mathjax/``): nbgrader's feedback page with hidden
  tests reduced to name, points and outcome;
- ``course/``: the nbgrader course directory that ``python -m grader formgrader`` opens: its
  gradebook (``gradebook.db``, students named by their folder), the lab released to an exchange
  inside it, ``submitted/<student>/`` for each notebook handed in (a note, not the notebook:
  formgrader's own Autograde, which would run it outside the sandbox, finds nothing to run), the
  autograded notebooks without hidden-test code or scripts, and an ``nbgrader_config.py`` that
  gives nbgrader's own feedback the course's (so formgrader reveals no hidden test either);
- ``results/<student>.json``: one result per submission, for resuming.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import as_completed as as_completed_futures
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from tqdm import tqdm

from grader.bwrap import Limits, SandboxUnavailable, check_sandbox
from grader.course import stage_course, write_nbgrader_config
from grader.labs import REPO, Lab, task_of_grade_id, task_sort_key
from grader.worker import UNSANDBOXED, Job, file_digest, grade
from grader.limits import CELL_TIMEOUT_S, MEMORY_MB, WALL_LIMIT_S


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


def task_maxima(gradebook: Gradebook, lab: Lab) -> dict[str, float]:
    """Points available per task, read from the assignment's graded cells."""
    notebook = gradebook.find_notebook(Path(lab.notebook_name).stem, lab.lab_id)
    maxima: dict[str, float] = defaultdict(float)
    for cell in notebook.grade_cells:
        task = task_of_grade_id(cell.name)
        if task:
            maxima[task] += float(cell.max_score)
    return dict(sorted(maxima.items(), key=lambda kv: task_sort_key(kv[0])))


def autograde(
    submissions_dir: Path,
    lab: Lab,
    out_dir: Path,
    *,
    workers: int | None = None,
    force: bool = False,
    cell_timeout: int = CELL_TIMEOUT_S,
    wall_limit: int = WALL_LIMIT_S,
    memory_mb: int = MEMORY_MB,
    no_network: bool = True,
    db_url: str | None = None,
    dask_address: str | None = None,
    progress: bool = True,
    protections: bool = True,
    feedback: bool = True,
    stop_after: dict[str, str] | None = None,
    sandbox: bool = True,
) -> list[GradeRow]:
    """Grade every submission folder in parallel; write the gradebook, ``grades.csv`` and feedback.

    ``feedback=False`` writes no feedback pages; ``stop_after`` maps a student to the grade id of
    the last cell to run (both for ``grader check``, whose verdicts need neither).

    Results are kept per student under ``out_dir/results/``: a re-run skips every submission whose
    notebook has not changed since it was graded the same way (unless ``force``), so an
    interrupted run resumes where it stopped. Raises ``SystemExit`` before grading anything if
    the sandbox cannot start here (unless ``sandbox`` is False).
    """
    if sandbox:
        try:
            check_sandbox(Limits(memory_mb=memory_mb, network=not no_network))
        except SandboxUnavailable as exc:
            raise SystemExit(
                f"autograde: the grading sandbox cannot start on this machine: {exc}\n"
                "Install bubblewrap (`make sandbox`, or `apt-get install bubblewrap` on Debian/Ubuntu) and run "
                "again. To grade without it, pass --no-sandbox: students' code then runs with the grader's own "
                "rights, and every row and feedback page says so.") from None
    # absolute paths: nbgrader runs with the course folder as its root, so a relative path (the
    # default grades/<lab>) would point somewhere else from there
    submissions_dir, out_dir = Path(submissions_dir).resolve(), Path(out_dir).resolve()
    submissions = find_submissions(submissions_dir, lab)
    out_dir.mkdir(parents=True, exist_ok=True)
    template = out_dir / "template"
    if template.exists():
        shutil.rmtree(template)
    stage_course(lab, template)  # SQLite copy that each worker clones
    master = stage_course(lab, out_dir / "course", db_url=db_url)
    write_nbgrader_config(out_dir / "course", db_url)
    release_to_exchange(master, lab)
    results_dir = out_dir / "results"
    results_dir.mkdir(exist_ok=True)

    jobs, results = [], {}
    parallel = 1 if dask_address else (workers or os.cpu_count() or 1)
    threads = max(1, (os.cpu_count() or 1) // parallel)
    for sub in submissions:
        job = Job(
            lab.lab_id, lab.notebook_name, sub.student,
            str(sub.notebook) if sub.notebook else None, sub.problem, str(template), str(out_dir),
            cell_timeout, wall_limit, memory_mb, no_network, protections, threads,
            feedback, (stop_after or {}).get(sub.student, ""), sandbox,
        )
        previous = _load_result(results_dir, sub.student)
        if (not force and previous and previous.get("sha256") == file_digest(job.notebook) and previous["status"] != "error"
                and previous.get("sandbox", True) == sandbox):
            results[sub.student] = previous
        else:
            jobs.append(job)

    with Gradebook(master.coursedir.db_url, master.coursedir.course_id) as gb:
        for result in _run(jobs, workers, dask_address, progress, f"grading {lab.lab_id}"):
            _save_result(results_dir, result)
            _record(gb, lab, result)
            results[result["student"]] = result
        for sub in submissions:
            _enrol(gb, out_dir / "course", lab, sub)
        maxima = task_maxima(gb, lab)
        rows = [grade_row(with_hand_scores(gb, lab, results[sub.student]), maxima) for sub in submissions]

    if feedback:
        copy_mathjax(out_dir / "feedback" / "mathjax")
    write_csv(rows, maxima, out_dir / "grades.csv")
    shutil.rmtree(out_dir / "work", ignore_errors=True)
    return rows


def release_to_exchange(api, lab: Lab) -> None:
    """Release the student version into the exchange inside the course folder (formgrader then
    shows the lab as released, not as a draft)."""
    outbound = Path(api.coursedir.root) / "exchange" / api.coursedir.course_id / "outbound" / lab.lab_id
    shutil.rmtree(outbound, ignore_errors=True)
    outcome = api.release_assignment(lab.lab_id)
    if not outcome["success"]:
        raise RuntimeError(f"nbgrader could not release {lab.lab_id} into the course folder's exchange:\n{outcome.get('log', '')}")
    # nbgrader makes a shared exchange writable by everyone; this one is the instructor's alone
    for folder in (Path(api.coursedir.root) / "exchange").rglob("*"):
        if folder.is_dir():
            folder.chmod(0o755)
    (Path(api.coursedir.root) / "exchange").chmod(0o755)


HANDED_IN_NOTE = """{student} handed in {notebook} for {lab}.
It was graded by `python -m grader autograde`; the graded copy (hidden tests removed)
is in autograded/{student}/{lab}/. The notebook itself stays in the submissions folder, not here, so
formgrader's own Autograde button (which would run it outside the sandbox) finds nothing to run.
"""


def _enrol(gb: Gradebook, course: Path, lab: Lab, sub: Submission) -> None:
    """Name the student in the gradebook (by folder, unless formgrader already has a name) and, for
    a notebook handed in, make ``course/submitted/<student>/<lab>/`` (formgrader counts these)."""
    student = gb.update_or_create_student(sub.student)
    if student.last_name is None and student.first_name is None:
        student.last_name, student.first_name = sub.student, ""
        gb.db.commit()
    if sub.notebook is not None:
        folder = course / "submitted" / sub.student / lab.lab_id
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "HANDED_IN.txt").write_text(HANDED_IN_NOTE.format(
            student=sub.student, notebook=sub.notebook.name, lab=lab.lab_id))


def with_hand_scores(gb: Gradebook, lab: Lab, result: dict) -> dict:
    """``result`` with every score set by hand in formgrader in place of the automatic one (nbgrader's
    rule: a manual score wins) and a note naming those tasks."""
    if result["status"] != "graded":
        return result
    try:
        notebook = gb.find_submission_notebook(Path(lab.notebook_name).stem, lab.lab_id, result["student"])
    except MissingEntry:  # nothing recorded, so nothing set by hand
        return result
    hand = {g.name: float(g.manual_score) for g in notebook.grades if g.manual_score is not None}
    if not hand:
        return result
    tasks = sorted({task for task in map(task_of_grade_id, hand) if task}, key=task_sort_key)
    note = "score set by hand in formgrader: " + (", ".join(f"Task {t}" for t in tasks) or ", ".join(sorted(hand)))
    return {**result, "grades": {**result["grades"], **hand}, "notes": [*result.get("notes", []), note]}


def copy_mathjax(dest: Path) -> None:
    """Put the pinned MathJax (built by `make`) beside the feedback pages, so math renders offline."""
    source = REPO / "_vendor" / "mathjax"
    if not source.is_dir() or dest.is_dir():
        return
    shutil.copytree(source, dest)


def _run(jobs: list[Job], workers: int | None, dask_address: str | None, progress: bool, desc: str):
    """Yield each job's result as soon as it is ready, with a progress bar and ETA."""
    bar = tqdm(total=len(jobs), desc=desc, unit="notebook", disable=not progress or not jobs)
    try:
        if dask_address:
            from distributed import Client, as_completed

            with Client(dask_address) as client:
                futures = {client.submit(grade, job, pure=False): job for job in jobs}
                for future in as_completed(futures):
                    yield _safe_result(future, futures[future])
                    bar.update()
            return
        workers = workers or os.cpu_count() or 1
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
            futures = {pool.submit(grade, job): job for job in jobs}
            for future in as_completed_futures(futures):
                yield _safe_result(future, futures[future])
                bar.update()
    finally:
        bar.close()


def _safe_result(future, job: Job) -> dict:
    try:
        return future.result()
    except Exception as exc:  # a worker process that died: report it, never drop the row
        return {"student": job.student, "status": "error",
                "reason": f"grader worker failed: {type(exc).__name__}: {exc}"[:300],
                "grades": {}, "notes": [], "sha256": file_digest(job.notebook), "sandbox": job.sandbox}


def _load_result(results_dir: Path, student: str) -> dict | None:
    try:
        return json.loads((results_dir / f"{student}.json").read_text())
    except (OSError, ValueError):
        return None


def _save_result(results_dir: Path, result: dict) -> None:
    path = results_dir / f"{result['student']}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(result, indent=1))
    tmp.replace(path)  # atomic: an interrupted run never leaves half a result


def _record(gb: Gradebook, lab: Lab, result: dict) -> None:
    """Write one result into nbgrader's gradebook (ungradable submissions score zero)."""
    student = result["student"]
    gb.update_or_create_student(student)
    gb.update_or_create_submission(lab.lab_id, student)
    notebook = gb.find_submission_notebook(Path(lab.notebook_name).stem, lab.lab_id, student)
    for grade_ in notebook.grades:
        grade_.auto_score = float(result["grades"].get(grade_.name, 0.0))
        grade_.needs_manual_grade = False
    gb.db.commit()


def grade_row(result: dict, maxima: dict[str, float]) -> GradeRow:
    """The table row of one result: points summed per task, the reason with every note."""
    tasks: dict[str, float] = defaultdict(float)
    for grade_id, score in result["grades"].items():
        task = task_of_grade_id(grade_id)
        if task:
            tasks[task] += score
    unsandboxed = UNSANDBOXED if not result.get("sandbox", True) and UNSANDBOXED not in result.get("reason", "") else ""
    reason = "; ".join(filter(None, [result.get("reason", ""), unsandboxed, *result.get("notes", [])]))
    return GradeRow(result["student"], result["status"], reason, dict(tasks),
                    sum(result["grades"].values()), sum(maxima.values()))


def no_formula(text: str) -> str:
    """A CSV cell a spreadsheet shows as text: one that starts like a formula gets a leading quote."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_csv(rows: list[GradeRow], maxima: dict[str, float], path: Path) -> None:
    """One row per submission folder; task columns are named ``Task 1.4 (/3)``; no cell is a formula."""
    tasks = list(maxima)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "status", *[f"Task {t} (/{maxima[t]:g})" for t in tasks], "total", "max", "reason"])
        for row in rows:
            writer.writerow([
                no_formula(row.student),
                row.status,
                *[f"{row.tasks.get(t, 0.0):g}" for t in tasks],
                f"{row.total:g}",
                f"{sum(maxima.values()):g}",
                no_formula(row.reason),
            ])
