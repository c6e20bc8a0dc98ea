"""nbgrader preprocessors that carry the course's conventions, and the feedback's HTML cleaner.

- ``ClearSolutionsNamingTask`` (release): each removed solution becomes a stub that raises
  ``NotImplementedError("Task 1.4 ...")``, so a student who runs an unfinished cell learns which
  task it belongs to.
- ``HideHiddenTests`` (feedback): a cell that holds hidden tests shows its name, points and
  outcome only; its code and traceback never reach the student.
- ``SanitizeOutputs`` (feedback, and the notebooks kept for nbgrader's formgrader): HTML and
  markdown outputs go through ``clean_html``; JavaScript, SVG, widgets and every other kind of
  output that could run code in the browser are dropped.
- ``clean_html``: bleach with the tags and attributes of ordinary documents (headings, tables,
  images, links) and no scripts, event handlers, styles or ``javascript:`` links. The feedback
  pages use it, through nbconvert's ``sanitize_html``, for markdown cells and outputs alike.
"""

from __future__ import annotations

import copy
from typing import Any

import bleach
from nbconvert.filters.markdown import markdown2html
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


_TAGS = {"a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div",
         "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
         "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table",
         "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "var"}
_ATTRIBUTES = {"class", "id", "title", "align", "alt", "width", "height", "colspan", "rowspan", "start", "name"}
_SAFE_OUTPUTS = {"text/plain", "text/latex", "image/png", "image/jpeg", "image/gif"}


def _attribute_allowed(tag: str, name: str, value: str) -> bool:
    if name in _ATTRIBUTES:
        return True
    if (tag, name) == ("a", "href"):  # bleach also refuses any scheme but those below
        return not value.strip().lower().startswith("data:")
    return (tag, name) == ("img", "src")


def clean_html(html: Any) -> str:
    """HTML with only the tags and attributes of an ordinary document; everything that runs is gone."""
    html = html.decode() if isinstance(html, bytes) else str(html)
    return bleach.clean(html, tags=_TAGS, attributes=_attribute_allowed,
                        protocols={"http", "https", "mailto", "data"}, strip=True, strip_comments=True)


class SanitizeOutputs(NbGraderPreprocessor):
    """Outputs that could run code in a browser: cleaned (HTML, markdown) or dropped (the rest)."""

    def preprocess_cell(
        self, cell: NotebookNode, resources: dict[str, Any], index: int
    ) -> tuple[NotebookNode, dict[str, Any]]:
        for output in cell.get("outputs", []):
            data = output.get("data")
            if data is None:
                continue  # streams and errors are text; nbconvert escapes them
            html = [clean_html(data["text/html"])] if "text/html" in data else []
            if "text/markdown" in data:
                html.append(clean_html(markdown2html(data["text/markdown"])))
            output["data"] = {key: value for key, value in data.items() if key in _SAFE_OUTPUTS}
            if html:
                output["data"]["text/html"] = html[0]
        return cell, resources


def safe_for_instructor(nb: NotebookNode) -> NotebookNode:
    """An autograded notebook as nbgrader's own tools may see it: no hidden test, nothing that runs."""
    nb = copy.deepcopy(nb)
    for preprocessor in (HideHiddenTests(), SanitizeOutputs()):
        nb, _ = preprocessor.preprocess(nb, {})
    return nb
