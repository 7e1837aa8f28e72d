"""Which permissible benefits a party reports, and in which quarter (pure: no ORM).

The Electoral Commission's rules (DOMAIN.md §1.2–1.3):
- benefits of £500 or less are disregarded (the caller leaves them out);
- the central party reports a source's benefits once they come to more than the central
  threshold in a calendar year, in the quarter the running total first passes it; after that,
  further benefits from that source once they come to more than the further threshold;
- an accounting unit reports a source's unreported benefits once they come to more than the
  unit threshold; in Q1–Q3 a source's gifts to different parts of the party are not combined;
- in Q4 the **year-end sweep** treats every unreported accounting-unit benefit as received by
  the central party and tests it, with the central party's own unreported ones, against the
  central threshold (or the further one, for a source already reported that year);
- impermissible benefits are never aggregated: each is reported on its own (by the caller).
Every threshold is the one in force on the day of the benefit that passes it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Benefit:
    id: int
    source: str  # same source: see Donation.source_key
    donor: str  # the source's name, for explanations
    unit: str  # "" for the central party
    value: Decimal
    day: date  # the day it counts (accepted)


@dataclass(frozen=True)
class Thresholds:
    central: Decimal
    further: Decimal
    unit: Decimal


@dataclass(frozen=True)
class Reportable:
    id: int
    quarter: tuple[int, int]  # (year, 1..4)
    reason: str
    aggregated: bool  # reported because of the running total, not its own value
    as_central: bool  # an accounting unit's benefit reported by the year-end sweep


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _money(value: Decimal) -> str:
    return f"£{value:,.2f}".replace(".00", "")


def reportable(
    benefits: Iterable[Benefit], thresholds: Callable[[date], Thresholds]
) -> dict[int, Reportable]:
    """Every benefit that must be reported, with its quarter and the reason in words."""
    by_year: dict[int, list[Benefit]] = defaultdict(list)
    for benefit in benefits:
        by_year[benefit.day.year].append(benefit)
    found: dict[int, Reportable] = {}
    for year, items in by_year.items():
        found |= _year(year, sorted(items, key=lambda b: (b.day, b.id)), thresholds)
    return found


def _year(
    year: int, items: list[Benefit], thresholds: Callable[[date], Thresholds]
) -> dict[int, Reportable]:
    found: dict[int, Reportable] = {}
    central: dict[str, list[Benefit]] = defaultdict(list)
    units: dict[tuple[str, str], list[Benefit]] = defaultdict(list)
    for item in items:
        (units[(item.source, item.unit)] if item.unit else central[item.source]).append(item)
    left: dict[str, list[Benefit]] = defaultdict(list)
    over: set[str] = set()  # sources the central party has reported this year
    for source, given in central.items():
        unreported, passed = _run(given, thresholds, found, central=True)
        left[source] += unreported
        if passed:
            over.add(source)
    for (source, _unit), given in units.items():
        unreported, _ = _run(given, thresholds, found, central=False)
        left[source] += unreported
    _sweep(year, left, over, thresholds, found)
    return found


def _run(
    given: Sequence[Benefit],
    thresholds: Callable[[date], Thresholds],
    found: dict[int, Reportable],
    *,
    central: bool,
) -> tuple[list[Benefit], bool]:
    """Walk one source's benefits to one part of the party in date order; report each batch
    whose running total passes the threshold. Returns the unreported ones and whether any
    batch was reported."""
    pending: list[Benefit] = []
    passed = False
    for item in given:
        pending.append(item)
        rules = thresholds(item.day)
        limit = (rules.further if passed else rules.central) if central else rules.unit
        total = sum((b.value for b in pending), Decimal(0))
        if total <= limit:
            continue
        what = "further benefits" if central and passed else "benefits"
        for benefit in pending:
            alone = len(pending) == 1
            reason = (
                f"Over {_money(limit)} on its own"
                if alone
                else f"{item.donor}'s {what} to {item.unit or 'the central party'} come to "
                f"{_money(total)} this year, over {_money(limit)}"
            )
            found[benefit.id] = Reportable(
                benefit.id, quarter_of(item.day), reason, not alone, as_central=False
            )
        pending, passed = [], True
    return pending, passed


def _sweep(
    year: int,
    left: dict[str, list[Benefit]],
    over: set[str],
    thresholds: Callable[[date], Thresholds],
    found: dict[int, Reportable],
) -> None:
    year_end = date(year, 12, 31)
    rules = thresholds(year_end)
    for source, pending in left.items():
        if not any(b.unit for b in pending):
            continue  # nothing of an accounting unit's to sweep in
        limit = rules.further if source in over else rules.central
        total = sum((b.value for b in pending), Decimal(0))
        if total <= limit:
            continue
        reason = (
            f"Year-end sweep: {pending[0].donor}'s unreported benefits to the party and its "
            f"accounting units come to {_money(total)}, over {_money(limit)}"
        )
        for benefit in pending:
            found[benefit.id] = Reportable(
                benefit.id, (year, 4), reason, aggregated=True, as_central=bool(benefit.unit)
            )
