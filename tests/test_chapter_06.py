"""Chapter 6 on the built site: its figures, its worked numbers and its experiments' results."""

from __future__ import annotations

import re

import pytest

from leaks import html_text, squeeze

pytestmark = pytest.mark.slow
PAGE = "book/06-segmentation-detection.html"


@pytest.fixture(scope="module")
def chapter(built_site):
    return built_site / PAGE


def test_chapter_has_its_figures_and_links_its_lab(built_site, chapter):
    html = chapter.read_text()
    # scenes, checkerboard, U-Net predictions, detections with the PR curve, DETR's cost matrix
    assert html.count("<img alt=") >= 5, "chapter 6: figures are missing"
    assert "segmentation_detection.ipynb" in html, "chapter 6 must link its lab notebook"
    assert (built_site / "data/sets/scenes.html").is_file(), "the digit-scene data page is missing"
    assert "<img alt=" in (built_site / "data/sets/scenes.html").read_text(), "the data page shows example scenes"


def test_worked_numbers_are_computed_into_the_page(chapter):
    text = squeeze(html_text(chapter))
    for number in [
        "102,764,544 parameters",        # VGG-16's fc6 as a 7x7 convolution
        "from a 7x7 score map to 224 pixels",  # FCN-32s's transposed convolution
        "572 -> 570 -> 568",             # U-Net's size walk ...
        "388x388 output",                # ... to the paper's output size
        "central 388x388 pixels",
        "scores 21,546 anchors",         # Faster R-CNN's RPN on a 1000x600 image
        "makes 1,470 numbers",           # YOLO's 7x7x30 output
        "SSD300 predicts 8,732 boxes",
        "the box moves by 5.3 input pixels",
        "9.0e+09 assignments",           # brute-force matching, 100 queries and 5 objects
    ]:
        assert number in text, f"chapter 6 lacks the worked number {number!r}"


def test_experiments_report_seeds_spread_time_and_hardware(chapter):
    text = squeeze(html_text(chapter))
    assert re.search(r"with skips 0\.\d{3} \(median of 3 seeds, range 0\.\d{3} to 0\.\d{3}\), without 0\.\d{3}", text), \
        "the U-Net experiment's medians and ranges"
    assert re.search(r"the skips (helped|did not help)", text)
    assert re.search(r"with NMS \(IoU threshold 0\.5, per class\): 0\.\d{3} \(median of 3 seeds, range 0\.\d{3} to 0\.\d{3}\)", text), \
        "the detector's AP with NMS, median and range"
    assert re.search(r"without NMS 0\.\d{3} \(0\.\d{3} to 0\.\d{3}\)", text)
    assert re.search(r"all six runs took \d+ s", text) and re.search(r"took \d+ s for the three runs", text)
    assert re.search(r"All of this page.s code ran in \d+ s on .*torch 2\.", text), "page time and hardware"
    for published in ["62.2 mean IoU", "73.2 mAP", "63.4 mAP", "74.3 mAP", "35.7 mask AP", "42.0 AP"]:
        assert published in text, f"the published anchor {published!r} is missing"
