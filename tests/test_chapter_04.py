"""Chapter 4 (LeNet to ResNet): computed verdicts, medians over seeds, no typed GPU figures."""

import pytest

from chapter_checks import figures, missing, text

pytestmark = pytest.mark.slow
CHAPTER = "04-cnn-architectures"


def test_chapter_04(built_site):
    page = text(built_site, CHAPTER)
    assert figures(built_site, CHAPTER) >= 4
    expected = ["That is 9,760 free parameters", "Three simplifications", "ReLU against tanh",
                "median training error is", "Seed by seed, the frozen backbone", "median of 3 seeds"]
    assert not missing(page, expected), missing(page, expected)
    # figures from another machine are not typed into the page (no script and record in the repository)
    for gone in ["runch4.py", "Measured on a GPU", "ReLU trains faster than tanh", "the same ordering"]:
        assert gone not in page, gone
