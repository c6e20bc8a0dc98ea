import numpy as np
import pytest

from data import load_digits


def test_split_is_seeded_and_reproducible():
    a, b = load_digits(seed=3), load_digits(seed=3)
    assert np.array_equal(a.X_train, b.X_train) and np.array_equal(a.y_test, b.y_test)
    c = load_digits(seed=4)
    assert not np.array_equal(a.y_train, c.y_train)


def test_split_is_stratified_disjoint_and_complete():
    split = load_digits(seed=0, test_fraction=0.2)
    assert len(split.X_train) + len(split.X_test) == 1797
    train_rows = {row.tobytes() for row in split.X_train}
    assert not any(row.tobytes() in train_rows for row in split.X_test), "a test image is also in train"
    labels = np.concatenate([split.y_train, split.y_test])
    for label in range(10):
        held_out = np.sum(split.y_test == label) / np.sum(labels == label)
        assert abs(held_out - 0.2) < 0.01, f"class {label}: {held_out:.3f} of it is in test, not 0.2"
    assert split.n_classes == 10
    assert split.X_train.min() >= 0.0 and split.X_train.max() <= 1.0


def test_images_keep_their_shape_when_asked():
    assert load_digits(flatten=False).X_train.shape[1:] == (8, 8)


def test_bad_fraction_is_a_clear_error():
    with pytest.raises(ValueError, match="test_fraction"):
        load_digits(test_fraction=1.5)
