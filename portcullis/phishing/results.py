"""Simulation results per office and house, time to report, and repeat clickers.

Published figures hide any group of fewer than five people: with smaller groups a figure names
someone. Read-only; everything is counted by the database from Target rows (one per person per
campaign), so a campaign across the whole legislature costs two queries, not its rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from django.db.models import Count, DurationField, ExpressionWrapper, F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from portcullis.accounts.models import Person, User
from portcullis.lib.charts import Chart, Series, latest_description

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


# --- what the results page draws and exports -------------------------------------------------

FUNNEL = (
    ("sent", "Sent"),
    ("opened", "Opened"),
    ("clicked", "Clicked"),
    ("submitted", "Submitted details"),
    ("reported", "Reported"),
)
TREND_CAMPAIGNS = 12


def funnel_sentence(figures: Figures) -> str:
    """ "Of 40 sent: opened 22 (55%), clicked 9 (23%), ..." — the funnel in words."""
    steps = [
        f"{label.lower()} {getattr(figures, name):,} ({figures.rate(getattr(figures, name))}%)"
        for name, label in FUNNEL[1:]
    ]
    return f"Of {figures.sent:,} sent: " + ", ".join(steps) + "."


def funnel_chart(figures: Figures) -> Chart | None:
    """Sent → opened → clicked → submitted → reported as bars, or None when nothing was sent
    or the group is too small to show (a figure would name someone)."""
    if figures.suppressed or not figures.sent:
        return None
    return Chart(
        key="funnel",
        title="What happened to the lure",
        description=funnel_sentence(figures),
        categories=tuple(label for _, label in FUNNEL),
        series=(Series("People", tuple(float(getattr(figures, n)) for n, _ in FUNNEL)),),
        kind="bar",
        category_heading="Step",
        notes="Opens rely on a tracking image, which many mail programs block: they undercount.",
    )


@dataclass(frozen=True)
class TrendPoint:
    campaign: str
    window_start: datetime
    figures: Figures


def trend(*, user: User, limit: int = TREND_CAMPAIGNS) -> list[TrendPoint]:
    """The last `limit` campaigns that sent anything the user's figures may count, oldest
    first: one grouped query over Target, however many campaigns there are."""
    rows = (
        Target.objects.counted_for(user)
        .order_by()
        .values("campaign_id", "campaign__name", "campaign__window_start")
        .annotate(**COUNTS)
        .filter(sent__gt=0)  # type: ignore[misc]  # the stubs do not see annotate(**COUNTS)
        .order_by("-campaign__window_start", "-campaign_id")[:limit]
    )
    points = [
        TrendPoint(
            campaign=row["campaign__name"],
            window_start=row["campaign__window_start"],
            figures=Figures(label=row["campaign__name"], **{n: row[n] for n in COUNTS}),
        )
        for row in rows
    ]
    return points[::-1]


TREND_SERIES = (
    ("clicked", "Clicked"),
    ("submitted", "Submitted details"),
    ("reported", "Reported"),
)


def trend_chart(points: list[TrendPoint]) -> Chart | None:
    """Click, submission and report rates per campaign; a campaign with fewer than five people
    in view is a gap, not a figure."""
    if len(points) < 2:
        return None

    def rate(point: TrendPoint, name: str) -> float | None:
        f = point.figures
        value = None if f.suppressed else f.rate(getattr(f, name))
        return None if value is None else float(value)

    series = tuple(
        Series(label, tuple(rate(p, name) for p in points)) for name, label in TREND_SERIES
    )
    starts = [timezone.localtime(p.window_start) for p in points]
    rows = tuple(f"{p.campaign} ({start:%B %Y})" for p, start in zip(points, starts, strict=True))
    return Chart(
        key="trend",
        title=f"Across the last {len(points)} campaigns",
        description=latest_description(series, rows, "%"),
        categories=tuple(f"{start:%b %y}" for start in starts),
        rows=rows,
        series=series,
        kind="line",
        unit="%",
        maximum=100,
        category_heading="Campaign",
        notes=f"Share of those sent. Campaigns with fewer than {MIN_GROUP} people in view "
        "are left blank.",
    )


EXPORT_HEADER = (
    "Group",
    "Name",
    "People",
    "Sent",
    "Opened",
    "Clicked",
    "Submitted details",
    "Reported",
    "Click rate (%)",
    "Submit rate (%)",
    "Report rate (%)",
    "Median minutes to report",
)
EXPORT_FIELDS = (
    "people",
    "sent",
    "opened",
    "clicked",
    "submitted",
    "reported",
    "click_rate",
    "submit_rate",
    "report_rate",
    "median_minutes_to_report",
)


def export_rows(groups: list[tuple[str, list[Figures]]]) -> Iterator[list[object]]:
    """The results page's figures as CSV rows; a small group's row says so and shows none."""
    for kind, figures in groups:
        for f in figures:
            p = f.published()
            if p["suppressed"]:
                yield [kind, p["label"], f"Fewer than {MIN_GROUP} people: not shown"]
            else:
                yield [kind, p["label"], *("" if p[n] is None else p[n] for n in EXPORT_FIELDS)]
