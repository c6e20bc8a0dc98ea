"""MNIST-1D (Greydanus 2020): ten 1-D "digit" templates, each padded, stretched, shifted, sheared
and made noisy into signals of 40 points. Generated in code by the pinned ``mnist1d`` package
(``mnist1d.data.make_dataset``); its download helper ``get_dataset`` is never called.

``make_dataset`` seeds numpy's and Python's *global* generators (``set_seed(args.seed)``); the
loader puts both states back afterwards, so loading the data does not change anyone's random
numbers. It writes no file and opens no connection. Generating takes a few seconds (about
15,000 calls of scipy's ``interp1d``), so the arrays are kept in memory and in a cache file in
the system's temporary folder (never in the repository), keyed by the package version and the
arguments; ``cache=False`` skips the file.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import tempfile
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import numpy as np

from course.data.digits import DigitsSplit

# the package's defaults (mnist1d 0.0.2.post1, ``get_dataset_args()``), checked by the tests
DEFAULT_SEED = 42
LENGTH = 40


def _arguments(seed: int) -> dict:
    from mnist1d.data import get_dataset_args

    args = get_dataset_args(as_dict=True)
    args["seed"] = seed
    return args


def _cache_file(seed: int) -> Path:
    key = json.dumps({"mnist1d": version("mnist1d"), "seed": seed}, sort_keys=True)
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / "course-data" / f"mnist1d-{digest}.npz"


def _generate(seed: int) -> dict[str, np.ndarray]:
    """Run ``make_dataset`` with the package's default arguments (``seed`` aside), leaving the
    global random states as they were."""
    from mnist1d.data import make_dataset
    from mnist1d.utils import ObjectView

    numpy_state, python_state = np.random.get_state(), random.getstate()
    try:
        data = make_dataset(ObjectView(_arguments(seed)))
    finally:
        np.random.set_state(numpy_state)
        random.setstate(python_state)
    return {"x": data["x"], "y": data["y"], "x_test": data["x_test"], "y_test": data["y_test"], "t": data["t"]}


@lru_cache(maxsize=4)
def _arrays(seed: int, cache: bool) -> dict[str, np.ndarray]:
    path = _cache_file(seed)
    if cache and path.is_file():
        try:
            with np.load(path) as stored:
                return {k: stored[k] for k in stored.files}
        except (OSError, ValueError, KeyError):
            pass  # a damaged cache file: generate again
    arrays = _generate(seed)
    if cache:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp.npz")
            np.savez(partial, **arrays)
            os.replace(partial, path)
        except OSError:
            pass  # a read-only temporary folder only costs time
    return arrays


def load_mnist1d(seed: int = DEFAULT_SEED, cache: bool = True) -> DigitsSplit:
    """MNIST-1D as the package generates it: 4,000 training and 1,000 test signals of 40 points.

    Args:
        seed: the generator's seed; the default, 42, is the package's and gives the published
            data set (the one the MNIST-1D paper and notebooks use).
        cache: keep the generated arrays in a file in the temporary folder (see module docstring).

    Signals are float64, standardised over the whole data set (mean 0, standard deviation 1, as
    ``make_dataset`` returns them); labels are int64 in 0..9. The split is the package's: the
    first 80% of its shuffled samples train, the rest test.
    """
    arrays = _arrays(int(seed), bool(cache))
    return DigitsSplit(arrays["x"].copy(), arrays["y"].copy(), arrays["x_test"].copy(), arrays["y_test"].copy())
