"""Rebuild a submitted notebook around the instructor's cells, whatever state it arrives in.

Students' notebooks arrive damaged in many ways: an old nbformat, cell ids missing or repeated,
test cells deleted, duplicated, moved or edited, nbgrader metadata stripped by another editor.
Instead of trusting the submission's structure, the grader starts from the instructor's notebook
and takes from the submission only what is the student's:

- each task's solution cell, found by its grade id, or, when metadata is gone, as the cell that
  defines the same functions (``def name(``) as the instructor's solution cell;
- the student's extra code cells (helpers), kept after the solution cell they followed.

Every test cell, given cell and text cell comes from the instructor's copy, so nothing the student
did to them counts. A task whose solution cell cannot be found keeps the released stub and scores
nothing; the notes say so.
"""

from __future__ import annotations

import ast
import copy
import re
from dataclasses import dataclass, field

import nbformat
from nbformat import NotebookNode

from grader.labs import task_of_grade_id

_TEST_HEADER = re.compile(r"^\s*#\s*Task \d+\.\d+: (visible|hidden) tests", re.M)
_MARKERS = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


class Ungradable(Exception):
    """The file cannot be read as a notebook at all."""


@dataclass
class Rebuilt:
    notebook: NotebookNode
    notes: list[str] = field(default_factory=list)


def read_submission(text: str) -> NotebookNode:
    """Parse any nbformat version into version 4; raise ``Ungradable`` with the reason."""
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as exc:  # NotJSONError, ValidationError, KeyError on odd structures ...
        raise Ungradable(f"unreadable notebook: {type(exc).__name__}: {str(exc)[:200]}") from exc
    if not isinstance(nb.get("cells"), list):
        raise Ungradable("unreadable notebook: it has no list of cells")
    return nb


def _meta(cell: NotebookNode) -> dict:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def defined_names(source: str) -> set[str]:
    """Top-level function names a cell defines (regex fallback when it does not parse)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set(re.findall(r"^def\s+(\w+)\s*\(", source, re.M))
    return {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}


def _looks_like_test(cell: NotebookNode, test_ids: set[str]) -> bool:
    meta = _meta(cell)
    if meta.get("grade") or meta.get("grade_id") in test_ids:
        return True
    source = cell.get("source", "")
    return bool(_TEST_HEADER.search(source)) or any(m in source for m in _MARKERS)


def rebuild(submitted: NotebookNode, instructor: NotebookNode, released: NotebookNode) -> Rebuilt:
    """The instructor's notebook with the student's solution and helper cells put in."""
    notes: list[str] = []
    solution_ids = [_meta(c)["grade_id"] for c in instructor.cells if _meta(c).get("solution")]
    test_ids = {_meta(c)["grade_id"] for c in instructor.cells if _meta(c).get("grade")}
    template_sources = {c.source.strip() for c in instructor.cells} | {c.source.strip() for c in released.cells}
    stubs = {_meta(c).get("grade_id"): c for c in released.cells if _meta(c).get("solution")}
    wanted_names = {gid: defined_names(c.source) for c in instructor.cells if (gid := _meta(c).get("grade_id")) in solution_ids}

    found: dict[str, NotebookNode] = {}
    extras: dict[str | None, list[NotebookNode]] = {}
    anchor: str | None = None
    for cell in submitted.cells:
        if cell.get("cell_type") != "code" or _looks_like_test(cell, test_ids):
            continue
        gid = _meta(cell).get("grade_id")
        if gid in solution_ids:
            if gid in found:
                notes.append(f"Task {task_of_grade_id(gid)}: the solution cell appears twice; the first one is graded")
            else:
                found[gid] = cell
            anchor = gid
            continue
        names = defined_names(cell.source)
        match = next((g for g in solution_ids if g not in found and wanted_names[g] and wanted_names[g] <= names), None)
        if match:
            found[match] = cell
            anchor = match
            if not _meta(cell):
                notes.append(f"Task {task_of_grade_id(match)}: solution cell found by its functions (nbgrader metadata missing)")
            continue
        if cell.source.strip() and cell.source.strip() not in template_sources:
            extras.setdefault(anchor, []).append(cell)

    cells = []
    for index, template in enumerate(instructor.cells):
        gid = _meta(template).get("grade_id")
        if gid in solution_ids:
            chosen = found.get(gid)
            if chosen is None:
                notes.append(f"Task {task_of_grade_id(gid)}: no solution cell found in the submission")
                chosen = stubs.get(gid, template)
            cell = copy.deepcopy(template)
            cell.source = chosen.source
            cells.append(cell)
            for n, extra in enumerate(extras.get(gid, [])):
                cells.append(nbformat.v4.new_code_cell(extra.source, id=f"student-extra-{index}-{n}"))
        else:
            cells.append(copy.deepcopy(template))
    for n, extra in enumerate(extras.get(None, [])):
        # helpers written before any solution cell: run them right after the setup cells
        cells.insert(1 + n, nbformat.v4.new_code_cell(extra.source, id=f"student-extra-top-{n}"))

    nb = nbformat.v4.new_notebook(cells=cells, metadata=copy.deepcopy(instructor.metadata))
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.validate(nb)
    return Rebuilt(nb, notes)
