"""Dashboard panel: published alerts the person may read and has not yet acknowledged."""

from __future__ import annotations

from typing import Any

from portcullis.accounts.access import AuthenticatedHttpRequest
from portcullis.lib.dashboard import panel

from .models import Alert, AlertDelivery


@panel("intel.alerts", template="intel/panels/alerts.html", order=4)
def alerts_for_you(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    user = request.user
    person_id: int | None = user.person_id
    acknowledged = AlertDelivery.objects.filter(
        person_id=person_id or 0, acknowledged_at__isnull=False
    ).values("alert_id")
    unread = Alert.objects.visible_to(user).published().exclude(pk__in=acknowledged)
    alerts = list(unread.order_by("-published_at")[:5])
    if not alerts:
        return None
    return {"alerts": alerts, "can_acknowledge": person_id is not None}
