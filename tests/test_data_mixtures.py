import numpy as np
import pytest

from course.data import modes_covered, ring_centres, ring_mixture


def test_ring_is_seeded_and_reproducible():
    a, b, c = ring_mixture(500, seed=3), ring_mixture(500, seed=3), ring_mixture(500, seed=4)
    assert np.array_equal(a.X, b.X) and np.array_equal(a.component, b.component)
    assert not np.array_equal(a.X, c.X)
    assert a.X.shape == (500, 2) and a.X.dtype == np.float64 and a.component.dtype == np.int64


def test_samples_sit_on_their_centres_with_the_stated_spread():
    ring = ring_mixture(40_000, seed=0, modes=6, radius=3.0, std=0.1)
    assert np.allclose(np.linalg.norm(ring.centres, axis=1), 3.0)
    offsets = ring.X - ring.centres[ring.component]
    assert abs(offsets.std() - 0.1) < 0.003 and np.abs(offsets.mean(axis=0)).max() < 0.003
    shares = np.bincount(ring.component, minlength=6) / len(ring.component)
    assert np.abs(shares - 1 / 6).max() < 0.01, shares


def test_modes_covered_counts_only_close_samples():
    centres = ring_centres(8, 2.0)
    assert modes_covered(ring_mixture(2000, seed=1).X, centres, 0.02)[0] == 8
    # every sample on two modes: two covered, all close
    two = np.repeat(centres[[0, 3]], 50, axis=0)
    count, share, per_mode = modes_covered(two, centres, 0.02)
    assert (count, share) == (2, 1.0) and per_mode.tolist() == [50, 0, 0, 50, 0, 0, 0, 0]
    # the origin is far from every centre: nothing close, nothing covered
    assert modes_covered(np.zeros((10, 2)), centres, 0.02)[:2] == (0, 0.0)
    # a mode reached by fewer than min_share of the samples does not count
    few = np.concatenate([np.repeat(centres[:1], 995, axis=0), centres[1:2].repeat(5, axis=0)])
    assert modes_covered(few, centres, 0.02, min_share=0.01)[0] == 1
    assert modes_covered(few, centres, 0.02, min_share=0.005)[0] == 2


def test_bad_arguments_are_clear_errors():
    with pytest.raises(ValueError, match="modes"):
        ring_mixture(10, modes=0)
