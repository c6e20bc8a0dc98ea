"""The digit-scene generator: seeded, self-consistent labels, disjoint train and test digits."""

import numpy as np
import pytest

from course.data import make_scenes
from course.data.scenes import _digit_pool


def test_same_seed_same_scenes_other_seed_other_scenes():
    a, b = make_scenes(20, size=48, seed=3), make_scenes(20, size=48, seed=3)
    assert np.array_equal(a.images, b.images) and np.array_equal(a.semantic, b.semantic)
    assert all(np.array_equal(x, y) for x, y in zip(a.boxes, b.boxes))
    c = make_scenes(20, size=48, seed=4)
    assert not np.array_equal(a.images, c.images)


def test_shapes_types_and_ranges():
    scenes = make_scenes(30, size=64, digits=(2, 3), seed=0)
    assert scenes.images.shape == (30, 64, 64) and scenes.images.dtype == np.float32
    assert scenes.semantic.shape == scenes.instances.shape == (30, 64, 64)
    assert scenes.semantic.dtype == scenes.instances.dtype == np.int64
    assert 0.0 <= scenes.images.min() and scenes.images.max() <= 1.0
    assert scenes.semantic.max() <= 10 and scenes.n_classes == 11
    counts = [len(b) for b in scenes.boxes]
    assert min(counts) >= 1 and max(counts) <= 3 and np.mean(counts) > 2.0
    for boxes, labels in zip(scenes.boxes, scenes.labels):
        assert boxes.shape == (len(labels), 4) and boxes.dtype == np.float32 and labels.dtype == np.int64
        assert np.all(boxes[:, :2] >= 0) and np.all(boxes[:, 2:] <= 64) and np.all(boxes[:, 2:] > boxes[:, :2])


def test_masks_boxes_and_labels_agree():
    scenes = make_scenes(60, size=48, digits=(1, 4), height=(12, 22), seed=1)
    for i in range(len(scenes)):
        for k, ((x0, y0, x1, y1), digit) in enumerate(zip(scenes.boxes[i].astype(int), scenes.labels[i])):
            pixels = scenes.instances[i] == k + 1
            rows, cols = np.nonzero(pixels)
            if len(rows):  # every pixel of a digit lies in its box and carries its class
                assert rows.min() >= y0 and rows.max() < y1 and cols.min() >= x0 and cols.max() < x1
                assert np.all(scenes.semantic[i][pixels] == digit + 1)
        assert np.array_equal(scenes.semantic[i] > 0, scenes.instances[i] > 0)
        assert np.all(scenes.images[i][scenes.semantic[i] > 0] >= 0.4), "a labelled pixel must have ink"


def test_overlap_limit_is_respected():
    from course.data.scenes import _overlap

    for limit in (0.0, 0.3):
        scenes = make_scenes(40, size=48, digits=(3, 4), max_overlap=limit, seed=2)
        for boxes in scenes.boxes:
            for a in range(len(boxes)):
                for b in range(a):
                    assert _overlap(boxes[a], boxes[b]) <= limit + 1e-9


def test_train_and_test_scenes_use_disjoint_digits():
    train, test = _digit_pool("train"), _digit_pool("test")
    assert len(train[0]) == 4000 and len(test[0]) == 1000
    train_rows = {d.tobytes() for d in train[0]}
    assert not any(d.tobytes() in train_rows for d in test[0])
    assert not train[0].flags.writeable, "the cached digits must be read-only"


def test_bad_arguments_are_clear_errors():
    with pytest.raises(ValueError, match="split"):
        make_scenes(1, split="validation")
    with pytest.raises(ValueError, match="height"):
        make_scenes(1, size=32, height=(10, 40))
    with pytest.raises(ValueError, match="digits"):
        make_scenes(1, digits=(0, 2))
