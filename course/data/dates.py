"""A sequence-to-sequence task generated in code: dates written the ways people write them,
to be translated into ISO 8601 (``2021-03-03``).

Everything comes from Python's ``datetime`` and the fixed English names below (not ``strftime``'s
``%B``/``%A``, whose output depends on the machine's locale), so every machine generates the same
examples for the same seed. Every source format is unambiguous: the only all-numeric ones are
``03.03.2021`` (day first, dots) and ``03/03/2021`` (month first, slashes), told apart by the
separator, and every year has four digits.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _fields(day: _dt.date) -> dict[str, str]:
    month, weekday = MONTHS[day.month - 1], WEEKDAYS[day.weekday()]
    return {"d": str(day.day), "dd": f"{day.day:02d}", "m": str(day.month), "mm": f"{day.month:02d}",
            "Y": f"{day.year:04d}", "Month": month, "Mon": month[:3], "month": month.lower(),
            "MONTH": month.upper(), "Weekday": weekday, "Wkd": weekday[:3], "nth": _ordinal(day.day)}


# name -> template; every field is filled from the date itself
FORMATS: dict[str, str] = {
    "day month year": "{d} {Month} {Y}",              # 3 March 2021
    "month day, year": "{Month} {d}, {Y}",            # March 3, 2021
    "short month day, year": "{Mon} {d}, {Y}",        # Mar 3, 2021
    "day short month year": "{d} {Mon} {Y}",          # 3 Mar 2021
    "weekday, month day, year": "{Weekday}, {Month} {d}, {Y}",  # Wednesday, March 3, 2021
    "short weekday day short month year": "{Wkd} {d} {Mon} {Y}",  # Wed 3 Mar 2021
    "dotted, day first": "{dd}.{mm}.{Y}",             # 03.03.2021
    "slashed, month first": "{mm}/{dd}/{Y}",          # 03/03/2021
    "year/month/day": "{Y}/{m}/{d}",                  # 2021/3/3
    "lower case": "{d} {month} {Y}",                  # 3 march 2021
    "upper case": "{MONTH} {d} {Y}",                  # MARCH 3 2021
    "the nth of month year": "the {nth} of {Month} {Y}",  # the 3rd of March 2021
    "month nth, year": "{Month} {nth}, {Y}",          # March 3rd, 2021
    "day-short month-year": "{d}-{Mon}-{Y}",          # 3-Mar-2021
}


def render_date(day: _dt.date, format_name: str) -> str:
    """``day`` written in one of the ``FORMATS`` (by name)."""
    return FORMATS[format_name].format(**_fields(day))


class DateExample(NamedTuple):
    source: str  # the date as a person wrote it
    target: str  # ISO 8601, always 10 characters: YYYY-MM-DD
    format: str  # the name of the source's format in FORMATS


@dataclass(frozen=True)
class DatesSplit:
    """Three disjoint sets of dates: no calendar day appears in two of them."""

    train: list[DateExample]
    val: list[DateExample]
    test: list[DateExample]


def load_dates(n_train: int = 10_000, n_val: int = 1_000, n_test: int = 1_000, seed: int = 0,
               first: _dt.date = _dt.date(1900, 1, 1), last: _dt.date = _dt.date(2099, 12, 31)) -> DatesSplit:
    """Draw ``n_train + n_val + n_test`` distinct days between ``first`` and ``last`` (inclusive)
    with ``numpy.random.default_rng(seed)``, give each a format drawn uniformly from ``FORMATS``,
    and cut them into train, validation and test sets in the order drawn.
    """
    span = last.toordinal() - first.toordinal() + 1
    total = n_train + n_val + n_test
    if min(n_train, n_val, n_test) < 0 or total > span:
        raise ValueError(f"cannot draw {total} distinct days from a range of {span}")
    rng = np.random.default_rng(seed)
    offsets = rng.choice(span, size=total, replace=False)
    names = list(FORMATS)
    formats = rng.integers(len(names), size=total)
    examples = []
    for offset, k in zip(offsets, formats):
        day = _dt.date.fromordinal(first.toordinal() + int(offset))
        examples.append(DateExample(render_date(day, names[k]), day.isoformat(), names[k]))
    return DatesSplit(examples[:n_train], examples[n_train:n_train + n_val], examples[n_train + n_val:])
