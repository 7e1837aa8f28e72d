"""Simulation results per office and house, time to report, and repeat clickers.

Published figures hide any group of fewer than five people: with smaller groups a figure names
someone. Read-only; everything is counted by the database from Target rows (one per person per
campaign), so a campaign across the whole legislature costs two queries, not its rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from django.db.models import Count, DurationField, ExpressionWrapper, F, QuerySet, Window
from django.db.models.functions import RowNumber

from portcullis.accounts.models import Person, User

from .models import SimulationCampaign, Target

MIN_GROUP = 5


@dataclass
class Figures:
    label: str
    people: int = 0
    sent: int = 0
    opened: int = 0
    clicked: int = 0
    submitted: int = 0
    reported: int = 0
    median_minutes_to_report: int | None = None

    @property
    def suppressed(self) -> bool:
        return self.people < MIN_GROUP

    def rate(self, count: int) -> int | None:
        return round(100 * count / self.sent) if self.sent else None

    def published(self) -> dict[str, object]:
        """The figures as they may be shown: nothing but the label for a small group."""
        if self.suppressed:
            return {"label": self.label, "suppressed": True}
        return {
            "label": self.label,
            "suppressed": False,
            "people": self.people,
            "sent": self.sent,
            "opened": self.opened,
            "clicked": self.clicked,
            "submitted": self.submitted,
            "reported": self.reported,
            "click_rate": self.rate(self.clicked),
            "submit_rate": self.rate(self.submitted),
            "report_rate": self.rate(self.reported),
            "median_minutes_to_report": self.median_minutes_to_report,
        }


COUNTS = {
    "people": Count("pk"),
    "sent": Count("sent_at"),
    "opened": Count("opened_at"),
    "clicked": Count("clicked_at"),
    "submitted": Count("submitted_at"),
    "reported": Count("reported_at"),
}


def group(targets: QuerySet[Target], key: Literal["office", "house"]) -> list[Figures]:
    """Figures per office (`key="office"`) or per house (`key="house"`)."""
    rows = targets.order_by().values(key, f"{key}__name").annotate(**COUNTS)
    medians = _median_minutes(targets, key)
    found = [
        Figures(
            label=row[f"{key}__name"] or "(none)",
            **{name: row[name] for name in COUNTS},
            median_minutes_to_report=medians.get(row[key]),
        )
        for row in rows
    ]
    return sorted(found, key=lambda f: f.label)


def overall(targets: QuerySet[Target], label: str = "All") -> Figures:
    counts = targets.order_by().aggregate(**COUNTS)
    return Figures(
        label=label, **counts, median_minutes_to_report=_median_minutes(targets).get(None)
    )


def _median_minutes(targets: QuerySet[Target], key: str | None = None) -> dict[int | None, int]:
    """The median time from sending to reporting per group: the database ranks each group's
    times and returns only the middle one or two."""
    partition = [F(key)] if key else None
    took = ExpressionWrapper(F("reported_at") - F("sent_at"), output_field=DurationField())
    middle = (
        targets.order_by()
        .filter(reported_at__isnull=False, sent_at__isnull=False)
        .annotate(
            took=took,
            rank=Window(RowNumber(), partition_by=partition, order_by=[took.asc(), F("pk").asc()]),
            of=Window(Count("pk"), partition_by=partition),
        )
        .filter(rank__gte=(F("of") + 1) / 2, rank__lte=(F("of") + 2) / 2)
        .values_list(key or "campaign_id", "took")
    )
    pairs: dict[int | None, list[timedelta]] = {}
    for group_id, value in middle:
        pairs.setdefault(group_id if key else None, []).append(value)
    return {g: round(sum(v, timedelta()).total_seconds() / 60 / len(v)) for g, v in pairs.items()}


def campaign_targets(campaign: SimulationCampaign, *, user: User) -> QuerySet[Target]:
    """The campaign's targets the user's figures may count (`Target.objects.counted_for`):
    there is no argument that widens it, and someone with no scope counts nobody."""
    return Target.objects.counted_for(user).filter(campaign=campaign)


def repeat_clickers(*, user: User, min_campaigns: int = 2) -> list[tuple[Person, int]]:
    """People with a counted click in at least `min_campaigns` campaigns: per-person results,
    so only what `Target.objects.visible_to(user)` shows (the security team's)."""
    rows = (
        Target.objects.visible_to(user)
        .filter(clicked_at__isnull=False)
        .values("person_id")
        .annotate(n=Count("campaign", distinct=True))
        .filter(n__gte=min_campaigns)
    )
    counts = {row["person_id"]: row["n"] for row in rows}
    people = Person.objects.filter(pk__in=counts).order_by("full_name")
    return [(person, counts[person.pk]) for person in people]
