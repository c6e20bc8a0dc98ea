import datetime as dt

import pytest

from course.data import DATE_FORMATS, load_dates, render_date


def test_every_format_renders_one_day():
    day = dt.date(2021, 3, 3)
    rendered = {name: render_date(day, name) for name in DATE_FORMATS}
    assert rendered["weekday, month day, year"] == "Wednesday, March 3, 2021"
    assert rendered["dotted, day first"] == "03.03.2021" and rendered["slashed, month first"] == "03/03/2021"
    assert rendered["the nth of month year"] == "the 3rd of March 2021"
    assert render_date(dt.date(2011, 11, 11), "month nth, year") == "November 11th, 2011"
    assert render_date(dt.date(2022, 1, 22), "month nth, year") == "January 22nd, 2022"
    assert len(set(rendered.values())) == len(DATE_FORMATS) == 14


def test_targets_are_iso_and_sources_parse_back():
    split = load_dates(n_train=2000, n_val=200, n_test=200, seed=1)
    for example in split.train + split.val + split.test:
        day = dt.date.fromisoformat(example.target)
        assert len(example.target) == 10
        assert render_date(day, example.format) == example.source
    # the two numeric formats read back with strptime under their documented conventions
    assert dt.datetime.strptime("03.04.2021", "%d.%m.%Y").date() == dt.date(2021, 4, 3)
    assert dt.datetime.strptime("03/04/2021", "%m/%d/%Y").date() == dt.date(2021, 3, 4)


def test_splits_are_disjoint_by_day_and_seeded():
    split = load_dates(n_train=3000, n_val=500, n_test=500, seed=0)
    days = [{e.target for e in part} for part in (split.train, split.val, split.test)]
    assert [len(d) for d in days] == [3000, 500, 500]
    assert not (days[0] & days[1] or days[0] & days[2] or days[1] & days[2])
    assert load_dates(n_train=50, n_val=5, n_test=5, seed=0).train == load_dates(n_train=50, n_val=5, n_test=5, seed=0).train
    assert load_dates(n_train=50, seed=0).train != load_dates(n_train=50, seed=1).train
    formats = {e.format for e in split.train}
    assert formats == set(DATE_FORMATS), "3,000 draws cover all 14 formats"


def test_too_many_days_is_a_clear_error():
    with pytest.raises(ValueError, match="distinct days"):
        load_dates(n_train=10, n_val=0, n_test=0, first=dt.date(2000, 1, 1), last=dt.date(2000, 1, 5))
