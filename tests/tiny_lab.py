"""A two-task lab written in code, for testing the grader's machinery quickly (numpy only)."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from grader.labs import Lab
from grader.release import release

LAB_ID = "99-tiny"


def _cell(source: str, grade_id: str, *, solution: bool = False, points: int = 0, tags: list | None = None):
    meta = {"nbgrader": {"grade_id": grade_id, "solution": solution, "grade": points > 0,
                         "locked": not solution, "schema_version": 3, "task": False}}
    if points:
        meta["nbgrader"]["points"] = points
    if tags:
        meta["tags"] = tags
    return new_code_cell(source, metadata=meta)


SCALE = '''def scale(x, factor=2.0):
    """Task 99.1: x * factor, elementwise."""
    ### BEGIN SOLUTION
    return np.asarray(x, dtype=float) * factor
    ### END SOLUTION'''

CLIP = '''def clip01(x):
    """Task 99.2: x clipped to [0, 1]."""
    ### BEGIN SOLUTION
    return np.clip(np.asarray(x, dtype=float), 0.0, 1.0)
    ### END SOLUTION'''


def notebook(hidden_factor: float = 3.0) -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell("# Lab 99: a tiny lab"),
        _cell("import numpy as np", "setup"),
        new_code_cell("SEED = 0", metadata={"tags": ["parameters"]}),
        new_markdown_cell("## Task 99.1: scale"),
        _cell(SCALE, "task_99_1_solution", solution=True),
        _cell("# Task 99.1: visible tests\nassert np.allclose(scale([1, 2]), [2, 4]), 'Task 99.1: doubles by default'\nprint('Task 99.1: visible tests passed')", "task_99_1_visible", points=1),
        _cell(f"# Task 99.1: hidden tests\n### BEGIN HIDDEN TESTS\nassert np.allclose(scale([1, -2], factor={hidden_factor}), [{hidden_factor}, {-2 * hidden_factor}]), 'Task 99.1: factor'\n### END HIDDEN TESTS", "task_99_1_hidden", points=2),
        new_markdown_cell("## Task 99.2: clip"),
        _cell(CLIP, "task_99_2_solution", solution=True),
        _cell("# Task 99.2: visible tests\nassert np.allclose(clip01([-1, 0.5, 2]), [0, 0.5, 1]), 'Task 99.2'\nprint('Task 99.2: visible tests passed')", "task_99_2_visible", points=1),
        _cell("# Task 99.2: hidden tests\n### BEGIN HIDDEN TESTS\n_out = clip01([[3.0, -0.5]])\nassert _out.shape == (1, 2) and np.allclose(_out, [[1.0, 0.0]]), 'Task 99.2: keeps the shape'\n### END HIDDEN TESTS", "task_99_2_hidden", points=2),
        new_code_cell("print('a demonstration')", metadata={"tags": ["skip-when-grading"]}),
    ]
    return new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})


MUTANTS = {
    # passes the visible tests (the default factor), loses the hidden points
    "task_99_1_ignores_factor.patch": "# Task 99.1: ignores the factor\n<<<<<<< solution\n    return np.asarray(x, dtype=float) * factor\n=======\n    return np.asarray(x, dtype=float) * 2.0\n>>>>>>> mutant\n",
    "task_99_2_upper_only.py": "# Task 99.2: clips only from above\ndef clip01(x):\n    return np.minimum(np.asarray(x, dtype=float), 1.0)\n",
    "task_99_2_flattens.py": "# Task 99.2: returns a flat array\n_right = clip01\n\n\ndef clip01(x):\n    return _right(x).ravel()\n",
}


def make_tiny_lab(home: Path, mutants: dict[str, str] | None = None, hidden_factor: float = 3.0) -> Lab:
    """Write the lab under ``home/solutions/99-tiny`` with its mutants, and release it."""
    lab = Lab(LAB_ID, home)
    lab.mutants_dir.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook(hidden_factor), lab.source_dir / "tiny.ipynb")
    for name, text in (MUTANTS if mutants is None else mutants).items():
        (lab.mutants_dir / name).write_text(text)
    release(lab)
    return lab
