"""A 2-D mixture of Gaussians on a ring: the standard toy data for mode collapse in GANs.

Generated in code from a seed (nothing is read or downloaded). ``modes`` equally weighted
Gaussian components with centres evenly spaced on a circle, each with the same small isotropic
spread, as in Metz et al. (2017, "Unrolled generative adversarial networks", 8 modes, radius 2,
standard deviation 0.02). ``modes_covered`` counts which components a set of samples reaches,
the measure those papers report.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class RingMixture:
    """Samples ``X`` (n, 2) float64, the component each came from (n,) int64, the centres
    (modes, 2) and the components' standard deviation."""

    X: np.ndarray
    component: np.ndarray
    centres: np.ndarray
    std: float


def ring_centres(modes: int = 8, radius: float = 2.0) -> np.ndarray:
    """Centres of the components: ``radius * (cos, sin)`` of angles ``2 pi k / modes``."""
    angles = 2 * np.pi * np.arange(modes) / modes
    return radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def ring_mixture(n: int = 2000, seed: int = 0, modes: int = 8, radius: float = 2.0, std: float = 0.02) -> RingMixture:
    """``n`` samples of the ring mixture, drawn with ``numpy.random.default_rng(seed)``.

    Args:
        n: number of samples.
        seed: the same seed gives the same samples on every machine.
        modes: number of components (equal weights).
        radius: distance of every centre from the origin.
        std: standard deviation of every component, in each coordinate.
    """
    if n < 0 or modes < 1 or std < 0:
        raise ValueError(f"need n >= 0, modes >= 1 and std >= 0, got n={n}, modes={modes}, std={std}")
    rng = np.random.default_rng(seed)
    centres = ring_centres(modes, radius)
    component = rng.integers(0, modes, size=n)
    X = centres[component] + std * rng.standard_normal((n, 2))
    return RingMixture(X, component.astype(np.int64), centres, float(std))


def modes_covered(samples: np.ndarray, centres: np.ndarray, std: float, within: float = 3.0,
                  min_share: float = 0.01) -> tuple[int, float, np.ndarray]:
    """How many components a set of 2-D samples reaches.

    A sample is *close* if it lies within ``within * std`` of its nearest centre; a component is
    *covered* if at least ``min_share`` of all samples are close to it.

    Returns:
        (number of components covered, share of samples that are close, close samples per component).
    """
    samples = np.asarray(samples, dtype=np.float64).reshape(-1, 2)
    distances = np.linalg.norm(samples[:, None, :] - centres[None, :, :], axis=2)
    nearest = distances.argmin(axis=1)
    close = distances[np.arange(len(samples)), nearest] <= within * std
    counts = np.bincount(nearest[close], minlength=len(centres))
    share = float(close.mean()) if len(samples) else 0.0
    return int((counts >= min_share * max(len(samples), 1)).sum()), share, counts
