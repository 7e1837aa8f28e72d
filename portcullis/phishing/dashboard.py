"""Dashboard panel: where to report a suspect e-mail, and the triage count for the security team."""

from __future__ import annotations

from typing import Any

from portcullis.accounts.access import SECURITY_TEAM, AuthenticatedHttpRequest
from portcullis.lib.dashboard import panel
from portcullis.lib.queues import CappedCount

from .models import ReportedEmail


@panel("phishing.report", template="phishing/panels/report.html", order=20)
def report(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not SECURITY_TEAM(user):
        return {"awaiting": None}
    return {"awaiting": CappedCount.of(ReportedEmail.objects.visible_to(user).awaiting_triage())}
