"""Grade one submission in a private nbgrader course directory (runs in a worker process).

Everything here is per submission: a private copy of the course (so SQLite is never shared
between processes), a notebook rebuilt around the instructor's cells (``grader.normalize``),
nbgrader's autograde with the guarded executor (``grader.sandbox``; the student's kernel runs in
bubblewrap, ``grader.bwrap``) and nbgrader's feedback.
The result is a plain dict, so it can travel back from a process pool or a dask cluster.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import traceback
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI
from nbgrader.converters import Autograde
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import Execute

from grader.course import COURSE_ID, nbgrader_config
from grader.feedback import feedback_page, lab_title
from grader.normalize import Ungradable, read_submission, rebuild
from grader.preprocessors import safe_for_instructor
from grader.sandbox import GuardedExecute
from grader.trusted import kernel_functions
from grader.limits import CELL_TIMEOUT_S, MEMORY_MB, WALL_LIMIT_S

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
UNSANDBOXED = "graded WITHOUT the sandbox (--no-sandbox): the kernel could read and change the grader's files"


@dataclass(frozen=True)
class Job:
    lab_id: str
    notebook_name: str
    student: str
    notebook: str | None  # the submitted file, or None when none was found
    problem: str  # why no notebook was found
    template: str  # a staged course root: source/, release/ and gradebook.db
    out_dir: str
    cell_timeout: int = CELL_TIMEOUT_S
    wall_limit: int = WALL_LIMIT_S
    memory_mb: int = MEMORY_MB
    no_network: bool = True
    protections: bool = True  # trusted re-run of tests in the grader; off only to test them
    threads: int = 0  # BLAS/torch threads for the kernel and this worker (0: library default)
    feedback: bool = True  # write the student's feedback page (grader check needs none)
    stop_after: str = ""  # grade id of the last cell to run ("": the whole notebook)
    sandbox: bool = True  # the kernel in bubblewrap; off only with --no-sandbox


def file_digest(path: str | None) -> str:
    if not path:
        return ""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _result(job: Job, status: str, reason: str = "", grades: dict | None = None, notes: list | None = None) -> dict:
    return {"student": job.student, "status": status, "reason": reason, "grades": grades or {},
            "notes": notes or [], "sha256": file_digest(job.notebook) if job.notebook else "", "sandbox": job.sandbox}


def _limit_threads(threads: int) -> None:
    """Workers side by side must not each start one BLAS thread per CPU (the kernel inherits this)."""
    if threads <= 0:
        return
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(threads)
    import torch

    torch.set_num_threads(threads)


def grade(job: Job) -> dict:
    """Grade one submission; never raises: every failure becomes a result with its reason."""
    _limit_threads(job.threads)
    try:
        return _grade(job)
    except Exception as exc:  # the grader's own failure must not lose the row
        detail = traceback.format_exc().strip().splitlines()[-1]
        return _result(job, "error", f"grader error: {type(exc).__name__}: {detail[:300]}")


def _grade(job: Job) -> dict:
    if job.notebook is None:
        return _result(job, "ungradable", job.problem)
    size = Path(job.notebook).stat().st_size
    if size > MAX_NOTEBOOK_BYTES:
        return _result(job, "ungradable", f"notebook is {size / 2**20:.0f} MiB; the limit is {MAX_NOTEBOOK_BYTES // 2**20} MiB")
    try:
        submitted = read_submission(Path(job.notebook).read_text(errors="replace"))
    except Ungradable as exc:
        return _result(job, "ungradable", str(exc))

    template = Path(job.template)
    instructor = nbformat.read(template / "source" / job.lab_id / job.notebook_name, as_version=4)
    released = nbformat.read(template / "release" / job.lab_id / job.notebook_name, as_version=4)
    rebuilt = rebuild(submitted, instructor, released)

    root = Path(job.out_dir) / "work" / job.student
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(template / "source", root / "source")
    shutil.copy(template / "gradebook.db", root / "gradebook.db")
    target = root / "submitted" / job.student / job.lab_id / job.notebook_name
    target.parent.mkdir(parents=True)
    nbformat.write(rebuilt.notebook, target)

    config = nbgrader_config(root, cell_timeout=job.cell_timeout)
    config.Autograde.autograde_preprocessors = [
        GuardedExecute if p is Execute else p
        for p in Autograde.class_traits()["autograde_preprocessors"].default()
    ]
    config.GuardedExecute.timeout = job.cell_timeout
    config.GuardedExecute.wall_limit = job.wall_limit
    config.GuardedExecute.trusted_checks = job.protections
    config.GuardedExecute.student_functions = kernel_functions(instructor)
    config.GuardedExecute.stop_after = job.stop_after
    config.GuardedExecute.sandboxed = job.sandbox
    config.GuardedExecute.memory_mb = job.memory_mb
    config.GuardedExecute.network = not job.no_network
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)

    outcome = api.autograde(job.lab_id, job.student, force=True, create=True)
    if not outcome["success"]:
        return _result(job, "error", f"nbgrader autograde failed: {_first_cause(outcome)}", notes=rebuilt.notes)

    notebook_id = Path(job.notebook_name).stem
    with Gradebook(config.CourseDirectory.db_url, COURSE_ID) as gb:
        submission = gb.find_submission_notebook(notebook_id, job.lab_id, job.student)
        grades = {g.name: float(g.score or 0.0) for g in submission.grades}
        possible = {g.name: (float(g.score or 0.0), float(g.max_score or 0.0)) for g in submission.grades}

    graded_nb = root / "autograded" / job.student / job.lab_id / job.notebook_name
    reason = "; ".join(filter(None, [_stop_reason(graded_nb), "" if job.sandbox else UNSANDBOXED]))
    out = Path(job.out_dir)
    if job.feedback:
        feedback = api.generate_feedback(job.lab_id, job.student, force=True)
        html = root / "feedback" / job.student / job.lab_id / job.notebook_name.replace(".ipynb", ".html")
        if feedback["success"] and html.exists():
            (out / "feedback").mkdir(parents=True, exist_ok=True)
            page = feedback_page(html.read_text(), job.student, lab_title(instructor), possible,
                                 warning="" if job.sandbox else f"This notebook was {UNSANDBOXED}.")
            (out / "feedback" / f"{job.student}.html").write_text(page)
        else:
            reason = "; ".join(filter(None, [reason, "the feedback page could not be written"]))
    # the copy nbgrader's own tools (formgrader) see: hidden tests and unsafe HTML already gone
    keep = out / "course" / "autograded" / job.student / job.lab_id
    keep.mkdir(parents=True, exist_ok=True)
    nbformat.write(safe_for_instructor(nbformat.read(graded_nb, as_version=4)), keep / job.notebook_name)
    shutil.rmtree(root, ignore_errors=True)
    return _result(job, "graded", reason, grades, rebuilt.notes)


def _first_cause(outcome: dict) -> str:
    """The most telling line of a failed nbgrader run (its own summary lines say little)."""
    lines = (outcome.get("log", "") + "\n" + outcome.get("error", "")).splitlines()
    causes = [l.strip() for l in lines if re.match(r"\s*\w+(\.\w+)*(Error|Exception):", l) and "Please see" not in l]
    return (causes[-1] if causes else "see the grader's log")[:300]


def _stop_reason(graded_nb: Path) -> str:
    """The reason the guarded executor wrote into cells it could not run, if any."""
    nb = nbformat.read(graded_nb, as_version=4)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and output.get("ename") == "NotRun":
                return output.get("evalue", "").removeprefix("not run: ")
    return ""
