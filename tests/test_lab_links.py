"""Each lab notebook links back to its chapter (the site links each chapter to its lab).

The link is relative, ``../../book/NN-slug.md``, in the notebook's first markdown cell, next to
the chapter's title, so it works in a clone opened with Jupyter; the chapter is the one of the
table of contents with the lab's number.
"""

import json
import re

import pytest

from grader.labs import REPO, all_labs
from pages import chapters


@pytest.mark.parametrize("lab", all_labs(), ids=lambda lab: lab.lab_id)
def test_lab_notebook_links_to_its_chapter(lab):
    chapter = next((c for c in chapters() if c.number == lab.number), None)
    assert chapter is not None, f"{lab.lab_id} has no chapter in _toc.yml"
    title = re.search(r"^# (.+)$", (REPO / f"{chapter.doc}.md").read_text(), re.M).group(1)
    title = re.sub(r"^\d+\.\s*", "", title)
    for notebook in (lab.source_dir / lab.notebook_name, lab.release_dir / lab.notebook_name):
        cells = json.loads(notebook.read_text())["cells"]
        first = "".join(next(c for c in cells if c["cell_type"] == "markdown")["source"])
        assert f"(../../{chapter.doc}.md)" in first, f"{notebook.relative_to(REPO)}: no link ../../{chapter.doc}.md in its first cell"
        assert title in first, f"{notebook.relative_to(REPO)}: its first cell does not name the chapter {title!r}"
