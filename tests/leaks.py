"""What must never reach a student: solution lines and hidden-test lines of every lab.

The secrets are read from the instructor's notebook with a region stripper of our own (not
nbgrader's), so checking nbgrader's output against them is not circular. A solution line that the
notebook also states in public text (a docstring's formula, the task's specification) is a given,
not a secret.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import nbformat

from grader.labs import all_labs

MIN_LENGTH = 16  # shorter lines ("return grad", "else:") are too generic to call a leak
# loop headers and the like, and plain imports ("from torch import nn" gives nothing away)
GENERIC = re.compile(r"^(for|while|with|else|try|except|finally)\b|^(import [\w.]+( as \w+)?|from [\w.]+ import [\w, ]+)$")
REGIONS = {"solution": ("BEGIN SOLUTION", "END SOLUTION"), "hidden": ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _split(source: str) -> tuple[dict[str, list[str]], list[str]]:
    """Lines inside each kind of region, and the lines outside every region."""
    inside: dict[str, list[str]] = {kind: [] for kind in REGIONS}
    outside, current = [], None
    for line in source.splitlines():
        begins = [k for k, (b, _) in REGIONS.items() if b in line]
        ends = [k for k, (_, e) in REGIONS.items() if e in line]
        if begins:
            current = begins[0]
        elif ends:
            current = None
        elif current:
            inside[current].append(line.strip())
        else:
            outside.append(line)
    return inside, outside


@dataclass(frozen=True)
class Secrets:
    solution: frozenset[str]
    hidden: frozenset[str]

    @property
    def all(self) -> frozenset[str]:
        return self.solution | self.hidden


def secret_lines() -> dict[str, Secrets]:
    """Per lab: stripped solution and hidden-test lines long enough to be telling."""
    secrets = {}
    for lab in all_labs():
        nb = nbformat.read(lab.source_dir / lab.notebook_name, as_version=4)
        found: dict[str, set[str]] = {kind: set() for kind in REGIONS}
        public = []
        for cell in nb.cells:
            inside, outside = _split(cell.source)
            public.extend(outside)
            for kind, lines in inside.items():
                found[kind].update(lines)
        public_text = squeeze("\n".join(public))

        def telling(lines: set[str]) -> frozenset[str]:
            return frozenset(
                l for l in lines
                if len(l) >= MIN_LENGTH and not GENERIC.match(l) and squeeze(l) not in public_text
            )

        secrets[lab.lab_id] = Secrets(telling(found["solution"]), telling(found["hidden"]))
    return secrets


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(path: Path) -> str:
    """The text a reader sees (tags dropped, entities decoded), so highlighted code matches too."""
    parser = _Text()
    parser.feed(path.read_text(errors="replace"))
    return html.unescape("".join(parser.parts))


def notebook_text(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "\n".join(cell.source for cell in nb.cells)


def leaked(text: str, secrets: frozenset[str]) -> list[str]:
    squeezed = squeeze(text)
    return sorted(line for line in secrets if squeeze(line) in squeezed)
