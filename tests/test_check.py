"""`grader check`'s own machinery, on a two-task lab written in code: verdicts, cut notebooks,
broken mutants, the proof that hidden tests see more, and the cache."""

from __future__ import annotations

import shutil

import pytest

from grader import check
from grader.autograde import GradeRow
from grader.check import check_lab, code_digest, mutant_outcome
from grader.labs import REPO
from tiny_lab import MUTANTS, make_tiny_lab

pytestmark = pytest.mark.slow


def test_verdicts_of_a_correct_lab(tmp_path):
    lab = make_tiny_lab(tmp_path / "home")
    result = check_lab(lab, tmp_path / "work", cache=None, progress=False)
    assert not result.failures, result.failures
    best = result.verdicts["solution"]
    assert best.row.total == best.row.max_total == 6
    ignores_factor = result.verdicts["mutant-task_99_1_ignores_factor"]
    assert mutant_outcome(best, ignores_factor, "99.1") == (True, 2.0), "passes the visible tests, loses the hidden points"
    assert mutant_outcome(best, result.verdicts["mutant-task_99_2_upper_only"], "99.2") == (False, 3.0)
    # a mutant's notebook stops after its task's hidden tests: Task 99.2 never ran for it
    assert ignores_factor.row.tasks.get("99.2", 0) == 0 and "stops after task_99_1_hidden" in ignores_factor.row.reason
    assert not (tmp_path / "work" / "graded" / "feedback").exists(), "a check writes no feedback pages"


def test_broken_mutants_and_missing_proofs_are_failures(tmp_path):
    mutants = {
        # loses every point of 99.1, but only because `scale` is never defined: it proves nothing
        "task_99_1_typo.patch": "# Task 99.1: a syntax error\n<<<<<<< solution\n    return np.asarray(x, dtype=float) * factor\n"
                                "=======\n    return np.asarray(x, dtype=float) * factor)\n>>>>>>> mutant\n",
        "task_99_2_upper_only.py": MUTANTS["task_99_2_upper_only.py"],  # fails the visible tests too
    }
    lab = make_tiny_lab(tmp_path / "home", mutants)
    result = check_lab(lab, tmp_path / "work", cache=None, progress=False)
    text = "\n".join(result.failures)
    assert "mutant task_99_1_typo is broken" in text and "SyntaxError" in text, text
    assert "Task 99.1: no mutant passes its visible tests" in text, text
    assert "Task 99.2: no mutant passes its visible tests" in text, text
    assert "BROKEN" in check.report(result)


def test_stale_patch_is_an_error_not_a_silent_pass(tmp_path):
    lab = make_tiny_lab(tmp_path / "home", {"task_99_1_stale.patch": "# Task 99.1: stale\n<<<<<<< solution\n"
                                             "    return x * factor\n=======\n    return x\n>>>>>>> mutant\n"})
    with pytest.raises(ValueError, match="the text to replace is not found in Task 99.1's solution cell"):
        check_lab(lab, tmp_path / "work", cache=None, progress=False)


def test_cache_keeps_unchanged_verdicts_and_regrades_changed_ones(tmp_path, monkeypatch):
    home, cache = tmp_path / "home", tmp_path / "cache"
    lab = make_tiny_lab(home)
    first = check_lab(lab, tmp_path / "w1", cache=cache, progress=False)
    assert not any(v.cached for v in first.verdicts.values())

    again = check_lab(lab, tmp_path / "w2", cache=cache, progress=False)
    assert all(v.cached for v in again.verdicts.values()), "an unchanged lab was graded again"
    assert {n: v.row for n, v in again.verdicts.items()} == {n: v.row for n, v in first.verdicts.items()}
    assert not (tmp_path / "w2" / "submissions").exists()

    # one mutant edited: only it is graded again
    (lab.mutants_dir / "task_99_2_flattens.py").write_text(MUTANTS["task_99_2_flattens.py"].replace("ravel()", "reshape(-1)"))
    one = check_lab(lab, tmp_path / "w3", cache=cache, progress=False)
    assert [n for n, v in one.verdicts.items() if not v.cached] == ["mutant-task_99_2_flattens"]

    # a changed hidden test, or a changed grader (code_digest), leaves no verdict valid: every
    # submission is sent to grading again (recorded here instead of graded, to save time)
    sent = []

    def record(folder, lab, out, **kwargs):
        sent.append(sorted(p.name for p in folder.iterdir()))
        return [GradeRow(p.name, "error", "not graded in this test") for p in folder.iterdir()]

    monkeypatch.setattr(check, "autograde", record)
    everything = sorted(first.verdicts)
    check_lab(lab, tmp_path / "w4", cache=cache, progress=False)
    assert sent == [], "unchanged verdicts were sent to grading"
    make_tiny_lab(home, hidden_factor=4.0)
    check_lab(lab, tmp_path / "w5", cache=cache, progress=False)
    assert sent == [everything], "a changed hidden test did not invalidate every verdict"
    make_tiny_lab(home)  # back to the graded version: cached again
    monkeypatch.setattr(check, "code_digest", lambda root=REPO: "another grader")
    check_lab(lab, tmp_path / "w6", cache=cache, progress=False)
    assert sent == [everything, everything], "a changed grader did not invalidate every verdict"


def test_code_digest_sees_every_grader_and_library_file(tmp_path):
    for part in ("grader", "course"):
        shutil.copytree(REPO / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "requirements.txt", tmp_path)
    before = code_digest(tmp_path)
    assert code_digest(tmp_path) == before
    for path in [tmp_path / "grader" / "worker.py", tmp_path / "course" / "gpu.py", tmp_path / "requirements.txt"]:
        original = path.read_text()
        path.write_text(original + "\n# changed\n")
        assert code_digest(tmp_path) != before, f"{path.name} is not part of the cache key"
        path.write_text(original)
