"""Tables of chapters and labs generated when the site is built, so they cannot go stale.

The chapters are the ``book/NN-slug`` entries of ``_toc.yml``; the labs are the ``solutions/NN-slug/``
folders (each with one notebook); a chapter and a lab belong together when their numbers ``NN``
agree. Three pieces of markup use them:

- ``{course-chapter-table}`` (intro page): one row per chapter, linking the chapter and its lab notebook;
- ``{course-lab-table}`` (labs page): one row per lab, linking its notebook and its chapter, with
  its tasks and points read from the notebook's nbgrader metadata;
- ``{course-used-by}`\\`load_digits\\``` (data pages): the chapters and labs whose code calls a loader.

A chapter without a lab or a lab without a chapter is a build warning (an error under ``-W``).
The functions below read only files; the tests use them too.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

REPO = Path(__file__).resolve().parents[2]
CHAPTER_DOC = re.compile(r"^book/(\d\d)-[\w-]+$")
GRADE_ID = re.compile(r"^task_(\d+)_(\d+)_")
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Chapter:
    docname: str  # "book/01-perceptrons-mlps"
    number: str  # "01"
    title: str  # "1. Perceptrons and multi-layer perceptrons" (the page's first heading)
    sections: tuple[str, ...]  # its "## " headings, without "Lab"

    @property
    def source(self) -> Path:
        return REPO / f"{self.docname}.md"


@dataclass(frozen=True)
class LabInfo:
    folder: str  # "01-perceptron-mlp"
    number: str  # "01"
    notebook: str  # "perceptron_mlp.ipynb"
    title: str  # the notebook's first heading, e.g. "Lab 01: perceptrons, losses and a first MLP, in numpy"
    tasks: tuple[str, ...]  # ("1.1", "1.2", ...)
    points: float

    @property
    def source(self) -> Path:
        return REPO / "solutions" / self.folder / self.notebook

    @property
    def released(self) -> str:
        """Path of the student version, from the repository root."""
        return f"labs/{self.folder}/{self.notebook}"


def _toc_files(entry) -> list[str]:
    """Every ``file:`` of a _toc.yml entry and of the entries below it, in order."""
    found = []
    if isinstance(entry, dict):
        if "file" in entry:
            found.append(str(entry["file"]).removesuffix(".md"))
        for key in ("parts", "chapters", "sections"):
            for child in entry.get(key, []) or []:
                found += _toc_files(child)
    return found


def toc_chapters(repo: Path = REPO) -> list[Chapter]:
    """The chapters listed in ``_toc.yml``, in its order."""
    toc = yaml.safe_load((repo / "_toc.yml").read_text())
    chapters = []
    for docname in _toc_files(toc):
        match = CHAPTER_DOC.match(docname)
        if not match:
            continue
        text = (repo / f"{docname}.md").read_text()
        title = re.search(r"^# (.+)$", text, re.M).group(1).strip()
        sections = tuple(s.strip() for s in re.findall(r"^## (.+)$", text, re.M) if s.strip() != "Lab")
        chapters.append(Chapter(docname, match.group(1), title, sections))
    return chapters


def lab_infos(repo: Path = REPO) -> list[LabInfo]:
    """Every lab folder under ``solutions/``, in number order, read from its notebook."""
    labs = []
    for folder in sorted(p for p in (repo / "solutions").iterdir() if p.is_dir() and p.name[:2].isdigit()):
        notebooks = sorted(folder.glob("*.ipynb"))
        if len(notebooks) != 1:
            raise ValueError(f"{folder} must hold exactly one notebook, found {[p.name for p in notebooks]}")
        cells = json.loads(notebooks[0].read_text())["cells"]
        title = next(re.search(r"^# (.+)$", "".join(c["source"]), re.M).group(1).strip()
                     for c in cells if c["cell_type"] == "markdown" and re.search(r"^# ", "".join(c["source"]), re.M))
        tasks, points = set(), 0.0
        for cell in cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            match = GRADE_ID.match(meta.get("grade_id", ""))
            if match:
                tasks.add((int(match.group(1)), int(match.group(2))))
            if meta.get("grade"):
                points += float(meta.get("points", 0))
        labs.append(LabInfo(folder.name, folder.name[:2], notebooks[0].name, title,
                            tuple(f"{a}.{b}" for a, b in sorted(tasks)), points))
    return labs


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _task_range(lab: LabInfo) -> str:
    if not lab.tasks:
        return "none"
    return lab.tasks[0] if len(lab.tasks) == 1 else f"{lab.tasks[0]} to {lab.tasks[-1]}"


class _TableDirective(SphinxDirective):
    """Builds a MyST table from the chapters and labs, then parses it like page text."""

    has_content = False

    def rows(self, chapters: dict[str, Chapter], labs: dict[str, LabInfo]) -> list[str]:
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        chapters = {c.number: c for c in toc_chapters()}
        labs = {lab.number: lab for lab in lab_infos()}
        self.env.note_dependency(str(REPO / "_toc.yml"))
        for item in [*chapters.values(), *labs.values()]:
            self.env.note_dependency(str(item.source))
        for number in sorted(set(chapters) - set(labs)):
            logger.warning(f"chapter {chapters[number].docname} has no lab folder solutions/{number}-*", location=self.get_location())
        for number in sorted(set(labs) - set(chapters)):
            logger.warning(f"lab solutions/{labs[number].folder} has no chapter book/{number}-* in _toc.yml", location=self.get_location())
        container = nodes.container(classes=[self.name])
        self.state.nested_parse(StringList(self.rows(chapters, labs), source=self.get_source_info()[0]),
                                self.content_offset, container)
        return [container]


class ChapterTable(_TableDirective):
    def rows(self, chapters, labs):
        lines = ["| Chapter | Sections | Lab notebook |", "|---|---|---|"]
        for number, chapter in chapters.items():
            lab = labs.get(number)
            lab_cell = (f"{{download}}`{lab.title.split(':')[0]}: {lab.notebook} </{lab.released}>`" if lab else "none")
            sections = " · ".join(re.sub(r"^\d+\.\d+\s+", "", s) for s in chapter.sections)
            lines.append(f"| {{doc}}`{_cell(chapter.title)} </{chapter.docname}>` | {_cell(sections)} | {lab_cell} |")
        return lines


class LabTable(_TableDirective):
    def rows(self, chapters, labs):
        lines = ["| Lab | Notebook | Chapter | Tasks | Points |", "|---|---|---|---|---|"]
        for number, lab in labs.items():
            chapter = chapters.get(number)
            chapter_cell = f"{{doc}}`{_cell(chapter.title)} </{chapter.docname}>`" if chapter else "none"
            points = f"{lab.points:g}"
            lines.append(f"| {_cell(lab.title)} | {{download}}`{lab.notebook} </{lab.released}>` | {chapter_cell} "
                         f"| {_task_range(lab)} | {points} |")
        return lines


def used_by(name: str, repo: Path = REPO) -> tuple[list[Chapter], list[LabInfo]]:
    """Chapters (in _toc.yml) and labs whose code mentions ``name`` as a word, e.g. a loader."""
    word = re.compile(rf"\b{re.escape(name)}\b")
    chapters = [c for c in toc_chapters(repo) if word.search((repo / f"{c.docname}.md").read_text())]
    labs = []
    for lab in lab_infos(repo):
        cells = json.loads((repo / "solutions" / lab.folder / lab.notebook).read_text())["cells"]
        if any(c["cell_type"] == "code" and word.search("".join(c["source"])) for c in cells):
            labs.append(lab)
    return chapters, labs


class UsedByRole(SphinxRole):
    """``{course-used-by}`load_digits```: links to the chapters and labs that use a loader."""

    def run(self):
        name = self.text.strip()
        chapters, labs = used_by(name)
        for item in [*chapters, *labs]:
            self.env.note_dependency(str(item.source))
        if not chapters and not labs:
            logger.warning(f"no chapter or lab uses {name}", location=self.get_location())
        result: list[nodes.Node] = []

        def listing(label: str, items: list[tuple[str, str]]) -> None:
            if not items:
                return
            if result:
                result.append(nodes.Text("; "))
            result.append(nodes.Text(label + (" " if len(items) == 1 else "s ")))
            for i, (text, target) in enumerate(items):
                if i:
                    result.append(nodes.Text(" and " if i == len(items) - 1 else ", "))
                ref = addnodes.pending_xref("", nodes.inline(text, text), refdomain="std", reftype="doc",
                                            reftarget=f"/{target}", refexplicit=True, refwarn=True,
                                            refdoc=self.env.docname)
                result.append(ref)

        listing("Chapter", [(str(int(c.number)), c.docname) for c in chapters])
        listing("Lab", [(lab.number, "book/labs") for lab in labs])
        return result, []


def setup(app):
    app.add_directive("course-chapter-table", ChapterTable)
    app.add_directive("course-lab-table", LabTable)
    app.add_role("course-used-by", UsedByRole())
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
