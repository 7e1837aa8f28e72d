"""Dashboard panels: a way to report an approach for everyone, and the triage queue for security."""

from __future__ import annotations

from typing import Any

from portcullis.accounts.access import SECURITY_TEAM, AuthenticatedHttpRequest
from portcullis.lib.dashboard import panel
from portcullis.lib.queues import CappedCount

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
    # Each counted no further than the queue counts (100,000 open reports cost as 10,001).
    open_ = Report.objects.visible_to(request.user).exclude(status=Report.Status.CLOSED)
    return {
        "new": CappedCount.of(open_.filter(status=Report.Status.NEW)),
        "unassigned": CappedCount.of(open_.filter(assigned_to__isnull=True)),
        "matched": CappedCount.of(open_.filter(origin__matches__isnull=False).distinct()),
    }
