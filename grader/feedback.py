"""The student's feedback page, made for a student to read.

nbgrader's page is titled with the notebook's file name, lists every test cell as an unnamed
"Test cell (Score ...)" link, and shows "Comments: No response." under every answer that no
instructor commented on, and loads MathJax from a CDN. ``feedback_page`` rewrites the page it wrote:

- the title and heading name the lab and the student;
- the list of cells becomes a table by task ("Task 1.4: 2 / 3"), each row linking to the task's
  first test cell, in task order;
- answer boxes without a comment lose their empty "Comments" footer (a real comment stays);
- MathJax comes from ``mathjax/`` beside the page (autograde copies it there), so math renders offline.

Everything put into the page is HTML-escaped (a folder name is the student's name here).
"""

from __future__ import annotations

import html
import re

import nbformat

from grader.labs import task_of_grade_id, task_sort_key

_TITLE = re.compile(r"<title>.*?</title>", re.S)
_HEADING = re.compile(r'(<div class="panel-heading">\s*<h4>).*?(\(Score: [^)]*\))(</h4>)', re.S)
_TOC = re.compile(r'<div id="toc">\s*<ol>.*?</ol>\s*</div>', re.S)
_EMPTY_COMMENT = re.compile(r'<div class="panel-footer">\s*<div>\s*<b>Comments:</b>\s*<p>No response\.</p>\s*</div>\s*</div>', re.S)


def task_scores(grades: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float, str]]:
    """Per task "N.M": (points earned, points possible, grade id of its first graded cell), in task
    order. ``grades`` maps each graded cell's grade id to (score, max score); cells whose id names
    no task are left out."""
    tasks: dict[str, tuple[float, float, str]] = {}
    for grade_id, (score, most) in grades.items():
        task = task_of_grade_id(grade_id)
        if task is None:
            continue
        earned, possible, first = tasks.get(task, (0.0, 0.0, grade_id))
        tasks[task] = (earned + score, possible + most, first)
    return dict(sorted(tasks.items(), key=lambda item: task_sort_key(item[0])))


def _points(x: float) -> str:
    return f"{x:g}"


def summary_table(grades: dict[str, tuple[float, float]]) -> str:
    """An HTML table with one row per task: its name (a link to its first test cell) and points."""
    rows = [
        f'<tr><td><a href="#{html.escape(first)}">Task {html.escape(task)}</a></td>'
        f"<td>{_points(earned)} / {_points(possible)}</td></tr>"
        for task, (earned, possible, first) in task_scores(grades).items()
    ]
    return ('<div id="toc"><table class="table table-condensed task-summary">'
            "<thead><tr><th>Task</th><th>Points</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>")


def tidy(page: str, student: str, lab_title: str, grades: dict[str, tuple[float, float]]) -> str:
    """The feedback page ``page`` with a title naming lab and student, a summary by task and no
    empty comment boxes."""
    name = html.escape(f"{lab_title}: feedback for {student}")
    page = _TITLE.sub(lambda _: f"<title>{name}</title>", page, count=1)
    page = _HEADING.sub(lambda m: f"{m.group(1)}{name} {m.group(2)}{m.group(3)}", page, count=1)
    page = _TOC.sub(lambda _: summary_table(grades), page, count=1)
    return _EMPTY_COMMENT.sub("", page)


_CDN_MATHJAX = re.compile(r'<script[^>]*src="https://cdnjs\.cloudflare\.com/ajax/libs/mathjax/[^"]*"[^>]*>\s*</script>')
_LOCAL_MATHJAX = (
    '<script>window.MathJax = {tex: {inlineMath: [["$", "$"], ["\\\\(", "\\\\)"]], processEscapes: true}};</script>\n'
    '<script defer src="mathjax/tex-chtml.js"></script>'
)


def lab_title(nb: nbformat.NotebookNode) -> str:
    """The notebook's first heading ("Lab 01: perceptrons, ..."), or its name when it has none."""
    for cell in nb.cells:
        match = re.search(r"^# (.+)$", cell.source, re.M) if cell.cell_type == "markdown" else None
        if match:
            return match.group(1).strip()
    return "Lab"


def offline_math(page: str) -> str:
    """Point a feedback page at the MathJax copy beside it (``feedback/mathjax/``), not a CDN."""
    return _CDN_MATHJAX.sub(lambda _: _LOCAL_MATHJAX, page)


def feedback_page(page: str, student: str, lab_title: str, grades: dict[str, tuple[float, float]], warning: str = "") -> str:
    """nbgrader's feedback ``page`` made for the student: ``tidy``, offline math, and ``warning``
    (if any) in a red box at the top."""
    page = tidy(offline_math(page), student, lab_title, grades)
    if warning:
        page = re.sub(r"<body[^>]*>", lambda m: f'{m.group(0)}\n<p class="alert alert-danger">{html.escape(warning)}</p>', page, count=1)
    return page
