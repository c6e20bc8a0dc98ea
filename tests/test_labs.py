"""Every lab, property by property; each test runs once per lab (`pytest -k 03`: Lab 03 only).

Adding a lab (a folder under solutions/) needs no edit here: the `lab` fixture lists them all.
"""

from __future__ import annotations

import csv
import re
import time

import nbformat
import papermill
import pytest
from nbclient import NotebookClient

from grader.autograde import autograde
from grader.check import report
from grader.labs import REPO, task_of_grade_id, task_sort_key
from grader.release import release
from leaks import html_text, leaked, secret_lines
from pages import chapters


def _cells(nb, kind):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get(kind)]


# --- quick: no notebook is executed -------------------------------------------------------------

def test_committed_labs_are_fresh(lab, tmp_path):
    fresh = release(lab, dest=tmp_path)
    committed = lab.release_dir
    fresh_files = sorted(p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file())
    committed_files = sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file())
    assert fresh_files == committed_files, "labs/ differs from solutions/: run `python -m grader release`"
    for rel in fresh_files:
        assert (fresh / rel).read_bytes() == (committed / rel).read_bytes(), (
            f"labs/{lab.lab_id}/{rel} is stale: run `python -m grader release`"
        )


def test_every_task_is_named_in_text_stub_and_tests(lab):
    source = nbformat.read(lab.source_dir / lab.notebook_name, as_version=4)
    student = nbformat.read(lab.release_dir / lab.notebook_name, as_version=4)
    markdown = "\n".join(c.source for c in student.cells if c.cell_type == "markdown")
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in student.cells}
    tasks = sorted({task_of_grade_id(c.metadata["nbgrader"]["grade_id"]) for c in _cells(source, "solution")})
    assert tasks, "a lab needs at least one task"
    for task in tasks:
        label = f"Task {task}"
        assert re.search(rf"^#+ {re.escape(label)}\b", markdown, re.M), f"no heading for {label}"
        stub = by_id[f"task_{task.replace('.', '_')}_solution"].source
        assert f'NotImplementedError("{label} ' in stub, f"the stub of {label} does not name it"
        for kind in ("visible", "hidden"):
            cell = by_id.get(f"task_{task.replace('.', '_')}_{kind}")
            assert cell is not None, f"{label} has no {kind} test cell"
            assert label in cell.source, f"the {kind} test cell of {label} does not name it"
            assert cell.metadata["nbgrader"]["grade"] and cell.metadata["nbgrader"]["points"] > 0


def test_lab_has_a_parameters_cell(lab):
    nb = nbformat.read(lab.source_dir / lab.notebook_name, as_version=4)
    parameters = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(parameters) == 1, "a lab needs exactly one cell tagged `parameters` (papermill)"
    assert re.search(r"^SEED = \d+", parameters[0].source, re.M), "the parameters cell must set SEED"


def test_lab_links_to_its_chapter(lab):
    """The first markdown cell links ``../../book/NN-slug.md`` (works in a clone opened with
    Jupyter) and names the chapter of the table of contents with the lab's number."""
    chapter = next((c for c in chapters() if c.number == lab.number), None)
    assert chapter is not None, f"{lab.lab_id} has no chapter in _toc.yml"
    title = re.sub(r"^\d+\.\s*", "", re.search(r"^# (.+)$", (REPO / f"{chapter.doc}.md").read_text(), re.M).group(1))
    for notebook in (lab.source_dir / lab.notebook_name, lab.release_dir / lab.notebook_name):
        first = next(c for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "markdown").source
        heading = re.search(r"^# (.+)$", first, re.M).group(1)
        assert "](" not in heading, f"{notebook.relative_to(REPO)}: its title line holds a link (the labs table shows the title): {heading!r}"
        assert f"(../../{chapter.doc}.md)" in first, f"{notebook.relative_to(REPO)}: no link ../../{chapter.doc}.md in its first cell"
        assert title in first, f"{notebook.relative_to(REPO)}: its first cell does not name the chapter {title!r}"


# --- slow: grading and executing notebooks ------------------------------------------------------

@pytest.mark.slow
def test_check_proves_every_task(lab_check):
    """Solution full marks, student version zero, every mutant loses its task (none broken), and
    each task has a mutant that passes its visible tests and still loses points."""
    print(report(lab_check))
    assert not lab_check.failures, "\n".join(lab_check.failures)


@pytest.mark.slow
def test_solution_runs_under_another_seed(lab, tmp_path):
    """The whole solution, demonstrations included, through papermill with SEED=1: no visible or
    hidden test and no demonstration depends on one lucky seed."""
    start = time.perf_counter()
    out = tmp_path / lab.notebook_name
    papermill.execute_notebook(str(lab.source_dir / lab.notebook_name), str(out), parameters={"SEED": 1},
                               kernel_name="python3", progress_bar=False, cwd=str(tmp_path))
    print(f"{lab.lab_id}: solution with SEED=1 ran in {time.perf_counter() - start:.1f} s (budget 60 s: see benchmarks/budgets.py)")
    injected = [c for c in nbformat.read(out, as_version=4).cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and "SEED = 1" in injected[0].source


@pytest.mark.slow
def test_each_gap_raises_an_error_naming_its_task(lab, tmp_path):
    """Run as a student would on the untouched student version: each visible test names its task."""
    student = nbformat.read(lab.release_dir / lab.notebook_name, as_version=4)
    NotebookClient(student, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    for cell in _cells(student, "grade"):
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        if not grade_id.endswith("_visible"):
            continue  # hidden-test cells are empty in the student's copy
        task = task_of_grade_id(grade_id)
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert errors, f"the visible tests of Task {task} pass on an empty notebook"
        assert re.search(r"Task \d+\.\d+ is not done yet", errors[0]["evalue"]), (
            f"Task {task}'s visible tests fail without naming the unfinished task: "
            f"{errors[0]['ename']}: {errors[0]['evalue']}"
        )


@pytest.mark.slow
def test_grade_table_and_feedback_show_no_secret(lab, tmp_path):
    """A graded student version: one CSV row per folder, a feedback page that names each hidden
    test cell and its points and shows none of its code (nor any solution line)."""
    subs = tmp_path / "subs"
    (subs / "blank").mkdir(parents=True)
    (subs / "blank" / lab.notebook_name).write_bytes((lab.release_dir / lab.notebook_name).read_bytes())
    rows = autograde(subs, lab, tmp_path / "out", progress=False)
    assert [(r.student, r.status, r.total) for r in rows] == [("blank", "graded", 0)], rows
    with open(tmp_path / "out" / "grades.csv") as handle:
        table = list(csv.DictReader(handle))
    assert len(table) == 1 and [c for c in table[0] if c.startswith("Task ")], "one row with a column per task"

    graded_nb = nbformat.read(next((tmp_path / "out" / "course" / "autograded" / "blank").rglob("*.ipynb")), as_version=4)
    skipped = [c for c in graded_nb.cells if "skip-when-grading" in c.metadata.get("tags", [])]
    assert all(not c.outputs for c in skipped), "a cell tagged skip-when-grading was run"

    page = tmp_path / "out" / "feedback" / "blank.html"
    assert (tmp_path / "out" / "feedback" / "mathjax" / "tex-chtml.js").is_file(), "MathJax is not beside the feedback"
    html_source, text = page.read_text(), html_text(page)
    assert "cdnjs" not in html_source and 'src="mathjax/tex-chtml.js"' in html_source, "feedback math needs a CDN"
    assert text.count("hidden tests worth") == len([c for c in _cells(graded_nb, "grade") if c.metadata["nbgrader"]["grade_id"].endswith("_hidden")])
    secrets = secret_lines()[lab.lab_id]
    assert not leaked(text, secrets.all), f"feedback shows secret lines: {leaked(text, secrets.all)[:3]}"
    # read by a student: titled with lab and student, one summary row per task, no empty comment boxes
    assert re.search(r"<title>Lab \d\d[^<]*: feedback for blank</title>", html_source), "feedback title names no lab or student"
    tasks = sorted({task_of_grade_id(c.metadata["nbgrader"]["grade_id"]) for c in _cells(graded_nb, "grade")}, key=task_sort_key)
    assert re.findall(r">Task ([\d.]+)</a></td><td>0 / [\d.]+</td>", html_source) == tasks, "the summary is not one row per task"
    assert "No response." not in text and "Test cell" not in html_source
