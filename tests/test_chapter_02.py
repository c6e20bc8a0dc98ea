"""Chapter 2 (backprop by hand): the lecture's example and the vanishing-gradient measurement."""

import pytest

from chapter_checks import figures, text

pytestmark = pytest.mark.slow
CHAPTER = "02-backprop"


def test_chapter_02(built_site):
    page = text(built_site, CHAPTER)
    assert figures(built_site, CHAPTER) >= 3
    assert r"\(q\) = 3 and \(f\) = -12" in page, "the lecture's f = (x + y) z example"
    assert r"\(\partial f / \partial x\) = -4, \(\partial f / \partial y\) = -4 and \(\partial f / \partial z\) = 3" in page
    assert "6 configurations (2 activations x 3 depths) x 3 seeds = 18 networks" in page
    assert "less than one order of magnitude apart" in page, "He-initialised ReLU gradients keep their scale"
