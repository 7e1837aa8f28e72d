"""Builders for visitors tests: areas, invitations and visits made through the services."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.utils import timezone

from portcullis.accounts.models import Office, User
from portcullis.visitors import services
from portcullis.visitors.models import Area, Invitation, Visit


def area(name: str = "Committee Room 14", *, escort_required: bool = True) -> Area:
    found, _ = Area.objects.get_or_create(name=name, defaults={"escort_required": escort_required})
    return found


def window(*, hours_ahead: float = 0.5, length: float = 2) -> tuple[datetime, datetime]:
    """A time window today by default (short notice), kept within today."""
    now = timezone.localtime()
    start = now + timedelta(hours=hours_ahead)
    if hours_ahead >= 24:  # a later day at 10:00, at least `hours_ahead` away
        later = now + timedelta(days=int(hours_ahead // 24) + 1)
        start = later.replace(hour=10, minute=0, second=0, microsecond=0)
        return start, start + timedelta(hours=length)
    if start.date() != now.date():
        start = now
    end = start + timedelta(hours=length)
    if end.date() != now.date():  # a visit is one day: run at 23:59, it still ends today
        end = now.replace(hour=23, minute=59, second=59, microsecond=999999)
    return start, end


def invite(
    host: User,
    *names: str,
    office: Office | None = None,
    where: Area | None = None,
    hours_ahead: float = 30,
    escorts: Sequence[User] = (),
    co_hosts: Sequence[User] = (),
    approve_as: User | None = None,
) -> Invitation:
    start, end = window(hours_ahead=hours_ahead)
    return services.invite(
        data=services.InvitationInput(
            office=office or Office.objects.get(pk=min(host.scope.office_ids)),
            area=where or area(),
            purpose="Meeting about the select committee inquiry",
            starts_at=start,
            ends_at=end,
            visitors=[
                services.VisitorInput(name=n, email=f"visitor{i}@example.org", phone="07700 900123")
                for i, n in enumerate(names or ("Jane Visitor",))
            ],
            escorts=list(escorts),
            co_hosts=list(co_hosts),
        ),
        actor=host,
    )


def ready_today(host: User, *names: str, approver: User, **kwargs: object) -> list[Visit]:
    """Visitors invited for today (short notice, approved) who have confirmed: ready to admit."""
    invitation = invite(host, *names, hours_ahead=0, **kwargs)  # type: ignore[arg-type]
    if invitation.approval == Invitation.Approval.WAITING:
        services.decide_approval(invitation=invitation, approve=True, actor=approver)
    visits = list(invitation.visits.all())
    for visit in visits:
        services.confirm_visit(visit=visit, actor=host)
    return [Visit.objects.get(pk=v.pk) for v in visits]


PASSPORT = services.IdCheck(
    id_type="passport", name_matches=True, expires_on=timezone.localdate() + timedelta(days=400)
)
