"""Chapter 8 (attention and transformers): the built page shows its figures and its key numbers."""

from __future__ import annotations

import re

import pytest

from course.data import load_prose
from leaks import html_text, squeeze

pytestmark = pytest.mark.slow
PAGE = "book/08-attention-transformers.html"


@pytest.fixture(scope="module")
def page(built_site) -> tuple[str, str]:
    path = built_site / PAGE
    assert path.is_file(), f"missing {PAGE}"
    return path.read_text(), squeeze(html_text(path))


def test_figures_and_lab_link(page, built_site):
    raw, _ = page
    assert raw.count("<img alt=") >= 8, "chapter 8 shows 8 figures"
    for src in re.findall(r'<img[^>]+src="([^"]+)"', raw):
        assert (built_site / "book" / src).resolve().is_file(), f"broken image {src}"
    assert "transformers.ipynb" in raw, "the chapter links to Lab 08's notebook"


def test_lecture_worked_example_and_its_slip(page):
    _, text = page
    # the queries W_query really gives for x(1), x(2), against what the slide prints
    for computed, printed in [("(2, 5)", "(2, 1)"), ("(-1, -2)", "(-1, 0)")]:
        assert computed in text and printed in text
    assert "(0.118, 0.876, 0.006)" in text, "the slide's weights for x(2), recomputed"
    assert "(-1.150, 0.522)" in text and "(-1.147, 0.520)" in text, "printed output vs exact output"
    assert "(0.500, 0.500, 0.000)" in text and "(1.500, -1.000)" in text, "x(2) with the computed query"


def test_corpus_and_models_numbers(page):
    _, text = page
    prose = load_prose(seed=0)
    assert f"{len(prose.train):,} training characters" in text
    assert "below the bigram" in text and "nats per character" in text
    assert "1.4697" in text and "1.88" in text, "nanoGPT's published numbers beside ours"
    assert "100%" in text and "minGPT" in text and "UvA" in text, "the reversal/sorting anchors"
    assert "42.0 box AP" in text and "77.9%" in text, "DETR's and ViT's published numbers"
    assert "nan" not in re.findall(r"\bnan\b", text.lower()), "a NaN reached the page"
