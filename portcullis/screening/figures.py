"""Screening figures for those who screen: screenings with and without hits, and decisions on
hits, month by month, within the reader's scope (a party officer: their party's)."""

from __future__ import annotations

from django.db.models import Case, CharField, Value, When
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from portcullis.accounts.access import SCREENS, AuthenticatedHttpRequest, requires
from portcullis.lib.charts import monthly_chart, monthly_counts

from .models import Decision, Screening

HITS = (("hits", "With possible matches"), ("clear", "No possible match"))


@requires(SCREENS)
def figures(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Two aggregate queries, whatever the number of screenings."""
    today = timezone.localdate()
    screenings = Screening.objects.visible_to(request.user).annotate(
        pc_hits=Case(
            When(hit_count__gt=0, then=Value("hits")),
            default=Value("clear"),
            output_field=CharField(),
        )
    )
    ends, counts = monthly_counts(screenings, when="created_at", by="pc_hits", today=today)
    hits = monthly_chart(
        key="screenings",
        title="Screenings, with and without possible matches",
        ends=ends,
        counts=counts,
        labels=HITS,
        notes="A possible match is one not yet decided, or decided as a true match.",
    )
    decisions = Decision.objects.visible_to(request.user)
    ends, counts = monthly_counts(decisions, when="decided_at", by="verdict", today=today)
    decided = monthly_chart(
        key="decisions",
        title="Decisions on possible matches",
        ends=ends,
        counts=counts,
        labels=Decision.Verdict.choices,
    )
    return render(request, "screening/figures.html", {"charts": [hits, decided], "today": today})
