"""Datasets that ship inside installed packages: nothing here touches the network.

Every split is seeded, so the same seed gives the same train/test partition on every machine.
See ``data/README.md`` for each dataset's source, size, split and licence.
"""

from course.data.digits import DigitsSplit, load_digits
from course.data.mnist import load_mnist
from course.data.mnist1d import load_mnist1d

__all__ = ["DigitsSplit", "load_digits", "load_mnist", "load_mnist1d"]
