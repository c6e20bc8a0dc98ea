"""The UCI optical-recognition handwritten digits, as shipped inside scikit-learn.

1,797 grey-scale images of 8x8 pixels (values 0..16) written by 43 people, ten classes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class DigitsSplit:
    """A seeded, stratified train/test split. Images are float64 in [0, 1], labels int64."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray

    @property
    def n_classes(self) -> int:
        return int(max(self.y_train.max(), self.y_test.max())) + 1


def load_digits(seed: int = 0, test_fraction: float = 0.2, flatten: bool = True) -> DigitsSplit:
    """Load the 8x8 digits and split them with a stratified, seeded shuffle.

    Args:
        seed: seeds the shuffle; the same seed gives the same split everywhere.
        test_fraction: share of each class held out for testing (0.2 gives 359 test images).
        flatten: ``True`` gives rows of 64 features, ``False`` images of shape (8, 8).

    Pixel values are divided by 16, so every feature lies in [0, 1].
    """
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must lie strictly between 0 and 1, got {test_fraction}")
    from sklearn.datasets import load_digits as _sklearn_digits  # reads a file inside the wheel

    bunch = _sklearn_digits()
    X = bunch.images.astype(np.float64) / 16.0
    y = bunch.target.astype(np.int64)
    if flatten:
        X = X.reshape(len(X), -1)

    rng = np.random.default_rng(seed)
    test_idx: list[np.ndarray] = []
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        test_idx.append(members[: int(round(test_fraction * len(members)))])
    test_mask = np.zeros(len(y), dtype=bool)
    test_mask[np.concatenate(test_idx)] = True
    train_order = rng.permutation(np.flatnonzero(~test_mask))
    test_order = rng.permutation(np.flatnonzero(test_mask))
    return DigitsSplit(X[train_order], y[train_order], X[test_order], y[test_order])
