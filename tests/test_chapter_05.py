"""Chapter 5 (GPU kernels): the simulator's reports, occupancy computed, no placeholder box."""

import pytest

from chapter_checks import figures, missing, text

pytestmark = pytest.mark.slow
CHAPTER = "05-gpu-kernels"


def test_chapter_05(built_site):
    page = text(built_site, CHAPTER)
    assert figures(built_site, CHAPTER) >= 3
    expected = ["One warp, 4 sectors against 32: 8 times", "the last 24 threads", "OutOfBoundsError", "UninitialisedReadError",
                "64 registers per thread halve that (50%)", "128 quarter it (25%", "seven-deep loop"]
    assert not missing(page, expected), missing(page, expected)
    for gone in ["belong here once", "No GPU was available when this page was built", "six-deep"]:
        assert gone not in page, gone
