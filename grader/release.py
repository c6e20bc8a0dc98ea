"""``python -m grader release``: generate the student version of each lab into ``labs/``."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from grader.course import stage_course
from grader.labs import Lab


def release(lab: Lab, dest: Path | None = None) -> Path:
    """Run nbgrader's generate_assignment on ``lab`` and write the result to ``dest/<lab_id>``.

    Solutions become stubs that name their task, hidden tests are removed, and test cells are
    locked. ``dest`` defaults to the lab's ``labs/`` folder. Returns the folder written.
    """
    dest = lab.home / "labs" if dest is None else dest
    with tempfile.TemporaryDirectory(prefix="release-") as tmp:
        root = Path(tmp)
        stage_course(lab, root)
        out = dest / lab.lab_id
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(root / "release" / lab.lab_id, out)
    return out
