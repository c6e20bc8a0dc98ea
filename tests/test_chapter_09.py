"""Chapter 9 (self-supervised learning): the built page shows its figures, its computed numbers
beside the MNIST-1D notebook's published ones, the lectures' recomputed numbers, and links its lab."""

from __future__ import annotations

import re

import pytest

from chapter_checks import figures, missing, text

pytestmark = pytest.mark.slow
CHAPTER = "09-self-supervised"


def test_figures_and_lab_link(built_site):
    # augmentations, t-SNE, few labels, ablations, DINO's collapse
    assert figures(built_site, CHAPTER) >= 5, "chapter 9: figures are missing"
    assert "self_supervised.ipynb" in (built_site / "book" / f"{CHAPTER}.html").read_text(), "the chapter links to Lab 09's notebook"


def test_anchor_figures_are_printed_beside_ours(built_site):
    page = text(built_site, CHAPTER)
    assert not missing(page, ["32.8%", "59.6%", "74.3%", "82.7%", "greydanus/mnist1d"]), "the MNIST-1D notebook's figures"
    # our raw-signal baselines, computed at build time: the 10-NN figure reproduces the notebook's
    assert "10 nearest neighbours 59.6%" in page, "chapter 9: the raw 10-NN baseline"
    assert "67.1%" in page and "83.5%" in page, "MAE's published linear-probe and fine-tuning figures"


def test_key_numbers_are_computed_and_plausible(built_site):
    page = text(built_site, CHAPTER)
    match = re.search(r"reads the digit from the frozen 64 features with (\d+\.\d)% accuracy "
                      r"\(median of 3 seeds, range (\d+\.\d) to (\d+\.\d)%\)", page)
    assert match, "chapter 9: the SimCLR probe sentence with its seeds"
    median, low, high = map(float, match.groups())
    assert low <= median <= high and median > 65.0, f"SimCLR probe {median}% is implausibly low"
    raw = float(re.search(r"On the raw signals a linear model reaches (\d+\.\d)%", page).group(1))
    assert median > raw + 20, "the SimCLR probe should beat the linear model on raw signals by far"
    assert re.search(r"zero-shot with (\d+\.\d)% accuracy", page), "chapter 9: CLIP's zero-shot accuracy"
    assert re.search(r"the teacher uses (\d+\.\d) of its 32 outputs", page), "chapter 9: DINO's outputs in use"
    assert "nan" not in re.findall(r"\bnan\b", page.lower()), "a NaN reached the page"


def test_lecture_numbers_and_hardware(built_site):
    page = text(built_site, CHAPTER)
    expected = ["196 of them", "the encoder sees 49", "147 are hidden", "11.6 points", "machine that built it", "torch 2."]
    assert not missing(page, expected), missing(page, expected)
