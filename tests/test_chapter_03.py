"""Chapter 3 (convolution arithmetic): the lecture's worked numbers and the corrections."""

import pytest

from chapter_checks import figures, missing, text

pytestmark = pytest.mark.slow
CHAPTER = "03-conv-arithmetic"


def test_chapter_03(built_site):
    page = text(built_site, CHAPTER)
    assert figures(built_site, CHAPTER) >= 2
    expected = ["32x32x10", "760", "(1, 8, 5, 5)", "gives 2.33", "55x55x96", "27x27x256", "138,357,544", "see 7x7",
                "seven nested loops", "torch conv2d = scipy correlate2d: True", "torch conv2d = the lecture's convolution: False",
                "edge share"]
    assert not missing(page, expected), missing(page, expected)
    assert "six nested loops" not in page
