"""Chapter 7 (recurrent networks): its figures, worked numbers, slips and experiments reach the page."""

from __future__ import annotations

import re

import pytest

from leaks import html_text, squeeze

pytestmark = pytest.mark.slow
PAGE = "book/07-recurrent-networks.html"


@pytest.fixture(scope="module")
def chapter(built_site):
    path = built_site / PAGE
    assert path.is_file(), f"{PAGE} was not built (is it in _toc.yml?)"
    return path


def test_figures_are_on_the_page(chapter, built_site):
    page = chapter.read_text()
    # Jacobian norms against T, the loss cliff, gradient reach RNN vs LSTM, attention heat maps
    assert page.count("<img alt=") >= 4, "chapter 7: figures are missing"
    for src in re.findall(r'<img[^>]+src="([^"]+)"', page):
        assert (built_site / "book" / src).resolve().is_file(), f"broken image {src}"


def test_worked_numbers_and_slips(chapter):
    text = squeeze(html_text(chapter))
    assert "= 0.3466" in text, "the best bigram model of 'hello' (ln 2 / 2)"
    assert "A slip in the slides" in text and "symmetric" in text, "the Q Lambda Q^T / orthogonal slip"
    assert "Two slips in the lecture" in text and "dwh" in text and "dWh" in text, "the LSTM backward slips"
    assert "the caller’s ones became 2.0" in text or "the caller's ones became 2.0" in text, "the in-place += is computed"
    assert "15,744 against 20,992" in text, "GRU and LSTM parameter counts"
    assert "Every seed beats the bigram model" in text


def test_experiments_report_numbers_anchors_and_hardware(chapter):
    text = squeeze(html_text(chapter))
    assert "2.5630 nats per character" in text, "the exact bigram baseline on the validation surnames"
    for anchor in ("makemore: bigram", "2.48", "2.17", "1.92"):
        assert anchor in text, f"makemore's published number {anchor!r} is missing"
    match = re.search(r"Every seed beats the bigram model: (\d\.\d{4}) nats per character", text)
    assert match and float(match.group(1)) < 2.5630
    assert re.search(r"(\d+\.\d)% of the test dates come out exactly right with attention", text)
    assert "torch 2." in text and "CPU" in text or "CUDA" in text, "hardware and versions are printed"


def test_lab_is_linked(chapter):
    assert "recurrent_networks.ipynb" in chapter.read_text()
