"""Where labs live and how their tasks are named.

A lab is one folder ``solutions/NN-slug/`` holding one notebook with nbgrader metadata and its
``mutants/`` (plausible wrong answers that ``grader check`` proves the tests reject). Its student
version is generated into ``labs/NN-slug/``. Grade ids follow ``task_<chapter>_<n>_<kind>``
(``task_1_4_solution``, ``task_1_4_visible``, ``task_1_4_hidden``), so every cell of "Task 1.4"
can be found from its id alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = REPO / "solutions"
LABS = REPO / "labs"

_GRADE_ID = re.compile(r"^task_(\d+)_(\d+)_")
_TASK_IN_TEXT = re.compile(r"Task (\d+\.\d+)")


@dataclass(frozen=True)
class Lab:
    """One lab: ``lab_id`` is the folder name, e.g. ``01-perceptron-mlp``; ``home`` holds its
    ``solutions/`` and ``labs/`` (the repository, or a scratch folder in tests)."""

    lab_id: str
    home: Path = REPO

    @property
    def number(self) -> str:
        return self.lab_id.split("-", 1)[0]

    @property
    def source_dir(self) -> Path:
        return self.home / "solutions" / self.lab_id

    @property
    def release_dir(self) -> Path:
        return self.home / "labs" / self.lab_id

    @property
    def mutants_dir(self) -> Path:
        return self.source_dir / "mutants"

    @property
    def notebook_name(self) -> str:
        """File name of the lab's single notebook (the same in solutions/ and labs/)."""
        notebooks = sorted(p.name for p in self.source_dir.glob("*.ipynb"))
        if len(notebooks) != 1:
            raise ValueError(f"{self.source_dir} must hold exactly one notebook, found {notebooks}")
        return notebooks[0]


def all_labs() -> list[Lab]:
    """Every lab folder under ``solutions/``, in number order."""
    return [Lab(p.name) for p in sorted(SOLUTIONS.iterdir()) if p.is_dir() and p.name[:2].isdigit()]


def find_lab(spec: str) -> Lab:
    """Resolve ``"1"``, ``"01"`` or ``"01-perceptron-mlp"`` to a lab."""
    labs = all_labs()
    for lab in labs:
        if spec == lab.lab_id or spec.zfill(2) == lab.number:
            return lab
    known = ", ".join(lab.lab_id for lab in labs) or "none"
    raise SystemExit(f"no lab matches {spec!r}; known labs: {known}")


def task_of_grade_id(grade_id: str) -> str | None:
    """``"task_1_4_hidden"`` -> ``"1.4"``; ids outside the convention give ``None``."""
    match = _GRADE_ID.match(grade_id)
    return f"{match.group(1)}.{match.group(2)}" if match else None


def task_in_text(text: str) -> str | None:
    """The first task id written in a text, e.g. ``"1.4"`` from ``"Task 1.4: hinge loss"``."""
    match = _TASK_IN_TEXT.search(text)
    return match.group(1) if match else None


def task_sort_key(task: str) -> tuple[int, int]:
    chapter, number = task.split(".")
    return int(chapter), int(number)
