"""The rules in force on a day, read from the dated `PolicyRule` rows (never from constants).

`RuleBook.load()` reads every row that applies (law, or a bill or proposal switched on) once;
`book.on(day)` gives the rules of that day, so judging a year of donations costs one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .models import LegalStatus, PolicyRule, RuleKey


class MissingRuleError(LookupError):
    """No row in force sets this rule on this day: the rules table is incomplete."""


@dataclass(frozen=True)
class Rules:
    day: date
    rows: dict[str, PolicyRule]

    def row(self, key: RuleKey) -> PolicyRule | None:
        return self.rows.get(key)

    def applies(self, key: RuleKey) -> bool:
        return key in self.rows

    def amount(self, key: RuleKey) -> Decimal:
        row = self.rows.get(key)
        if row is None or row.amount is None:
            raise MissingRuleError(f"No {RuleKey(key).label.lower()} is in force on {self.day}.")
        return row.amount

    def days(self, key: RuleKey) -> int:
        row = self.rows.get(key)
        if row is None or row.days is None:
            raise MissingRuleError(f"No {RuleKey(key).label.lower()} is in force on {self.day}.")
        return row.days

    @property
    def exempt_floor(self) -> Decimal:
        return self.amount(RuleKey.EXEMPT_FLOOR)

    @property
    def central_threshold(self) -> Decimal:
        return self.amount(RuleKey.CENTRAL_THRESHOLD)

    @property
    def further_threshold(self) -> Decimal:
        return self.amount(RuleKey.FURTHER_THRESHOLD)

    @property
    def unit_threshold(self) -> Decimal:
        return self.amount(RuleKey.UNIT_THRESHOLD)


@dataclass(frozen=True)
class RuleBook:
    rows: tuple[PolicyRule, ...]

    @classmethod
    def load(cls) -> RuleBook:
        applying = PolicyRule.objects.filter(legal_status=LegalStatus.LAW) | (
            PolicyRule.objects.filter(switched_on=True)
        )
        return cls(tuple(applying.order_by("effective_from", "id")))

    def on(self, day: date) -> Rules:
        rows: dict[str, PolicyRule] = {}
        for row in self.rows:  # oldest first: the latest start wins when two overlap
            if row.effective_from <= day and (row.effective_to is None or day <= row.effective_to):
                rows[row.key] = row
        return Rules(day, rows)


def rules_on(day: date) -> Rules:
    return RuleBook.load().on(day)
