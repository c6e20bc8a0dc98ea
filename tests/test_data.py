import numpy as np
import pytest

from course.data import load_digits, load_mnist


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


def test_mnist_split_sizes_and_values():
    split = load_mnist(seed=0)
    assert split.X_train.shape == (4000, 28, 28) and split.X_test.shape == (1000, 28, 28)
    assert split.X_train.min() == 0.0 and split.X_train.max() == 1.0
    counts = np.bincount(split.y_test, minlength=10)
    assert counts.sum() == 1000 and counts.min() > 70, counts
    assert np.array_equal(load_mnist(seed=0).y_train, split.y_train)


def test_mnist_resizes_for_lenet_and_the_1989_network():
    big, small = load_mnist(seed=1, size=32), load_mnist(seed=1, size=16)
    assert big.X_train.shape[1:] == (32, 32) and small.X_train.shape[1:] == (16, 16)
    plain = load_mnist(seed=1)
    assert np.array_equal(big.X_train[:, 2:30, 2:30], plain.X_train) and big.X_train[:, :2].max() == 0.0
    # area averaging (windows of 1.75 pixels, so they overlap a little) keeps each image's mean ink
    assert np.abs(small.X_train.mean(axis=(1, 2)) - plain.X_train.mean(axis=(1, 2))).max() < 0.02
