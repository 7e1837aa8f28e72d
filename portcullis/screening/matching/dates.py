"""Birth-date comparison on the loose formats lists use.

Values are ISO-ish strings: `1961-03-02`, `1961-03`, `1961`, a range
`1965..1969`, or several joined with `|`. Lists publish partial and
alternative dates ("1957 or 1958"), so we compare sets of intervals.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

_DATE = re.compile(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


class DobOutcome(StrEnum):
    EXACT = "exact"  # the same full date
    YEAR = "year"  # the same year (or overlapping ranges), day unknown on a side
    CLOSE = "close"  # a year apart, or day and month transposed: a typo, probably
    # The same year on two full dates that differ in month and day: the year alone agrees, where
    # a list that knew only the year would have said nothing against (the shared pairs' hard
    # negatives show it as often as their aliases; a year-only date agreeing is mostly aliases).
    DAY_DIFFERS = "day_differs"
    # A few years apart: a list's estimate or a typo of one person, or two relatives.
    NEAR = "near"
    CONFLICT = "conflict"  # both known and incompatible
    UNKNOWN = "unknown"  # one side has no date


@dataclass(frozen=True, slots=True)
class BirthDate:
    first_year: int
    last_year: int
    month: int | None = None
    day: int | None = None

    @property
    def is_full(self) -> bool:
        return self.day is not None and self.first_year == self.last_year


def _parse_one(text: str) -> BirthDate | None:
    if ".." in text:
        low, _, high = text.partition("..")
        start, end = _parse_one(low), _parse_one(high)
        if start is None or end is None:
            return None
        return BirthDate(start.first_year, max(end.last_year, start.first_year))
    found = _DATE.search(text)
    if found is None:
        return None
    year = int(found.group(1))
    month = int(found.group(2)) if found.group(2) else None
    day = int(found.group(3)) if found.group(3) else None
    return BirthDate(year, year, month or None, day or None)


def parse_birth_dates(values: Iterable[str]) -> tuple[BirthDate, ...]:
    return tuple(date for value in values for date in _parse_value(value))


@lru_cache(maxsize=20_000)
def _parse_value(value: str) -> tuple[BirthDate, ...]:
    """One field's dates (`1957-08-17|1958-08-17`), memoised: a list's entries are scored over
    and over, and a `BirthDate` is immutable."""
    parsed = (_parse_one(part.strip()) for part in value.split("|"))
    return tuple(date for date in parsed if date is not None)


def _compare_pair(a: BirthDate, b: BirthDate) -> DobOutcome:
    if a.is_full and b.is_full:
        if (a.first_year, a.month, a.day) == (b.first_year, b.month, b.day):
            return DobOutcome.EXACT
        if a.first_year == b.first_year and (a.month, a.day) == (b.day, b.month):
            return DobOutcome.CLOSE
        if (a.month, a.day) == (b.month, b.day) and abs(a.first_year - b.first_year) <= 1:
            return DobOutcome.CLOSE
        if a.first_year == b.first_year:
            return DobOutcome.CLOSE if a.month == b.month else DobOutcome.DAY_DIFFERS
        return _apart(abs(a.first_year - b.first_year))
    if a.first_year <= b.last_year and b.first_year <= a.last_year:
        return DobOutcome.YEAR
    gap = max(a.first_year - b.last_year, b.first_year - a.last_year)
    return DobOutcome.CLOSE if gap <= 1 else _apart(gap)


# Birth years this far apart or more are two people, whatever the names (the shared pairs'
# namesakes are five or more years apart); nearer, the names must decide.
CONFLICT_YEARS = 5


def _apart(years: int) -> DobOutcome:
    return DobOutcome.NEAR if years < CONFLICT_YEARS else DobOutcome.CONFLICT


_RANK = [
    DobOutcome.EXACT,
    DobOutcome.YEAR,
    DobOutcome.CLOSE,
    DobOutcome.DAY_DIFFERS,
    DobOutcome.NEAR,
    DobOutcome.CONFLICT,
]


class DobComparison(NamedTuple):
    outcome: DobOutcome
    pair: tuple[BirthDate, BirthDate] | None  # the dates that produced the outcome

    def describe(self) -> str:
        if self.pair is None:
            return f"date of birth {self.outcome.value}: no date of birth on one side"
        left, right = self.pair
        return f"date of birth {self.outcome.value}: {_show(left)} vs {_show(right)}"


_NO_DATES = DobComparison(DobOutcome.UNKNOWN, None)


def compare_birth_dates(left: tuple[BirthDate, ...], right: tuple[BirthDate, ...]) -> DobComparison:
    """The best outcome over all date pairs, with the pair that produced it."""
    if not left or not right:
        return _NO_DATES  # most pairs: built once, not once per pair
    best: tuple[int, BirthDate, BirthDate] | None = None
    for a in left:
        for b in right:
            rank = _RANK.index(_compare_pair(a, b))
            if best is None or rank < best[0]:
                best = (rank, a, b)
    if best is None:
        return _NO_DATES
    return DobComparison(_RANK[best[0]], (best[1], best[2]))


def _show(date: BirthDate) -> str:
    if date.first_year != date.last_year:
        return f"{date.first_year}..{date.last_year}"
    parts = [f"{date.first_year:04d}"]
    parts += [f"{v:02d}" for v in (date.month, date.day) if v is not None]
    return "-".join(parts)
