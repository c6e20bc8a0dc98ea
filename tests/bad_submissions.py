"""A corpus of damaged and hostile submissions, built from Lab 01, each with its expected outcome.

Every case is a function that receives the instructor's and the released notebook (as nbformat
nodes) and returns the bytes a student might hand in, plus what the grader must make of it.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Callable

import nbformat
from nbformat.v4 import new_code_cell

# Failures are injected right after Task 1.4's solution: tasks 1.1-1.3 have run by then.


@dataclass(frozen=True)
class Expect:
    status: str  # graded / ungradable
    total: str  # "full", "zero" or "first-three" (tasks 1.1-1.3 only)
    reason: str = ""  # a phrase the row's reason must contain


def _dump(nb) -> bytes:
    return nbformat.writes(nb).encode()


def _grade_id(cell) -> str:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")


def _inject_after(nb, grade_id: str, code: str) -> bytes:
    nb = copy.deepcopy(nb)
    index = next(i for i, c in enumerate(nb.cells) if _grade_id(c) == grade_id)
    nb.cells.insert(index + 1, new_code_cell(code))
    return _dump(nb)


def invalid_json(sol, rel):
    return b'{"cells": [ {"cell_type": "code", "source": "x = 1" ', Expect("ungradable", "zero", "unreadable notebook")


def old_nbformat_v3(sol, rel):
    return nbformat.writes(nbformat.convert(copy.deepcopy(sol), 3), version=3).encode(), Expect("graded", "full")


def missing_cell_ids(sol, rel):
    data = json.loads(_dump(sol))
    data["nbformat_minor"] = 4
    for cell in data["cells"]:
        cell.pop("id", None)
    return json.dumps(data).encode(), Expect("graded", "full")


def duplicated_cell_ids(sol, rel):
    data = json.loads(_dump(sol))
    for cell in data["cells"]:
        cell["id"] = "same-id"
    return json.dumps(data).encode(), Expect("graded", "full")


def deleted_test_cells(sol, rel):
    nb = copy.deepcopy(sol)
    nb.cells = [c for c in nb.cells if not c.metadata.get("nbgrader", {}).get("grade")]
    return _dump(nb), Expect("graded", "full")


def duplicated_and_moved_test_cells(sol, rel):
    nb = copy.deepcopy(sol)
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    others = [c for c in nb.cells if not c.metadata.get("nbgrader", {}).get("grade")]
    nb.cells = copy.deepcopy(tests) + others + copy.deepcopy(tests)
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
    return _dump(nb), Expect("graded", "full")


def edited_test_cells(sol, rel):
    """The blank student version with every test cell replaced by `assert True`: no gain."""
    nb = copy.deepcopy(rel)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.source = "assert True  # Task 1.1: visible tests"
    return _dump(nb), Expect("graded", "zero")


def stripped_metadata(sol, rel):
    """What another editor leaves: no nbgrader metadata, no ids; solutions are found by function."""
    data = json.loads(_dump(sol))
    data["nbformat_minor"] = 4
    for cell in data["cells"]:
        cell.pop("id", None)
        cell["metadata"] = {}
    return json.dumps(data).encode(), Expect("graded", "full")


def stripped_metadata_blank(sol, rel):
    data = json.loads(_dump(rel))
    for cell in data["cells"]:
        cell["metadata"] = {}
    return json.dumps(data).encode(), Expect("graded", "zero")


def kernel_exit(sol, rel):
    return _inject_after(sol, "task_1_4_solution", "import os\nos._exit(3)"), Expect("graded", "first-three", "kernel died")


def kernel_segfault(sol, rel):
    return _inject_after(sol, "task_1_4_solution", "import ctypes\nctypes.string_at(0)"), Expect("graded", "first-three", "kernel died")


def ignores_interrupts(sol, rel):
    loop = "import time\nwhile True:\n    try:\n        time.sleep(0.05)\n    except KeyboardInterrupt:\n        pass"
    return _inject_after(sol, "task_1_4_solution", loop), Expect("graded", "first-three", "longer than")


def sys_exit_is_only_an_error(sol, rel):
    return _inject_after(sol, "task_1_4_solution", "import sys\nsys.exit(1)"), Expect("graded", "full")


def memory_hog(sol, rel):
    """Past the memory cap the allocation fails in its own cell; the kernel and grades survive."""
    return _inject_after(sol, "task_1_4_solution", "import numpy as np\nhog = np.ones((50_000, 50_000))"), Expect("graded", "full")


CASES: dict[str, Callable] = {f.__name__: f for f in [
    invalid_json, old_nbformat_v3, missing_cell_ids, duplicated_cell_ids, deleted_test_cells,
    duplicated_and_moved_test_cells, edited_test_cells, stripped_metadata, stripped_metadata_blank,
    kernel_exit, kernel_segfault, ignores_interrupts, sys_exit_is_only_an_error, memory_hog,
]}


def tamper_comparisons(sol, rel):
    """Stubs that return None; every comparison the tests use, and the grader's own helpers, replaced."""
    nb = copy.deepcopy(rel)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = "\n".join(
                line.split("raise")[0] + "return None" if "raise NotImplementedError" in line else line
                for line in cell.source.splitlines()
            )
    patch = (
        "import builtins, numpy as np, torch\n"
        "always = lambda *a, **k: True\n"
        "np.allclose = np.isclose = np.array_equal = always\n"
        "np.testing.assert_allclose = lambda *a, **k: None\n"
        "torch.allclose = always\n"
        "builtins.all = builtins.any = always\n"
        "import grader.rpc\n"
        "grader.rpc.save = lambda *a, **k: None  # the channel that brings results back\n"
        "def __course_rpc__(*a, **k):  # the grader's helper in the kernel\n"
        "    pass\n"
        "print('Task 1.1: visible tests passed')"
    )
    nb.cells.insert(1, new_code_cell(patch))
    return _dump(nb), Expect("graded", "zero")


def reads_instructor_files(sol, rel):
    """Tries to load the instructor's notebook (solutions, hidden tests) and the gradebook."""
    nb = copy.deepcopy(rel)
    thief = (
        "import glob, json, os, course\n"
        "repo = os.path.dirname(os.path.dirname(course.__file__))\n"
        "stolen = 0\n"
        "for path in glob.glob('../../../source/*/*.ipynb') + glob.glob(repo + '/solutions/*/*.ipynb'):\n"
        "    try:\n"
        "        for cell in json.load(open(path))['cells']:\n"
        "            if cell['metadata'].get('nbgrader', {}).get('solution'):\n"
        "                exec(''.join(cell['source']), globals()); stolen += 1\n"
        "    except Exception:\n"
        "        pass\n"
        "print('stolen cells:', stolen)"
    )
    index = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == "task_1_1_solution")
    nb.cells[index].source += "\n\n" + thief
    return _dump(nb), Expect("graded", "zero")


CASES.update({f.__name__: f for f in [tamper_comparisons, reads_instructor_files]})
