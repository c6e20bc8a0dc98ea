"""Two nbgrader preprocessors that carry the course's conventions.

- ``ClearSolutionsNamingTask`` (release): each removed solution becomes a stub that raises
  ``NotImplementedError("Task 1.4 ...")``, so a student who runs an unfinished cell learns which
  task it belongs to.
- ``HideHiddenTests`` (feedback): a cell that holds hidden tests shows its name, points and
  outcome only; its code and traceback never reach the student.
"""

from __future__ import annotations

from typing import Any

from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.preprocessors import ClearSolutions, NbGraderPreprocessor

from grader.labs import task_in_text, task_of_grade_id

HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"


def _task_label(cell: NotebookNode) -> str:
    task = task_in_text(cell.source) or task_of_grade_id(
        cell.metadata.get("nbgrader", {}).get("grade_id", "")
    )
    return f"Task {task}" if task else "This task"


class ClearSolutionsNamingTask(ClearSolutions):
    """nbgrader's ClearSolutions with a stub that names the cell's task."""

    def preprocess_cell(
        self, cell: NotebookNode, resources: dict[str, Any], index: int
    ) -> tuple[NotebookNode, dict[str, Any]]:
        label = _task_label(cell)
        stub = (
            f"# YOUR CODE HERE ({label})\n"
            f'raise NotImplementedError("{label} is not done yet: write your code here.")'
        )
        saved = self.code_stub
        self.code_stub = {**saved, "python": stub}
        try:
            return super().preprocess_cell(cell, resources, index)
        finally:
            self.code_stub = saved


class HideHiddenTests(NbGraderPreprocessor):
    """Replace every hidden-test cell by its name, points and outcome (runs before HTML export)."""

    def preprocess_cell(
        self, cell: NotebookNode, resources: dict[str, Any], index: int
    ) -> tuple[NotebookNode, dict[str, Any]]:
        if cell.cell_type != "code" or HIDDEN_BEGIN not in cell.source:
            return cell, resources
        meta = cell.metadata.get("nbgrader", {})
        grade_id = meta.get("grade_id", "hidden tests")
        points = meta.get("points", 0)
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        cell.source = f"# {grade_id}: hidden tests worth {points} point(s); their code is not shown."
        if errors:
            err = errors[0]
            summary = f"Hidden tests failed: {err.get('ename', 'Error')}: {err.get('evalue', '')}".rstrip(": ")
        else:
            summary = "Hidden tests passed."
        cell.outputs = [new_output("stream", name="stdout", text=summary + "\n")]
        return cell, resources
