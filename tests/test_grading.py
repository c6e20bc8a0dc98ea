"""`grader autograde` on real submissions that are not what a grader expects."""

from __future__ import annotations

import csv
import shutil

import nbformat
import pytest

from grader.autograde import autograde
from grader.labs import all_labs

pytestmark = pytest.mark.slow


def test_broken_submissions_are_reported_not_dropped(tmp_path):
    lab = all_labs()[0]
    subs = tmp_path / "subs"
    (subs / "good").mkdir(parents=True)
    shutil.copy(lab.source_dir / lab.notebook_name, subs / "good" / lab.notebook_name)
    (subs / "bad-json").mkdir()
    (subs / "bad-json" / lab.notebook_name).write_text('{"cells": [ this is not json')
    (subs / "renamed").mkdir()
    nb = nbformat.read(lab.release_dir / lab.notebook_name, as_version=4)
    nbformat.write(nb, subs / "renamed" / "my copy.ipynb")
    (subs / "empty").mkdir()

    rows = {row.student: row for row in autograde(subs, lab, tmp_path / "out")}
    assert sorted(rows) == ["bad-json", "empty", "good", "renamed"]
    assert rows["good"].status == "graded" and rows["good"].total == rows["good"].max_total
    assert rows["bad-json"].status == "ungradable" and "unreadable notebook" in rows["bad-json"].reason
    assert rows["empty"].status == "ungradable" and "no notebook" in rows["empty"].reason
    assert rows["renamed"].status == "graded" and rows["renamed"].total == 0
    with open(tmp_path / "out" / "grades.csv") as handle:
        assert len(list(csv.DictReader(handle))) == 4
