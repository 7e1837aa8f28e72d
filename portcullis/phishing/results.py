"""Simulation results per office and house, time to report, and repeat clickers.

Published figures hide any group of fewer than five people: with smaller groups a figure names
someone. Read-only; everything is counted from Target rows (one per person per campaign).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from portcullis.accounts.models import Person

from .models import Target

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
    minutes_to_report: list[float] = field(default_factory=list)

    @property
    def suppressed(self) -> bool:
        return self.people < MIN_GROUP

    def rate(self, count: int) -> int | None:
        return round(100 * count / self.sent) if self.sent else None

    @property
    def median_minutes_to_report(self) -> int | None:
        if not self.minutes_to_report:
            return None
        return round(statistics.median(self.minutes_to_report))

    def add(self, target: Target) -> None:
        self.people += 1
        self.sent += target.sent_at is not None
        self.opened += target.opened_at is not None
        self.clicked += target.clicked_at is not None
        self.submitted += target.submitted_at is not None
        self.reported += target.reported_at is not None
        if target.minutes_to_report is not None:
            self.minutes_to_report.append(target.minutes_to_report)

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


def group(targets: Iterable[Target], key: str) -> list[Figures]:
    """Figures per office (`key="office"`) or per house (`key="house"`)."""
    groups: dict[int | None, Figures] = {}
    for target in targets:
        owner = getattr(target, key)
        pk = owner.pk if owner else None
        if pk not in groups:
            groups[pk] = Figures(label=str(owner) if owner else "(none)")
        groups[pk].add(target)
    return sorted(groups.values(), key=lambda f: f.label)


def overall(targets: Iterable[Target], label: str = "All") -> Figures:
    figures = Figures(label=label)
    for target in targets:
        figures.add(target)
    return figures


def campaign_targets(campaign_id: int, office_ids: Iterable[int] | None = None) -> QuerySet[Target]:
    qs = Target.objects.filter(campaign_id=campaign_id).select_related("office", "house", "person")
    if office_ids is not None:
        qs = qs.filter(office_id__in=list(office_ids))
    return qs


def repeat_clickers(min_campaigns: int = 2) -> list[tuple[Person, int]]:
    """People with a counted click in at least `min_campaigns` campaigns (security team only)."""
    rows = (
        Target.objects.filter(clicked_at__isnull=False)
        .values("person_id")
        .annotate(n=Count("campaign", distinct=True))
        .filter(n__gte=min_campaigns)
    )
    counts = {row["person_id"]: row["n"] for row in rows}
    people = Person.objects.filter(pk__in=counts).order_by("full_name")
    return [(person, counts[person.pk]) for person in people]
