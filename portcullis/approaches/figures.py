"""The security team's figures for approach reports: by channel and by persona, month by month."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from portcullis.accounts.access import SECURITY_TEAM, AuthenticatedHttpRequest, requires
from portcullis.lib.charts import monthly_chart, monthly_counts

from .models import Channel, Persona, Report


@requires(SECURITY_TEAM)
def figures(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Two aggregate queries, whatever the number of reports."""
    today = timezone.localdate()
    reports = Report.objects.visible_to(request.user)
    charts = []
    for key, field, choices, title in (
        ("channel", "channel", Channel.choices, "Reports by how they came"),
        ("persona", "persona", Persona.choices, "Reports by who the approacher said they were"),
    ):
        ends, counts = monthly_counts(reports, when="created_at", by=field, today=today)
        charts.append(
            monthly_chart(
                key=f"reports-{key}", title=title, ends=ends, counts=counts, labels=choices
            )
        )
    return render(request, "approaches/figures.html", {"charts": charts, "today": today})
