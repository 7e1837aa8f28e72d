"""Dashboard panels: today's visitors for the gate and the security team; a host's own."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from portcullis.accounts.access import INVITES_VISITORS, WORKS_THE_GATE, AuthenticatedHttpRequest
from portcullis.lib.dashboard import panel

from .models import Visit


@panel("visitors.gate", template="visitors/panels/gate.html", order=3, rule=WORKS_THE_GATE)
def gate(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    today = Visit.objects.visible_to(request.user).expected_on(timezone.localdate())
    counts = today.aggregate(
        expected=Count("pk", filter=Q(status=Visit.Status.EXPECTED)),
        held=Count("pk", filter=Q(clearance=Visit.Clearance.HELD)),
    )
    counts["on_site"] = Visit.objects.visible_to(request.user).on_site().count()
    return counts


@panel("visitors.mine", template="visitors/panels/mine.html", order=20, rule=INVITES_VISITORS)
def mine(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    today = Visit.objects.visible_to(request.user).expected_on(timezone.localdate())
    return {"today": today.count()}
