"""Chapter 9 (self-supervised learning): the built page shows its figures, its computed numbers
beside the MNIST-1D notebook's published ones, and links its lab."""

from __future__ import annotations

import re

import pytest

from leaks import html_text, squeeze

pytestmark = pytest.mark.slow
PAGE = "book/09-self-supervised.html"


def _text(built_site) -> str:
    return squeeze(html_text(built_site / PAGE))


def test_figures_are_on_the_page(built_site):
    page = (built_site / PAGE).read_text()
    # augmentations, t-SNE, few labels, ablations, DINO collapse
    assert page.count("<img alt=") >= 5, "chapter 9: figures are missing"


def test_anchor_figures_are_printed_beside_ours(built_site):
    text = _text(built_site)
    for published in ("32.8%", "59.6%", "74.3%", "82.7%"):
        assert published in text, f"chapter 9 lacks the MNIST-1D notebook's figure {published}"
    assert "greydanus/mnist1d" in text
    # our raw-signal baselines, computed at build time: the 10-NN figure reproduces the notebook's
    assert re.search(r"10 nearest neighbours 59\.6%", text), "chapter 9: the raw 10-NN baseline"


def test_key_numbers_are_computed_and_plausible(built_site):
    text = _text(built_site)
    match = re.search(r"reads the digit from the frozen 64 features with (\d+\.\d)% accuracy \(median of 3 seeds, range (\d+\.\d) to (\d+\.\d)%\)", text)
    assert match, "chapter 9: the SimCLR probe sentence with its seeds"
    median, low, high = map(float, match.groups())
    assert low <= median <= high and median > 65.0, f"SimCLR probe {median}% is implausibly low"
    raw = float(re.search(r"On the raw signals a linear model reaches (\d+\.\d)%", text).group(1))
    assert median > raw + 20, "the SimCLR probe should beat the linear model on raw signals by far"
    assert re.search(r"zero-shot with (\d+\.\d)% accuracy", text), "chapter 9: CLIP zero-shot accuracy"
    assert re.search(r"the teacher uses (\d+\.\d) of its 32 outputs", text), "chapter 9: DINO's outputs in use"


def test_lecture_numbers_and_lab_link(built_site):
    text = _text(built_site)
    for number in ("196 of them", "the encoder sees 49", "147 are hidden", "11.6 points"):
        assert number in text, f"chapter 9 lacks the recomputed lecture number {number!r}"
    assert list(built_site.rglob("self_supervised.ipynb")), "the lab notebook is not downloadable from the site"
    assert "machine that built it" in text and "torch" in text, "hardware and versions are printed"
