"""The website: builds with warnings as errors, every chapter executed, offline, no leaks."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from grader.labs import all_labs
from leaks import html_text, leaked, notebook_text, secret_lines, squeeze

pytestmark = pytest.mark.slow
CHAPTER = "book/01-perceptrons-mlps.html"
# each chapter and the figures it must show
CHAPTERS = {CHAPTER: 3, "book/02-backprop.html": 3, "book/03-conv-arithmetic.html": 2, "book/04-cnn-architectures.html": 4,
            "book/05-gpu-kernels.html": 3}


def test_site_builds_with_every_page(built_site):
    for page in ["index.html", "book/intro.html", *CHAPTERS, "book/labs.html", "book/grading.html"]:
        assert (built_site / page).is_file(), f"missing {page}"
    for page, figures in CHAPTERS.items():
        chapter = (built_site / page).read_text()
        assert chapter.count('<img alt=') >= figures, f"{page}: figures are missing"
        for src in re.findall(r'<img[^>]+src="([^"]+)"', chapter):
            assert (built_site / "book" / src).resolve().is_file(), f"{page}: broken image {src}"
    for lab in all_labs():  # every lab is downloadable from the site
        assert list(built_site.rglob(lab.notebook_name)), f"{lab.notebook_name} is not on the site"


def test_worked_numbers_are_computed_into_the_page(built_site):
    text = squeeze(html_text(built_site / CHAPTER))
    assert "2.9, 0.0 and 12.9" in text and "5.2667" in text
    assert "2.04" in text and "0.89" in text
    backprop = squeeze(html_text(built_site / "book/02-backprop.html"))
    assert r"\(q\) = 3 and \(f\) = -12" in backprop, "chapter 2: the lecture's f = (x + y) z example"
    assert r"\(\partial f / \partial x\) = -4, \(\partial f / \partial y\) = -4 and \(\partial f / \partial z\) = 3" in backprop
    conv = squeeze(html_text(built_site / "book/03-conv-arithmetic.html"))
    for number in ["32x32x10", "760", "(1, 8, 5, 5)", "gives 2.33", "55x55x96", "27x27x256", "138,357,544", "see 7x7"]:
        assert number in conv, f"chapter 3 lacks the worked number {number}"
    cnn = squeeze(html_text(built_site / "book/04-cnn-architectures.html"))
    assert "That is 9,760 free parameters" in cnn, "chapter 4: the 1989 network's parameter count"
    gpu = squeeze(html_text(built_site / "book/05-gpu-kernels.html"))
    for number in ["One warp, 4 sectors against 32", "the last 24 threads", "OutOfBoundsError", "UninitialisedReadError"]:
        assert number in gpu, f"chapter 5 lacks {number!r}"


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


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def test_math_renders_in_a_real_browser_offline(built_site, tmp_path):
    browser = _chromium()
    if browser is None:
        pytest.skip("chromium is not installed (make test installs it where apt-get is allowed)")
    proc = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=10000", "--dump-dom",
         (built_site / CHAPTER).as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    dom = proc.stdout
    assert "Perceptrons and multi-layer perceptrons" in dom, proc.stderr[-2000:]
    rendered = dom.count("<mjx-container")
    assert rendered >= 20, f"MathJax rendered {rendered} formulas; expected the chapter's math"
