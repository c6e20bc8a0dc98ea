"""Chapter 1 (perceptrons and MLPs): its worked numbers, figures and computed verdicts."""

import pytest

from chapter_checks import figures, missing, text

pytestmark = pytest.mark.slow
CHAPTER = "01-perceptrons-mlps"


def test_chapter_01(built_site):
    page = text(built_site, CHAPTER)
    assert figures(built_site, CHAPTER) >= 3
    expected = [
        # the lecture's worked numbers, recomputed, and the slide's base-10 slip
        "2.9, 0.0 and 12.9", "5.2667", "gives 2.04", "0.89", "= 709.8",
        # 1.1: the separable panel is separable and reached; XOR against a coin and the best line
        "reaches a training accuracy of 1.00: every point on its side", "the best any line can do is 0.75",
        # 1.3: verdicts seed by seed, and the cost of an epoch measured rather than assumed equal
        "against full-batch gradient descent, minibatch SGD's is higher in every seed",
        "times the wall time of a full-batch epoch", "In the wall time of full batch's 30 epochs",
    ]
    assert not missing(page, expected), missing(page, expected)
    assert "Each epoch costs about the same" not in page
