"""``python -m grader check``: prove that each lab's tests can tell right from wrong.

For every lab, one autograde run grades three kinds of submission:
- ``solution``: the instructor's notebook must score full marks;
- ``student-version``: the released notebook, untouched, must run without breaking the grader
  and score 0;
- ``mutant-<name>``: the solution with one plausible wrong implementation from
  ``solutions/<lab>/mutants/``; the task named on the mutant's first line (``# Task 1.4: ...``)
  must lose points.

A mutant is one of two kinds of file:
- ``<name>.py``: code run right after the task's solution cell (it redefines or wraps a function);
- ``<name>.patch``: edits of the task's solution cell, as search/replace blocks::

      # Task 5.5: no barrier after the multiply-add
      <<<<<<< solution
              acc += a_tile[ty, j] * b_tile[j, tx]
          cuda.syncthreads()
      =======
              acc += a_tile[ty, j] * b_tile[j, tx]
      >>>>>>> mutant

  Each block's first half must occur exactly once in the solution cell, so a mutant that no longer
  matches the solution is reported instead of silently testing nothing.
"""

from __future__ import annotations

import copy
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

from grader.autograde import GradeRow, autograde
from grader.labs import Lab, task_in_text, task_of_grade_id, task_sort_key


_BLOCK = re.compile(r"^<<<<<<< solution\n(.*?)^=======\n(.*?)^>>>>>>> mutant$", re.M | re.S)


@dataclass(frozen=True)
class Mutant:
    name: str
    task: str
    description: str
    source: str  # code run after the solution cell (``.py``); empty for a patch
    edits: tuple[tuple[str, str], ...] = ()  # (solution text, mutant text) pairs (``.patch``)


def load_mutants(lab: Lab) -> list[Mutant]:
    """Wrong implementations kept under ``solutions/<lab>/mutants/``; the first line names the task."""
    mutants = []
    for path in sorted([*lab.mutants_dir.glob("*.py"), *lab.mutants_dir.glob("*.patch")]):
        text = path.read_text()
        first = text.splitlines()[0] if text else ""
        task = task_in_text(first)
        if task is None:
            raise ValueError(f"{path}: the first line must name the task, e.g. '# Task 1.4: ...'")
        description = first.lstrip("# ").split(":", 1)[-1].strip()
        if path.suffix == ".patch":
            edits = tuple((old, new) for old, new in _BLOCK.findall(text))
            if not edits:
                raise ValueError(f"{path}: no '<<<<<<< solution / ======= / >>>>>>> mutant' block")
            mutants.append(Mutant(path.stem, task, description, "", edits))
        else:
            mutants.append(Mutant(path.stem, task, description, text))
    return mutants


def with_mutant(solution: nbformat.NotebookNode, mutant: Mutant) -> nbformat.NotebookNode:
    """A copy of the solution notebook with the mutant's code right after its task's solution
    (a ``.py`` mutant) or with its edits applied to that solution cell (a ``.patch`` mutant)."""
    nb = nbformat.from_dict(copy.deepcopy(solution))
    for index, cell in enumerate(nb.cells):
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and task_of_grade_id(meta.get("grade_id", "")) == mutant.task:
            if not mutant.edits:
                nb.cells.insert(index + 1, new_code_cell(mutant.source))
                return nb
            source = cell.source if cell.source.endswith("\n") else cell.source + "\n"
            for old, new in mutant.edits:
                if source.count(old) != 1:
                    found = "not found" if old not in source else f"found {source.count(old)} times"
                    raise ValueError(f"mutant {mutant.name}: the text to replace is {found} in Task {mutant.task}'s solution cell:\n{old}")
                source = source.replace(old, new)
            cell.source = source
            return nb
    raise ValueError(f"mutant {mutant.name}: no solution cell for Task {mutant.task}")


@dataclass
class CheckResult:
    lab: Lab
    rows: dict[str, GradeRow]
    failures: list[str]


def check_lab(lab: Lab, work: Path) -> CheckResult:
    """Grade solution, student version and mutants of ``lab`` in one run under ``work``."""
    submissions = work / "submissions"
    if submissions.exists():
        shutil.rmtree(submissions)
    solution = nbformat.read(lab.source_dir / lab.notebook_name, as_version=4)

    def put(student: str, nb: nbformat.NotebookNode) -> None:
        (submissions / student).mkdir(parents=True)
        nbformat.write(nb, submissions / student / lab.notebook_name)

    put("solution", solution)
    put("student-version", nbformat.read(lab.release_dir / lab.notebook_name, as_version=4))
    mutants = load_mutants(lab)
    for mutant in mutants:
        put(f"mutant-{mutant.name}", with_mutant(solution, mutant))

    rows = {row.student: row for row in autograde(submissions, lab, work / "graded")}
    failures = []
    best = rows["solution"]
    if best.status != "graded" or best.total != best.max_total:
        failures.append(f"solution scores {best.total:g}/{best.max_total:g} ({best.status} {best.reason})")
    blank = rows["student-version"]
    if blank.status != "graded" or blank.total != 0:
        failures.append(f"student version scores {blank.total:g} ({blank.status} {blank.reason}); expected 0")
    tasks_with_mutant = {m.task for m in mutants}
    for task in sorted(set(best.tasks) - tasks_with_mutant):
        failures.append(f"Task {task} has no wrong implementation under {lab.mutants_dir}")
    for mutant in mutants:
        row = rows[f"mutant-{mutant.name}"]
        lost = best.tasks.get(mutant.task, 0.0) - row.tasks.get(mutant.task, 0.0)
        if row.status != "graded" or lost <= 0:
            failures.append(f"mutant {mutant.name} keeps all points of Task {mutant.task} ({row.status} {row.reason})")
    return CheckResult(lab, rows, failures)


def report(result: CheckResult) -> str:
    """A plain-text table: each submission's total and, for mutants, the targeted task's score."""
    lines = [f"{result.lab.lab_id}:"]
    best = result.rows["solution"]
    for student in ("solution", "student-version"):
        row = result.rows[student]
        lines.append(f"  {student:<48} {row.status:<10} {row.total:>5g}/{row.max_total:g}")
    for mutant in sorted(load_mutants(result.lab), key=lambda m: (task_sort_key(m.task), m.name)):
        row = result.rows[f"mutant-{mutant.name}"]
        lines.append(
            f"  mutant-{mutant.name:<41} {row.status:<10} {row.total:>5g}/{row.max_total:g}"
            f"  Task {mutant.task}: {row.tasks.get(mutant.task, 0):g}/{best.tasks.get(mutant.task, 0):g}"
        )
    lines.extend(f"  FAIL: {failure}" for failure in result.failures)
    lines.append("  ok" if not result.failures else f"  {len(result.failures)} problem(s)")
    return "\n".join(lines)
