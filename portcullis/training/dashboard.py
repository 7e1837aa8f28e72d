"""Dashboard panels: the person's own training, and compliance for those who see it."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Min, Q
from django.utils import timezone

from portcullis.accounts.access import IS_MEMBER, SEES_OFFICE_FIGURES, AuthenticatedHttpRequest
from portcullis.accounts.models import Office, Role
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


@panel(
    "training.member_office",
    template="training/panels/member_office.html",
    order=24,
    rule=IS_MEMBER,
)
def member_office(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    """A member's own offices: training, vetting and SOS-device figures, as their office
    manager sees them (counts only; remedial training is not counted)."""
    offices = Office.objects.filter(
        memberships__person=request.user.person,
        memberships__role=Role.MEMBER,
        memberships__ended_on__isnull=True,
    ).distinct()
    rows = Compliance(offices, timezone.localdate()).by_office(list(offices))
    return {"rows": rows} if rows else None
