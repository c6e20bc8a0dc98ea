"""``python -m grader check``: prove that each lab's tests can tell right from wrong.

For every lab, one autograde run grades three kinds of submission:
- ``solution``: the instructor's notebook must score full marks;
- ``student-version``: the released notebook, untouched, must run without breaking the grader
  and score 0;
- ``mutant-<name>``: the solution with one plausible wrong implementation from
  ``solutions/<lab>/mutants/``; the task named on the mutant's first line (``# Task 1.4: ...``)
  must lose points, and its own cell must run (a mutant that raises a syntax or name error is
  reported as broken: it proves nothing). For every task, at least one mutant must pass the
  task's visible tests and still lose points: proof that the hidden tests see more.

Only what a verdict needs is run: a mutant's notebook stops after its task's hidden tests (later
cells cannot change that task's points) and no feedback pages are written. Verdicts are cached
under ``.cache/check/`` with a key made of the solution, the mutant (or the released notebook) and
the grader's own code (``code_digest``), so an unchanged lab is not graded again.

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
import hashlib
import json
import re
import shutil
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

from grader.autograde import GradeRow, autograde
from grader.labs import REPO, Lab, task_in_text, task_of_grade_id, task_sort_key

CACHE = REPO / ".cache" / "check"  # verdicts of unchanged submissions (git ignores it)


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
class Verdict:
    """What one graded submission of a check says: its row, its points per test cell, and, for a
    mutant, whether its own cell failed to run (a broken mutant proves nothing)."""

    row: GradeRow
    cells: dict[str, float]
    broken: str = ""
    cached: bool = False


@dataclass
class CheckResult:
    lab: Lab
    verdicts: dict[str, Verdict]
    failures: list[str]

    @property
    def rows(self) -> dict[str, GradeRow]:
        return {name: verdict.row for name, verdict in self.verdicts.items()}


@dataclass(frozen=True)
class _Submission:
    name: str
    notebook: nbformat.NotebookNode
    key: str
    stop_after: str = ""
    mutant: Mutant | None = None


def code_digest(root: Path = REPO) -> str:
    """The grader's own code, the course library, the pinned requirements and the interpreter:
    whatever else can change a grade, besides the lab and the mutant."""
    digest = hashlib.sha256(sys.version.encode())
    for package in ("grader", "course"):
        for path in sorted((root / package).rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    digest.update((root / "requirements.txt").read_bytes())
    return digest.hexdigest()


def _key(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _submissions(lab: Lab) -> list[_Submission]:
    """Solution, student version and mutants, each with the cache key of everything it depends on.
    A mutant's notebook stops after its task's hidden tests: later cells cannot change its points."""
    solution_text = (lab.source_dir / lab.notebook_name).read_text()
    released_text = (lab.release_dir / lab.notebook_name).read_text()
    solution = nbformat.reads(solution_text, as_version=4)
    base = code_digest()
    found = [
        _Submission("solution", solution, _key(base, solution_text)),
        _Submission("student-version", nbformat.reads(released_text, as_version=4), _key(base, solution_text, released_text)),
    ]
    for mutant in load_mutants(lab):
        stop = f"task_{mutant.task.replace('.', '_')}_hidden"
        text = mutant.source or repr(mutant.edits)
        found.append(_Submission(f"mutant-{mutant.name}", with_mutant(solution, mutant), _key(base, solution_text, text, stop), stop, mutant))
    return found


def _mutant_error(graded_nb: Path, mutant: Mutant) -> str:
    """The error the mutant's own cell raised when it ran, if any ("" if it ran cleanly)."""
    nb = nbformat.read(graded_nb, as_version=4)
    solution_id = f"task_{mutant.task.replace('.', '_')}_solution"
    for cell in nb.cells:
        own = cell.get("id", "").startswith("student-extra-") if mutant.source else (
            cell.metadata.get("nbgrader", {}).get("grade_id") == solution_id)
        for output in cell.get("outputs", []) if own else []:
            if output.get("output_type") == "error" and output.get("ename") != "NotRun":
                return f"{output.get('ename')}: {output.get('evalue', '')}"[:300]
    return ""


def check_lab(lab: Lab, work: Path, cache: Path | None = CACHE, progress: bool = True) -> CheckResult:
    """Grade solution, student version and mutants of ``lab`` in one run under ``work``.

    With ``cache`` (a folder), each verdict is kept under a key made of the solution, the mutant
    (or released notebook) and ``code_digest()``; an unchanged submission is not graded again.
    """
    subs = _submissions(lab)
    verdicts: dict[str, Verdict] = {}
    cache_dir = cache / lab.lab_id if cache else None
    for sub in subs:
        stored = _load_json(cache_dir / f"{sub.name}.json") if cache_dir else None
        if stored and stored.get("key") == sub.key:
            verdicts[sub.name] = Verdict(GradeRow(**stored["row"]), stored["cells"], stored["broken"], cached=True)

    todo = [sub for sub in subs if sub.name not in verdicts]
    if todo:
        folder = work / "submissions"
        shutil.rmtree(folder, ignore_errors=True)
        for sub in todo:
            (folder / sub.name).mkdir(parents=True)
            nbformat.write(sub.notebook, folder / sub.name / lab.notebook_name)
        out = work / "graded"
        rows = {row.student: row for row in autograde(
            folder, lab, out, feedback=False, progress=progress,
            stop_after={sub.name: sub.stop_after for sub in todo if sub.stop_after})}
        for sub in todo:
            result = _load_json(out / "results" / f"{sub.name}.json") or {}
            graded_nb = out / "course" / "autograded" / sub.name / lab.lab_id / lab.notebook_name
            broken = _mutant_error(graded_nb, sub.mutant) if sub.mutant and graded_nb.exists() else ""
            verdict = Verdict(rows[sub.name], result.get("grades", {}), broken)
            verdicts[sub.name] = verdict
            if cache_dir and rows[sub.name].status == "graded":
                cache_dir.mkdir(parents=True, exist_ok=True)
                _save_json(cache_dir / f"{sub.name}.json", {
                    "key": sub.key, "row": asdict(verdict.row), "cells": verdict.cells, "broken": broken})
    return CheckResult(lab, verdicts, _failures(lab, subs, verdicts))


def _task_cells(cells: dict[str, float], task: str, kind: str) -> dict[str, float]:
    prefix = f"task_{task.replace('.', '_')}_{kind}"
    return {gid: score for gid, score in cells.items() if gid.startswith(prefix)}


def mutant_outcome(best: Verdict, verdict: Verdict, task: str) -> tuple[bool, float]:
    """(passes the task's visible tests, points of the task lost against the solution)."""
    visible = _task_cells(verdict.cells, task, "visible")
    passes = bool(visible) and all(score >= best.cells.get(gid, 0.0) for gid, score in visible.items())
    return passes, best.row.tasks.get(task, 0.0) - verdict.row.tasks.get(task, 0.0)


def _failures(lab: Lab, subs: list[_Submission], verdicts: dict[str, Verdict]) -> list[str]:
    failures = []
    best = verdicts["solution"]
    if best.row.status != "graded" or best.row.total != best.row.max_total:
        failures.append(f"solution scores {best.row.total:g}/{best.row.max_total:g} ({best.row.status} {best.row.reason})")
    blank = verdicts["student-version"].row
    if blank.status != "graded" or blank.total != 0:
        failures.append(f"student version scores {blank.total:g} ({blank.status} {blank.reason}); expected 0")
    mutants = [sub.mutant for sub in subs if sub.mutant]
    proven: set[str] = set()
    for mutant in mutants:
        verdict = verdicts[f"mutant-{mutant.name}"]
        passes, lost = mutant_outcome(best, verdict, mutant.task)
        if verdict.broken:
            failures.append(f"mutant {mutant.name} is broken (its own cell fails: {verdict.broken}); it proves nothing about Task {mutant.task}")
        elif verdict.row.status != "graded" or lost <= 0:
            failures.append(f"mutant {mutant.name} keeps all points of Task {mutant.task} ({verdict.row.status} {verdict.row.reason})")
        elif passes:
            proven.add(mutant.task)
    for task in sorted(best.row.tasks, key=task_sort_key):
        if task not in {m.task for m in mutants}:
            failures.append(f"Task {task} has no wrong implementation under {lab.mutants_dir}")
        elif task not in proven:
            failures.append(f"Task {task}: no mutant passes its visible tests and still loses points "
                            "(nothing proves the hidden tests see more than the visible ones)")
    return failures


def report(result: CheckResult) -> str:
    """A plain-text table: totals, and for each mutant its task's visible tests and points lost."""
    lines = [f"{result.lab.lab_id}:"]
    best = result.verdicts["solution"]
    for name in ("solution", "student-version"):
        row = result.verdicts[name].row
        lines.append(f"  {name:<48} {row.status:<10} {row.total:>5g}/{row.max_total:g}")
    for mutant in sorted(load_mutants(result.lab), key=lambda m: (task_sort_key(m.task), m.name)):
        verdict = result.verdicts[f"mutant-{mutant.name}"]
        passes, lost = mutant_outcome(best, verdict, mutant.task)
        what = "BROKEN" if verdict.broken else f"visible {'pass' if passes else 'fail'}, loses {lost:g} of {best.row.tasks.get(mutant.task, 0):g}"
        lines.append(f"  mutant-{mutant.name:<41} Task {mutant.task:<5} {what}{' (cached)' if verdict.cached else ''}")
    lines.extend(f"  FAIL: {failure}" for failure in result.failures)
    cached = sum(v.cached for v in result.verdicts.values())
    lines.append(f"  {len(result.verdicts) - cached} graded, {cached} from the cache")
    lines.append("  ok" if not result.failures else f"  {len(result.failures)} problem(s)")
    return "\n".join(lines)


def _load_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _save_json(path: Path, value: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(value, indent=1))
    tmp.replace(path)
