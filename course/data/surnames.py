"""The 88,799 surnames of the 1990 US census, as shipped inside the ``names`` package (0.3.0).

The package's wheel/sdist carries three plain-text files beside its code; ``dist.all.last`` is the
surname list. We read that file directly (``importlib.resources``) and never call the package's
functions. Each line holds four whitespace-separated columns:

    SMITH          1.006  1.006      1

name (upper case), frequency in percent of the sampled population, cumulative frequency in
percent, and rank (1 = most frequent). We use the name and the rank; the rank is the file's order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import numpy as np

_FILE = "dist.all.last"  # inside the ``names`` package
_LETTERS = re.compile(r"^[a-z]+$")
BOUNDARY = "."  # the token that starts and ends every name (makemore's convention)


@dataclass(frozen=True)
class SurnamesSplit:
    """A seeded train/validation/test split of lower-case surnames (lists of ``str``)."""

    train: list[str]
    val: list[str]
    test: list[str]

    @property
    def alphabet(self) -> str:
        """``"."`` (the boundary token, index 0) followed by the letters that occur, sorted."""
        letters = sorted(set("".join(self.train + self.val + self.test)))
        return BOUNDARY + "".join(letters)


def read_surnames() -> list[tuple[str, int]]:
    """Every (surname, rank) of ``dist.all.last``, lower-cased, in the file's (rank) order.

    Only names made of the letters a-z are kept; in ``names`` 0.3.0 that is every one of the
    88,799 lines (the census file has no spaces, hyphens or apostrophes).
    """
    text = resources.files("names").joinpath(_FILE).read_text(encoding="ascii")
    rows = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) != 4:
            continue
        name = fields[0].lower()
        if _LETTERS.match(name):
            rows.append((name, int(fields[3])))
    return rows


def load_surnames(seed: int = 0, val_fraction: float = 0.1, test_fraction: float = 0.1) -> SurnamesSplit:
    """All surnames, shuffled with ``numpy.random.default_rng(seed)`` and cut into three parts.

    Args:
        seed: seeds the shuffle; the same seed gives the same split on every machine.
        val_fraction, test_fraction: shares held out (rounded down to whole names); the rest,
            80% by default (71,041 of 88,799 names; 8,879 each for validation and test), is the training set.
    """
    if val_fraction < 0 or test_fraction < 0 or val_fraction + test_fraction >= 1:
        raise ValueError(f"val_fraction and test_fraction must be >= 0 with a sum below 1, got {val_fraction}, {test_fraction}")
    names = [name for name, _ in read_surnames()]
    order = np.random.default_rng(seed).permutation(len(names))
    n_val, n_test = int(val_fraction * len(names)), int(test_fraction * len(names))
    shuffled = [names[i] for i in order]
    n_train = len(names) - n_val - n_test
    return SurnamesSplit(shuffled[:n_train], shuffled[n_train:n_train + n_val], shuffled[n_train + n_val:])
