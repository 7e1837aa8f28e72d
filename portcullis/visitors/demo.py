"""Demo visitors: today's invitations across two offices (most approved and confirmed, some on
site), a walk-in waiting for its host, a visitor whose name is the demo alert's persona written in
another script (held for the security team), an escort at their limit of six, the estate's
barred list, and an earlier evacuation drill; a new roll call can be started at once."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from portcullis.accounts.models import Office, User
from portcullis.ledger.actors import DEMO
from portcullis.lib.demo import demo_loader
from portcullis.screening.imports import WatchlistEntry, add_watchlist_entry, create_source
from portcullis.screening.models import ListSource

from . import services
from .models import Area, Invitation, Visit

AREAS = [  # (name, escort required)
    ("Members' offices, Portcullis House", True),
    ("Committee Room 14", True),
    ("Central Lobby", False),
    ("Westminster Hall", False),
]
BARRED_LIST = "Estate barred list"
BARRED = WatchlistEntry(
    name="Corwin Ashdale",
    aliases=("C. Ashdale",),
    entity_type="person",
    note="barred from the estate after disrupting a committee (fictional)",
)
PASSPORT = services.IdCheck("passport", True, None)


@demo_loader("visitors", order=70)
def load() -> str:
    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.test")}
    needed = {"staff@demo.test", "outsider@demo.test", "security@demo.test", "gate@demo.test"}
    if not needed <= set(users) or Area.objects.exists():
        return "already present" if Area.objects.exists() else "no demo sign-ins: skipped"
    for name, escort_required in AREAS:
        Area.objects.create(name=name, escort_required=escort_required)
    _barred_list()
    staff, outsider = users["staff@demo.test"], users["outsider@demo.test"]
    security, gate = users["security@demo.test"], users["gate@demo.test"]
    manager = users.get("manager@demo.test")
    for person in (staff, outsider):
        services.arrive_on_estate(user=person, actor=person)
    expiry = timezone.localdate() + timedelta(days=900)
    id_check = services.IdCheck("passport", True, expiry)
    _drill(staff, security, gate, id_check)
    school = _today(
        staff,
        "Year 12 visit from Northgate Academy",
        [f"{n} (Northgate Academy)" for n in _PUPILS],
        security,
        area=AREAS[1][0],
        escorts=[manager] if manager else [],
    )
    for visit in school[:6]:
        services.check_in_visit(visit=visit, id_check=id_check, escort=staff, actor=gate)
    _today(staff, "Evidence session on the Digital Markets Bill", _SESSION, security)
    _today(
        outsider,
        "Constituency casework meeting",
        ["Hollis Granger", "Yusra Mbeki"],
        security,
        area=AREAS[0][0],
    )
    held = _today(staff, "Meeting about a recruitment offer", ["邱 Amanda"], security)
    services.register_walk_in(
        visitor=services.VisitorInput(name="Gareth Pryce", organisation="Courier", phone=""),
        host=staff,
        area=Area.objects.get(name=AREAS[0][0]),
        purpose="Delivering signed papers by hand",
        actor=gate,
    )
    tomorrow = timezone.localdate() + timedelta(days=2)
    services.invite(
        data=services.InvitationInput(
            office=_office(staff),
            area=Area.objects.get(name=AREAS[2][0]),
            purpose="Tour of the estate",
            starts_at=_at(tomorrow, 10),
            ends_at=_at(tomorrow, 12),
            visitors=[services.VisitorInput("Imelda Strand", "", "imelda@example.org")],
        ),
        actor=users.get("member@demo.test", staff),
    )
    return (
        f"{Visit.objects.count()} visitors: 6 on site with one escort (their limit), "
        f"{held[0].name} held for a security check, a walk-in waiting, a drill roll call"
    )


_PUPILS = [
    "Ada Lin",
    "Ben Okafor",
    "Cara Doyle",
    "Isaac Thorne",
    "Ella Novak",
    "Finn Byrne",
    "Gina Rossi",
]
_SESSION = ["Priya Raman", "Jonas Eklund"]


def _office(user: User) -> Office:
    return Office.objects.get(pk=min(user.scope.office_ids))


def _at(day: object, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))  # type: ignore[arg-type]


def _window() -> tuple[datetime, datetime]:
    """Today, around now, so the demo's visitors can be admitted whenever it is loaded; never
    across midnight (a visit is one day), so just after midnight it starts at 00:00."""
    now = timezone.localtime()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    last = now.replace(hour=23, minute=59, second=59, microsecond=0)
    start = max(now - timedelta(minutes=30), midnight)
    return start, max(min(now + timedelta(hours=4), last), now + timedelta(seconds=1))


def _today(
    host: User,
    purpose: str,
    names: list[str],
    security: User,
    *,
    area: str = AREAS[0][0],
    escorts: list[User] | None = None,
) -> list[Visit]:
    start, end = _window()
    invitation = services.invite(
        data=services.InvitationInput(
            office=_office(host),
            area=Area.objects.get(name=area),
            purpose=purpose,
            starts_at=start,
            ends_at=end,
            visitors=[
                services.VisitorInput(
                    name=name.split(" (")[0],
                    organisation=name.split(" (")[1].rstrip(")") if " (" in name else "",
                    email=f"{name.split(' (')[0].lower().replace(' ', '.')}@example.org"
                    if name.isascii()
                    else "",
                    phone=f"07700 900{100 + i:03d}",
                )
                for i, name in enumerate(names)
            ],
            escorts=escorts or [],
        ),
        actor=host,
    )
    if invitation.approval == Invitation.Approval.WAITING:
        services.decide_approval(invitation=invitation, approve=True, actor=security)
    visits = list(invitation.visits.order_by("pk"))
    for visit in visits:
        services.confirm_visit(visit=visit, actor=DEMO)
    return [Visit.objects.get(pk=v.pk) for v in visits]


def _barred_list() -> None:
    if ListSource.objects.filter(name=BARRED_LIST).exists():
        return
    source = create_source(
        name=BARRED_LIST,
        kind=ListSource.Kind.INTERNAL,
        actor=DEMO,
        description="People barred from the estate; every visitor is screened against it.",
    )
    add_watchlist_entry(source=source, entry=BARRED, actor=DEMO)


def _drill(staff: User, security: User, gate: User, id_check: services.IdCheck) -> None:
    """An earlier evacuation drill: two visitors on site, one located, then both checked out."""
    visits = _today(
        staff,
        "Briefing before the drill",
        ["Lena Fairweather", "Omar Haddad"],
        security,
        area=AREAS[3][0],
    )
    for visit in visits:
        services.check_in_visit(visit=visit, id_check=id_check, escort=None, actor=gate)
    roll_call = services.start_roll_call(actor=security)
    services.mark_located(entry=roll_call.entries.order_by("name").first(), actor=gate)  # type: ignore[arg-type]
    services.end_roll_call(roll_call=roll_call, actor=security)
    for visit in visits:
        services.check_out_visit(visit=Visit.objects.get(pk=visit.pk), actor=gate)
