"""The website, page by page: every page of the table of contents built, every chapter with working
figures and a link to its lab notebook, every lab listed with its chapter, no broken internal
link, offline, no leaks.

Nothing here names a chapter: the chapters come from ``_toc.yml`` and the labs from ``solutions/``,
so a new chapter is checked as soon as it is listed. What one chapter must show (its key numbers,
its number of figures) is in ``tests/test_chapter_NN.py``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from grader.labs import REPO, all_labs
from leaks import html_text, leaked, notebook_text, secret_lines
from pages import broken_links, chapters, links_to, parse, toc_pages

pytestmark = pytest.mark.slow
CHAPTERS = chapters()


def test_the_table_of_contents_has_chapters_and_every_lab_a_chapter():
    assert CHAPTERS, "_toc.yml lists no book/NN-slug chapter"
    numbers = [c.number for c in CHAPTERS]
    assert numbers == sorted(set(numbers)), f"chapters out of order or repeated: {numbers}"
    for lab in all_labs():
        assert lab.number in numbers, f"solutions/{lab.lab_id} has no chapter book/{lab.number}-*.md in _toc.yml"
    for chapter in CHAPTERS:
        assert chapter.lab is not None, f"{chapter} has no lab folder solutions/{chapter.number}-*"


def test_the_generated_tables_read_the_same_chapters_and_labs():
    """book/_ext/course_tables.py (which writes the intro's and the labs page's tables) agrees with
    _toc.yml and grader.labs.all_labs(), read here independently."""
    sys.path.insert(0, str(REPO / "book" / "_ext"))
    import course_tables

    assert [c.docname for c in course_tables.toc_chapters()] == [c.doc for c in CHAPTERS]
    assert [lab.folder for lab in course_tables.lab_infos()] == [lab.lab_id for lab in all_labs()]
    for info, lab in zip(course_tables.lab_infos(), all_labs()):
        assert info.notebook == lab.notebook_name and info.released == f"labs/{lab.lab_id}/{lab.notebook_name}"
        assert info.tasks and info.points > 0, f"{lab.lab_id}: no tasks or points found in its notebook"


def test_every_page_of_the_table_of_contents_is_built(built_site):
    pages = toc_pages()
    assert "data/README" in pages, "the data documentation is not in _toc.yml"
    for page in ["index", *pages]:
        assert (built_site / f"{page}.html").is_file(), f"missing {page}.html"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=str)
def test_every_chapter_shows_figures_that_exist(built_site, chapter):
    page = built_site / chapter.html
    images = [url for tag, url, _ in parse(page).links if tag == "img"]
    assert images, f"{chapter.html} shows no figure"
    for src in images:
        assert (page.parent / src).resolve().is_file(), f"{chapter.html}: missing image {src}"


def test_no_page_has_a_broken_internal_link_or_image(built_site):
    problems = []
    for page in sorted(built_site.rglob("*.html")):
        if "_static" in page.parts:
            continue
        problems += [f"{page.relative_to(built_site)}: {p}" for p in broken_links(page, built_site)]
    assert not problems, "broken links:\n" + "\n".join(problems[:30])


@pytest.mark.parametrize("chapter", CHAPTERS, ids=str)
def test_every_chapter_links_to_its_lab_notebook(built_site, chapter):
    lab = chapter.lab
    targets = links_to(built_site / chapter.html, f"/{lab.notebook_name}")
    assert targets, f"{chapter.html} has no link to its lab notebook {lab.notebook_name}"
    released = (lab.release_dir / lab.notebook_name).read_bytes()
    for target in targets:
        assert target.read_bytes() == released, f"{chapter.html} links to a file that is not labs/{lab.lab_id}/{lab.notebook_name}"


def _generated_rows(page: Path, css_class: str) -> list[str]:
    html = page.read_text()
    start = html.find(f'class="{css_class}')
    assert start >= 0, f"{page.name}: the generated table ({css_class}) is missing"
    table = html[start:html.index("</table>", start)]
    return re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:]  # without the header row


def _row_links(page: Path, row: str) -> list[Path]:
    return [(page.parent / re.sub(r"#.*$", "", href)).resolve() for href in re.findall(r'href="([^"]+)"', row)]


def test_intro_lists_every_chapter_with_its_lab_notebook(built_site):
    page = built_site / "book" / "intro.html"
    rows = _generated_rows(page, "course-chapter-table")
    assert len(rows) == len(CHAPTERS), f"the intro's table has {len(rows)} rows for {len(CHAPTERS)} chapters"
    for chapter, row in zip(CHAPTERS, rows):
        links = _row_links(page, row)
        assert (built_site / chapter.html).resolve() in links, f"intro: the row of {chapter} does not link it"
        assert any(p.name == chapter.lab.notebook_name and p.is_file() for p in links), f"intro: the row of {chapter} lacks its lab"


def test_labs_page_lists_every_lab_with_its_notebook_and_chapter(built_site):
    page = built_site / "book" / "labs.html"
    rows = _generated_rows(page, "course-lab-table")
    labs = all_labs()
    assert len(rows) == len(labs), f"the labs page lists {len(rows)} labs; solutions/ holds {len(labs)}"
    for lab, row in zip(labs, rows):
        links = _row_links(page, row)
        notebook = [p for p in links if p.name == lab.notebook_name]
        assert notebook and notebook[0].read_bytes() == (lab.release_dir / lab.notebook_name).read_bytes(), \
            f"labs page: {lab.lab_id} does not link its released notebook"
        chapter = next(c for c in CHAPTERS if c.number == lab.number)
        assert (built_site / chapter.html).resolve() in links, f"labs page: {lab.lab_id} does not link {chapter}"


def test_data_documentation_is_a_page_and_every_mention_links_there(built_site):
    readme = built_site / "data" / "README.html"
    assert readme.is_file()
    for path in toc_pages():
        source = (REPO / f"{path}.md").read_text()
        if "data/README" in source and path != "data/README":
            assert links_to(built_site / f"{path}.html", "data/README.html"), f"{path} mentions data/README without a link"


def test_no_chapter_output_prints_a_negative_zero(built_site):
    for chapter in CHAPTERS:
        outputs = re.findall(r'<div class="cell_output.*?</pre>', (built_site / chapter.html).read_text(), re.S)
        for output in outputs:
            assert not re.search(r"(?<![\w.])-0\.(?!\d)", output), f"{chapter.html} prints -0.: {output[-300:]}"


def test_site_needs_no_network(built_site):
    offenders = []
    for page in built_site.rglob("*.html"):
        for url in re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="(https?://[^"]+)"', page.read_text()):
            offenders.append(f"{page.relative_to(built_site)}: {url}")
    assert not offenders, "pages load resources from the network:\n" + "\n".join(offenders[:10])
    assert (built_site / "_static" / "mathjax" / "tex-chtml.js").is_file()


def test_no_solution_or_hidden_test_reaches_students(built_site):
    secrets = secret_lines()
    for lab in all_labs():
        lab_secrets = secrets[lab.lab_id].all
        assert secrets[lab.lab_id].solution and secrets[lab.lab_id].hidden, "no secret lines to look for"
        student = notebook_text(lab.release_dir / lab.notebook_name)
        assert not leaked(student, lab_secrets), f"labs/{lab.lab_id} contains solution code: {leaked(student, lab_secrets)[:3]}"
        for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
            assert marker not in student
        for page in list(built_site.rglob("*.html")) + list(built_site.rglob("*.ipynb")):
            text = html_text(page) if page.suffix == ".html" else notebook_text(page)
            found = leaked(text, lab_secrets)
            assert not found, f"{page.relative_to(built_site)} shows solution code: {found[:3]}"


def test_no_grading_markers_anywhere_on_the_site(built_site):
    markers = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
    for path in built_site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".ipynb", ".md", ".txt", ".js"}:
            text = path.read_text(errors="replace")
            assert not any(m in text for m in markers), f"{path.relative_to(built_site)} contains a grading marker"
