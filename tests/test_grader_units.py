"""Small, fast tests of the grader's conventions."""

from __future__ import annotations

import re

import nbformat
import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from grader.check import load_mutants, with_mutant
from grader.labs import all_labs, find_lab, task_in_text, task_of_grade_id
from grader.preprocessors import ClearSolutionsNamingTask, HideHiddenTests


def test_task_ids_from_grade_ids_and_text():
    assert task_of_grade_id("task_1_10_hidden") == "1.10"
    assert task_of_grade_id("setup") is None
    assert task_in_text("# Task 2.3: wrong") == "2.3"


def test_find_lab_accepts_number_or_id():
    lab = all_labs()[0]
    assert find_lab(lab.number) == lab == find_lab(lab.lab_id) == find_lab(str(int(lab.number)))
    with pytest.raises(SystemExit, match="no lab matches"):
        find_lab("99")


def _solution_cell(source: str, grade_id: str = "task_3_2_solution"):
    meta = {"nbgrader": {"solution": True, "grade": False, "locked": False, "grade_id": grade_id, "schema_version": 3, "task": False}}
    return new_code_cell(source, metadata=meta)


def test_stub_names_the_task():
    nb = new_notebook(cells=[_solution_cell('def f(x):\n    """Task 3.2: double x."""\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION')],
                      metadata={"kernelspec": {"language": "python", "name": "python3", "display_name": "Python 3"}})
    out, _ = ClearSolutionsNamingTask().preprocess(nb, {})
    source = out.cells[0].source
    assert "return 2 * x" not in source
    assert 'raise NotImplementedError("Task 3.2 is not done yet' in source
    namespace = {}
    exec(source, namespace)
    with pytest.raises(NotImplementedError, match="Task 3.2"):
        namespace["f"](1)


def test_feedback_hides_hidden_code_and_traceback():
    meta = {"nbgrader": {"grade": True, "grade_id": "task_3_2_hidden", "points": 2, "solution": False, "locked": True, "schema_version": 3}}
    cell = new_code_cell("### BEGIN HIDDEN TESTS\nassert secret_check(f)\n### END HIDDEN TESTS", metadata=meta)
    cell.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="", traceback=["assert secret_check(f)"])]
    out, _ = HideHiddenTests().preprocess(new_notebook(cells=[cell]), {})
    shown = out.cells[0].source + str(out.cells[0].outputs)
    assert "secret_check" not in shown
    assert "2 point(s)" in shown and "Hidden tests failed: AssertionError" in shown


def test_every_mutant_targets_a_real_solution_cell():
    for lab in all_labs():
        solution = nbformat.read(lab.source_dir / lab.notebook_name, as_version=4)
        mutants = load_mutants(lab)
        assert mutants, f"{lab.lab_id} has no mutants"
        for mutant in mutants:
            patched = with_mutant(solution, mutant)  # a stale patch raises here
            if mutant.edits:
                changed = [new.source for old, new in zip(solution.cells, patched.cells) if old.source != new.source]
                assert len(patched.cells) == len(solution.cells) and len(changed) == 1, mutant.name
            else:
                assert len(patched.cells) == len(solution.cells) + 1, mutant.name


def test_plain_data_crosses_the_rpc_boundary_and_nothing_else(tmp_path):
    import torch

    from grader import rpc

    value = {"a": [1, 2.5, float("inf"), None, "text"], "b": (np.arange(6.0).reshape(2, 3), True),
             "t": torch.tensor([[1.0, -2.0]], requires_grad=True),
             "scalars": (np.array(3.5), torch.tensor(2.0), np.arange(4.0)[::2])}  # 0-d and strided keep their shape
    rpc.save(tmp_path / "msg", value)
    back = rpc.load(tmp_path / "msg")
    assert back["a"] == [1, 2.5, float("inf"), None, "text"] and isinstance(back["b"], tuple)
    assert np.array_equal(back["b"][0], value["b"][0])
    assert isinstance(back["t"], torch.Tensor) and torch.equal(back["t"], value["t"].detach())
    assert [np.shape(x) for x in back["scalars"]] == [(), (), (2,)] and back["scalars"][2].tolist() == [0.0, 2.0]
    with pytest.raises(TypeError, match="cannot cross"):
        rpc.save(tmp_path / "bad", {"f": object()})
    with pytest.raises(TypeError, match="Python objects"):
        rpc.save(tmp_path / "bad", np.array([object()]))


def test_in_place_changes_reach_the_grader_also_inside_lists(tmp_path):
    """A student's function that changes its arguments in place (an array, or the arrays of a list
    such as a list of gradients) must be seen doing so by the grader's tests; the kernel's helper
    echoes them back and ``reflect`` copies them into the grader's arguments."""
    from grader import rpc
    from grader.trusted import reflect

    namespace = {}
    exec(rpc.KERNEL_HELPER, namespace)
    namespace["scale"] = lambda grads, x, factor: ([g.__imul__(factor) for g in grads], x.__iadd__(1.0))[0]
    grads, x = [np.array([3.0, 4.0]), np.array([[12.0]])], np.zeros(2)
    rpc.save(tmp_path / "call", ([grads, x, 0.5], {}, np.geterr()))
    namespace["__course_rpc__"]("scale", str(tmp_path / "call"), str(tmp_path / "reply"))
    out = rpc.load(tmp_path / "reply")
    for key, after in out["echo"]["args"].items():
        reflect([grads, x, 0.5][int(key)], after)
    assert grads[0].tolist() == [1.5, 2.0] and grads[1].tolist() == [[6.0]] and x.tolist() == [1.0, 1.0]
    frozen = np.zeros(2)
    frozen.flags.writeable = False
    reflect(frozen, np.ones(2))  # a read-only argument stays as it was, without an error
    assert frozen.tolist() == [0.0, 0.0]


def test_student_errors_keep_their_builtin_type():
    from grader.trusted import StudentCodeError, _kernel_error

    error = _kernel_error("ValueError", "f raised ValueError: does not fit")
    assert isinstance(error, ValueError) and isinstance(error, StudentCodeError)
    assert type(_kernel_error("MadeUpError", "x")) is StudentCodeError
    assert not isinstance(_kernel_error("KeyboardInterrupt", "x"), KeyboardInterrupt)


def test_feedback_page_names_lab_and_student_sums_by_task_and_drops_empty_comments():
    from grader.feedback import tidy

    page = ('<html><head><title>perceptron_mlp</title></head><body><div class="panel-heading">\n'
            '<h4>perceptron_mlp (Score: 3.0 / 6.0)</h4>\n<div id="toc">\n<ol>\n'
            '<li><a href="#task_1_2_visible">Test cell</a> (Score: 1.0 / 1.0)</li>\n</ol>\n</div></div>'
            '<div class="panel-footer">\n<div>\n<b>Comments:</b> <p>No response.</p>\n</div>\n</div>'
            '<div class="panel-footer">\n<div>\n<b>Comments:</b> <p>Check the sign.</p>\n</div>\n</div></body></html>')
    grades = {"task_1_2_visible": (1.0, 1.0), "task_1_2_hidden": (0.0, 2.0), "task_1_10_hidden": (2.0, 2.0),
              "task_1_1_hidden": (0.0, 1.0), "extra_credit": (5.0, 5.0)}
    out = tidy(page, "<b>eve</b>", "Lab 01: perceptrons", grades)
    assert "<title>Lab 01: perceptrons: feedback for &lt;b&gt;eve&lt;/b&gt;</title>" in out
    assert "<h4>Lab 01: perceptrons: feedback for &lt;b&gt;eve&lt;/b&gt; (Score: 3.0 / 6.0)</h4>" in out
    rows = re.findall(r'<a href="#(\w+)">Task ([\d.]+)</a></td><td>([^<]+)</td>', out)
    assert rows == [("task_1_1_hidden", "1.1", "0 / 1"), ("task_1_2_visible", "1.2", "1 / 3"), ("task_1_10_hidden", "1.10", "2 / 2")]
    assert "Test cell" not in out and "No response." not in out and "Check the sign." in out
