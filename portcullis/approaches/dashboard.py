"""Dashboard panels: a way to report an approach for everyone, and the triage queue for security."""

from __future__ import annotations

from typing import Any

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
    return {
        "new": open_.filter(status=Report.Status.NEW).count(),
        "unassigned": open_.filter(assigned_to__isnull=True).count(),
        "matched": open_.filter(origin__matches__isnull=False).distinct().count(),
    }
