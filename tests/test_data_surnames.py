from pathlib import Path

import numpy as np
import pytest

from course.data import load_surnames, read_surnames


def test_every_census_surname_is_read_from_the_package_file():
    import names  # only to find its folder: the loader reads the file, not the package's functions

    rows = read_surnames()
    assert len(rows) == 88_799
    assert rows[0] == ("smith", 1) and rows[-1] == ("aalderink", 88_799)
    assert [rank for _, rank in rows] == list(range(1, 88_800)), "rows are in rank order"
    raw = (Path(names.__file__).parent / "dist.all.last").read_text().split()
    assert len(raw) == 4 * 88_799 and raw[0] == "SMITH"
    assert all(name.isalpha() and name.islower() for name, _ in rows)


def test_split_sizes_disjoint_and_complete():
    split = load_surnames(seed=0)
    assert (len(split.train), len(split.val), len(split.test)) == (71_041, 8_879, 8_879)
    parts = [set(split.train), set(split.val), set(split.test)]
    assert sum(map(len, parts)) == 88_799 and len(set.union(*parts)) == 88_799
    assert split.alphabet == ".abcdefghijklmnopqrstuvwxyz"


def test_split_is_seeded():
    a, b, c = load_surnames(seed=3), load_surnames(seed=3), load_surnames(seed=4)
    assert a.train == b.train and a.test == b.test
    assert a.train != c.train
    assert np.mean([len(n) for n in a.val]) == pytest.approx(6.8, abs=0.1)


def test_bad_fractions_are_a_clear_error():
    with pytest.raises(ValueError, match="val_fraction"):
        load_surnames(val_fraction=0.6, test_fraction=0.5)
