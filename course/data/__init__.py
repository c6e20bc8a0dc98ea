"""Datasets that ship inside installed packages: nothing here touches the network.

Every split is seeded, so the same seed gives the same train/test partition on every machine.
Each dataset has a page on the site (``data/sets/``) with its source, size, split and licence.
"""

# one line per dataset module
from course.data.digits import DigitsSplit, load_digits  # noqa: F401
from course.data.mnist import load_mnist  # noqa: F401
from course.data.surnames import SurnamesSplit, load_surnames, read_surnames  # noqa: F401
from course.data.dates import FORMATS as DATE_FORMATS, DateExample, DatesSplit, load_dates, render_date  # noqa: F401
from course.data.prose import ProseSplit, load_prose, prose_topics  # noqa: F401
from course.data.scenes import Scenes, make_scenes  # noqa: F401
from course.data.mnist1d import load_mnist1d  # noqa: F401
from course.data.mixtures import RingMixture, modes_covered, ring_centres, ring_mixture  # noqa: F401
