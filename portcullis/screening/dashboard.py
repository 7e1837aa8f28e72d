"""Dashboard panel: monitoring changes not yet seen, and screenings with hits to review."""

from __future__ import annotations

from typing import Any

from portcullis.accounts.access import SCREENS, AuthenticatedHttpRequest
from portcullis.lib.dashboard import panel

from .models import OutcomeChange, Screening, stale_sources


@panel(
    "screening.monitoring",
    template="screening/panels/monitoring.html",
    order=20,
    rule=SCREENS,
)
def monitoring(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    changes = OutcomeChange.objects.visible_to(request.user).unacknowledged()
    return {
        "open": changes.count(),
        "to_review": Screening.objects.visible_to(request.user).filter(new_hit_count__gt=0).count(),
        "stale": stale_sources(),
    }
