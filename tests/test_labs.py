"""Solutions run and pass their own tests; labs/ is fresh; every gap names its task."""

from __future__ import annotations

import re
import time

import nbformat
import pytest
from nbclient import NotebookClient

from grader.labs import all_labs, task_of_grade_id
from grader.release import release

LABS = all_labs()
LAB_IDS = [lab.lab_id for lab in LABS]


def _cells(nb, kind):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get(kind)]


@pytest.mark.slow
@pytest.mark.parametrize("lab", LABS, ids=LAB_IDS)
def test_solution_runs_top_to_bottom_within_budget(lab, tmp_path):
    nb = nbformat.read(lab.source_dir / lab.notebook_name, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    seconds = time.perf_counter() - start
    print(f"{lab.lab_id}: solution ran in {seconds:.1f} s")
    assert seconds < 60, f"{lab.lab_id} takes {seconds:.0f} s; the budget is 60 s on a 2-core CPU"


@pytest.mark.parametrize("lab", LABS, ids=LAB_IDS)
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


@pytest.mark.parametrize("lab", LABS, ids=LAB_IDS)
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


@pytest.mark.slow
@pytest.mark.parametrize("lab", LABS, ids=LAB_IDS)
def test_each_gap_raises_an_error_naming_its_task(lab, tmp_path):
    student = nbformat.read(lab.release_dir / lab.notebook_name, as_version=4)
    client = NotebookClient(student, timeout=300, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
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
