"""Dashboard panels: the person's own training, and compliance for those who see it."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Min, Q
from django.utils import timezone

from portcullis.accounts.access import SEES_OFFICE_FIGURES, AuthenticatedHttpRequest
from portcullis.lib.dashboard import panel

from .compliance import Compliance, offices_in_view
from .models import Assignment


@panel("training.mine", template="training/panels/my_training.html", order=15)
def my_training(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    person = request.user.person
    if person is None:
        return None
    today = timezone.localdate()
    figures = (
        Assignment.objects.open()
        .filter(person=person)
        .aggregate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(due_on__lt=today)),
            next_due=Min("due_on"),
        )
    )
    figures["next_is_overdue"] = figures["next_due"] is not None and figures["next_due"] < today
    return figures


@panel(
    "training.compliance",
    template="training/panels/compliance.html",
    order=25,
    rule=SEES_OFFICE_FIGURES,
)
def compliance(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    return {"figures": Compliance(offices_in_view(request.user), timezone.localdate()).total()}
