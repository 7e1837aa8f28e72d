"""Dashboard panels: a way to report an approach for everyone, and the triage queue for security."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from portcullis.accounts.access import SECURITY_TEAM, AuthenticatedHttpRequest
from portcullis.lib.dashboard import panel

from .models import Report


@panel("approaches.report", template="approaches/panels/report.html", order=5)
def report_an_approach(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    return {"mine": Report.objects.filter(reporter=request.user).count()}


@panel(
    "approaches.triage",
    template="approaches/panels/triage.html",
    order=6,
    rule=SECURITY_TEAM,
)
def triage(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    open_ = Report.objects.visible_to(request.user).exclude(status=Report.Status.CLOSED)
    figures = open_.aggregate(  # one pass over the open reports, not one per figure
        new=Count("pk", filter=Q(status=Report.Status.NEW)),
        unassigned=Count("pk", filter=Q(assigned_to__isnull=True)),
    )
    figures["matched"] = open_.filter(origin__matches__isnull=False).distinct().count()
    return figures
