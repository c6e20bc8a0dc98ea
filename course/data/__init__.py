"""Datasets that ship inside installed packages: nothing here touches the network.

Every split is seeded, so the same seed gives the same train/test partition on every machine.
See ``data/README.md`` for each dataset's source, size, split and licence.
"""

from course.data.digits import DigitsSplit, load_digits
from course.data.mnist import load_mnist

__all__ = ["DigitsSplit", "load_digits", "load_mnist"]

from course.data.mixtures import RingMixture, modes_covered, ring_centres, ring_mixture  # noqa: E402

__all__ += ["RingMixture", "modes_covered", "ring_centres", "ring_mixture"]
