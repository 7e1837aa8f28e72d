"""The only writers of visitors data: invitations and walk-ins, pre-screening and the security
team's decision, the gate (check-in, refusal, check-out), escorts and passholders on the estate,
the response level, roll calls, and retention. Keyword-only, `actor` required, the ledger row in
the same transaction, notifications after commit.

Visitors enter intel and screening only through their doors: `intel.services.ingest` (the alerts,
sightings and campaigns) and `screening.services.screen_subject` (sanctions, watchlists and the
estate's barred list, in any script)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import NoReturn

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from portcullis import ledger
from portcullis.accounts.access import SECURITY_TEAM
from portcullis.accounts.models import Office, User
from portcullis.intel import services as intel
from portcullis.intel.extract import Found, Kind, identify
from portcullis.intel.origins import OriginRef
from portcullis.ledger.actors import Actor
from portcullis.lib.tasks import enqueue_on_commit
from portcullis.protection.models import Clearance
from portcullis.screening import matching
from portcullis.screening import services as screening
from portcullis.screening.models import Decision, ScreeningResult

from .models import (
    Area,
    Invitation,
    LevelChange,
    Presence,
    RollCall,
    RollCallEntry,
    Visit,
    VisitorDecision,
    current_level,
    day_bounds,
)
from .rules import (
    IdType,
    Level,
    escorts_need_clearance,
    max_per_escort,
    retention_days,
    rules_for,
)

TASKS = "portcullis.visitors.tasks."


class VisitError(ValueError):
    """A request that breaks a desk rule; the message is fit to show."""


@dataclass(frozen=True)
class VisitorInput:
    name: str
    organisation: str = ""
    email: str = ""
    phone: str = ""


@dataclass
class InvitationInput:
    office: Office
    area: Area
    purpose: str
    starts_at: datetime
    ends_at: datetime
    visitors: Sequence[VisitorInput]
    co_hosts: Sequence[User] = field(default_factory=list)
    escorts: Sequence[User] = field(default_factory=list)
    repeat_weeks: int = 0  # a recurring visit: the same day and time for this many more weeks


def _clean(text: str, limit: int) -> str:
    return " ".join(text.split())[:limit]


# --- invitations ---------------------------------------------------------------------------------


def _check_invitation(data: InvitationInput, host: User) -> None:
    rules = rules_for(current_level())
    if data.office.pk not in host.scope.office_ids:
        raise VisitError("You can invite visitors only to your own offices.")
    if data.ends_at <= data.starts_at:
        raise VisitError("The visit must end after it starts.")
    if timezone.localdate(data.starts_at) != timezone.localdate(data.ends_at):
        raise VisitError("A visit starts and ends on the same day; invite again for another day.")
    if data.ends_at <= timezone.now():
        raise VisitError("The visit's time window has already ended.")
    if not data.visitors:
        raise VisitError("Add at least one visitor.")
    if len(data.visitors) > rules.max_group:
        raise VisitError(
            f"At most {rules.max_group} visitors on one invitation at this response level; "
            "a larger group needs a Member's special permit from the security team."
        )
    for person in (*data.co_hosts, *data.escorts):
        if not person.is_active or not person.scope.office_ids:
            raise VisitError(f"{person} is not a passholder who can host or escort.")


MAX_REPEAT_WEEKS = 12


@transaction.atomic
def invite(*, data: InvitationInput, actor: User) -> Invitation:
    """Invite one or more visitors (a group; recurring with `repeat_weeks`, one invitation a
    week). Notice shorter than the level's minimum needs a security officer's approval. Each
    visitor is pre-screened and sent their e-mail. Returns the first invitation."""
    if not 0 <= data.repeat_weeks <= MAX_REPEAT_WEEKS:
        raise VisitError(f"A visit repeats for at most {MAX_REPEAT_WEEKS} weeks.")
    first = _invite_once(data=data, actor=actor)
    for week in range(1, data.repeat_weeks + 1):
        later = timedelta(weeks=week)
        _invite_once(
            data=replace(data, starts_at=data.starts_at + later, ends_at=data.ends_at + later),
            actor=actor,
        )
    return first


def _invite_once(*, data: InvitationInput, actor: User) -> Invitation:
    _check_invitation(data, actor)
    rules = rules_for(current_level())
    short = data.starts_at - timezone.now() < rules.min_notice
    invitation = Invitation.objects.create(
        office=data.office,
        host=actor,
        area=data.area,
        purpose=_clean(data.purpose, 300),
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        approval=Invitation.Approval.WAITING if short else Invitation.Approval.NOT_NEEDED,
        approval_reason=(f"Less than {rules.min_notice_hours} hours' notice" if short else ""),
        created_by=actor,
    )
    invitation.co_hosts.set(data.co_hosts)
    invitation.escorts.set(data.escorts)
    visits = [_add_visit(invitation, v) for v in data.visitors]
    ledger.record(
        actor=actor,
        action="invitation.create",
        target=invitation,
        data={"visitors": len(visits), "short_notice": short, "area": data.area.name},
    )
    for visit in visits:
        prescreen_visit(visit=visit, actor=actor)
        enqueue_on_commit(TASKS + "send_invitation_email", visit_id=visit.pk)
    if short:
        enqueue_on_commit(TASKS + "tell_security_of_approval", invitation_id=invitation.pk)
    return invitation


def _add_visit(invitation: Invitation, visitor: VisitorInput, **extra: object) -> Visit:
    name = _clean(visitor.name, 200)
    if not name:
        raise VisitError("Enter each visitor's name as on their ID.")
    return Visit.objects.create(
        invitation=invitation,
        name=name,
        organisation=_clean(visitor.organisation, 200),
        email=visitor.email.strip()[:254],
        phone=_clean(visitor.phone, 40),
        **extra,
    )


@transaction.atomic
def change_visitor(*, visit: Visit, data: VisitorInput, actor: Actor) -> Visit:
    """Correct a visitor's details (the host, or the visitor from their confirmation link).
    A changed name or organisation is screened again."""
    if visit.status != Visit.Status.EXPECTED:
        raise VisitError("Only an expected visitor's details can change.")
    new = {
        "name": _clean(data.name, 200),
        "organisation": _clean(data.organisation, 200),
        "email": data.email.strip()[:254],
        "phone": _clean(data.phone, 40),
    }
    if not new["name"]:
        raise VisitError("Enter the visitor's name as on their ID.")
    changed = [name for name, value in new.items() if getattr(visit, name) != value]
    if not changed:
        return visit
    for name, value in new.items():
        setattr(visit, name, value)
    visit.save(update_fields=list(new))
    ledger.record(actor=actor, action="visit.change", target=visit, data={"fields": changed})
    if {"name", "organisation", "email"} & set(changed):
        prescreen_visit(visit=visit, actor=actor)
    return visit


@transaction.atomic
def confirm_visit(*, visit: Visit, actor: Actor) -> Visit:
    """The visitor confirms their details and consents to the checks; the date is kept."""
    if visit.status != Visit.Status.EXPECTED:
        raise VisitError("This visit can no longer be confirmed.")
    if visit.confirmed_at is None:
        visit.confirmed_at = timezone.now()
        visit.save(update_fields=["confirmed_at"])
        ledger.record(actor=actor, action="visit.confirm", target=visit)
    return visit


@transaction.atomic
def decide_approval(*, invitation: Invitation, approve: bool, actor: User) -> Invitation:
    """A security officer approves short notice; a walk-in is approved by its host (or a
    co-host) or the security team."""
    if invitation.approval != Invitation.Approval.WAITING:
        raise VisitError("This invitation is not waiting for approval.")
    if not may_approve(invitation, actor):
        raise VisitError("Only the security team approves this.")
    invitation.approval = Invitation.Approval.APPROVED if approve else Invitation.Approval.REFUSED
    invitation.approved_by, invitation.approved_at = actor, timezone.now()
    invitation.save(update_fields=["approval", "approved_by", "approved_at"])
    if not approve:
        invitation.visits.filter(status=Visit.Status.EXPECTED).update(
            status=Visit.Status.REFUSED, refused_reason="The invitation was not approved."
        )
    ledger.record(
        actor=actor,
        action="invitation.approve" if approve else "invitation.refuse",
        target=invitation,
    )
    return invitation


def may_approve(invitation: Invitation, user: User) -> bool:
    if SECURITY_TEAM(user):
        return True
    if invitation.kind != Invitation.Kind.WALK_IN:
        return False
    return user.pk == invitation.host_id or invitation.co_hosts.filter(pk=user.pk).exists()


@transaction.atomic
def cancel_invitation(*, invitation: Invitation, actor: User) -> Invitation:
    invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["cancelled_at"])
    invitation.visits.filter(status=Visit.Status.EXPECTED).update(status=Visit.Status.CANCELLED)
    ledger.record(actor=actor, action="invitation.cancel", target=invitation)
    return invitation


# --- walk-ins ------------------------------------------------------------------------------------


def register_walk_in(
    *, visitor: VisitorInput, host: User | None, area: Area, purpose: str, actor: User
) -> Visit:
    """A visitor with no invitation: queued for the named host or the security team, never
    admitted by default. One who cannot name a host is refused (and the refusal recorded)."""
    if not _clean(visitor.name, 200):
        raise VisitError("Enter the visitor's name as on their ID.")
    if host is None or not host.scope.office_ids:
        return _refuse_walk_in(
            actor, "A walk-in who cannot name a host is refused. Ask them to phone their host."
        )
    if not rules_for(current_level()).walk_ins:
        return _refuse_walk_in(actor, "Walk-ins are not considered at the current response level.")
    return _register_walk_in(visitor=visitor, host=host, area=area, purpose=purpose, actor=actor)


def _refuse_walk_in(actor: User, refusal: str) -> NoReturn:
    with transaction.atomic():
        ledger.record(actor=actor, action="walk_in.refuse", data={"reason": refusal})
    raise VisitError(refusal)


@transaction.atomic
def _register_walk_in(
    *, visitor: VisitorInput, host: User, area: Area, purpose: str, actor: User
) -> Visit:
    now = timezone.now()
    _, day_end = day_bounds(timezone.localdate(now))
    invitation = Invitation.objects.create(
        kind=Invitation.Kind.WALK_IN,
        office_id=min(host.scope.office_ids),
        host=host,
        area=area,
        purpose=_clean(purpose, 300) or "Walk-in",
        starts_at=now,
        ends_at=min(now + timedelta(hours=4), day_end - timedelta(minutes=1)),
        approval=Invitation.Approval.WAITING,
        approval_reason="Walk-in without an invitation",
        created_by=actor,
    )
    # At the desk the visitor gives their details in person: that is their confirmation.
    visit = _add_visit(invitation, visitor, confirmed_at=now)
    ledger.record(actor=actor, action="walk_in.register", target=visit)
    prescreen_visit(visit=visit, actor=actor)
    enqueue_on_commit(TASKS + "tell_host_of_walk_in", visit_id=visit.pk)
    return visit


# --- pre-screening -------------------------------------------------------------------------------


def origin_of(visit: Visit) -> OriginRef:
    return OriginRef(
        app="visitors",
        kind="visit",
        key=str(visit.pk),
        label=f"Visitor {visit.reference}",
        category="Visitor",
        url=visit.get_absolute_url(),
        office_id=visit.invitation.office_id,
        occurred_at=visit.invitation.starts_at,
    )


def _observables(visit: Visit) -> list[Found]:
    found = []
    for kind, value in (
        (Kind.PERSON, visit.name),
        (Kind.ORGANISATION, visit.organisation),
        (Kind.EMAIL, visit.email),
    ):
        item = identify(kind, value) if value.strip() else None
        if item:
            found.append(item)
    return found


@transaction.atomic
def prescreen_visit(*, visit: Visit, actor: Actor) -> Visit:
    """Screen the visitor through intel (published alerts) and screening (sanctions, watchlists,
    the estate's barred list). A hit nobody has decided on holds the visit for a security
    officer; a remembered decision applies again (a false match stays cleared, a true one bars)."""
    if visit.status != Visit.Status.EXPECTED:
        return visit
    ingested = intel.ingest(
        origin=origin_of(visit),
        found=_observables(visit),
        names=[visit.name],
        organisations=[visit.organisation] if visit.organisation else [],
        actor=actor,
    )
    run = screening.screen_subject(
        subject=matching.Subject(name=visit.name, entity_type=matching.EntityType.PERSON),
        actor=actor,
        purpose="visitor pre-screening",
    )
    decided = {
        d.indicator_id: d.verdict
        for d in VisitorDecision.objects.filter(subject_key=run.subject.key).order_by("decided_at")
    }
    reasons, barred = [], False
    for match in ingested.matches:
        verdict = decided.get(match.indicator_id)
        barred |= verdict == VisitorDecision.Verdict.BAR
        if verdict is None:
            reasons.append(
                {
                    "kind": "alert",
                    "indicator": match.indicator_id,
                    "text": f"Alert {match.alert.reference} ({match.alert.title}): "
                    f"“{match.matched_text}” matches “{match.indicator.display}” "
                    f"({match.explanation or match.how})",
                }
            )
    status = ScreeningResult.Status
    for result in run.results.filter(is_match=True).select_related("source"):
        barred |= result.status == status.CONFIRMED
        if result.status in (status.NEW, status.REVIEW_AGAIN):
            reasons.append(
                {
                    "kind": "list",
                    "result": result.pk,
                    "text": f"{result.source.name}: “{result.caption}” "
                    f"(score {result.score:.2f}, {result.get_status_display().lower()})",
                }
            )
    before = visit.clearance
    if barred:
        visit.clearance = Visit.Clearance.BARRED
        visit.check_reason = "Refused after an earlier security check."
    elif reasons:
        visit.clearance = Visit.Clearance.HELD
    elif before not in (Visit.Clearance.CLEARED, Visit.Clearance.BARRED):
        visit.clearance = Visit.Clearance.CLEAR
    visit.hold_reasons = reasons
    visit.screening, visit.origin = run, ingested.origin
    visit.screened_at = timezone.now()
    visit.save(
        update_fields=[
            "clearance",
            "check_reason",
            "hold_reasons",
            "screening",
            "origin",
            "screened_at",
        ]
    )
    ledger.record(
        actor=actor,
        action="visit.prescreen",
        target=visit,
        data={"outcome": visit.clearance, "alerts": len(ingested.matches), "hits": run.hit_count},
    )
    if visit.clearance == Visit.Clearance.HELD and before != Visit.Clearance.HELD:
        enqueue_on_commit(TASKS + "tell_security_of_hold", visit_id=visit.pk)
    return visit


def rescreen_expected(*, day: date, actor: Actor) -> int:
    """The morning check: every visitor expected on `day` not screened since it began.
    Idempotent, so an hourly job screens each visitor once a day."""
    start, _ = day_bounds(day)
    due = Visit.objects.expected_on(day).filter(status=Visit.Status.EXPECTED)
    due = due.exclude(screened_at__gte=start).exclude(clearance=Visit.Clearance.BARRED)
    count = 0
    for visit in due.select_related("invitation").iterator():
        prescreen_visit(visit=visit, actor=actor)
        count += 1
    return count


@transaction.atomic
def decide_check(*, visit: Visit, clear: bool, reason: str, actor: User) -> Visit:
    """The security officer's decision on a held visit, remembered for this person's next visit:
    screening keeps its decisions on list entries, and alert matches are kept here."""
    if not SECURITY_TEAM(actor):
        raise VisitError("Only the security team decides on a security check.")
    if visit.clearance != Visit.Clearance.HELD:
        raise VisitError("This visit is not held for a security check.")
    reason = _clean(reason, 500)
    if not reason:
        raise VisitError("Enter the reason for the decision.")
    verdict = Decision.Verdict.FALSE_MATCH if clear else Decision.Verdict.TRUE_MATCH
    results = ScreeningResult.objects.filter(
        pk__in=[r["result"] for r in visit.hold_reasons if r["kind"] == "list"]
    ).select_related("screening__subject", "entity", "source")
    for result in results:
        screening.record_decision(result=result, verdict=verdict, reason=reason, actor=actor)
    key = visit.screening.subject.key if visit.screening else ""
    VisitorDecision.objects.bulk_create(
        VisitorDecision(
            subject_key=key,
            indicator_id=r["indicator"],
            verdict=VisitorDecision.Verdict.CLEAR if clear else VisitorDecision.Verdict.BAR,
            reason=reason,
            decided_by=actor,
        )
        for r in visit.hold_reasons
        if r["kind"] == "alert"
    )
    visit.clearance = Visit.Clearance.CLEARED if clear else Visit.Clearance.BARRED
    visit.check_reason, visit.check_decided_by = reason, actor
    fields = ["clearance", "check_reason", "check_decided_by"]
    if not clear:
        visit.status, visit.refused_reason = Visit.Status.REFUSED, "Refused after a security check."
        fields += ["status", "refused_reason"]
    visit.save(update_fields=fields)
    ledger.record(
        actor=actor,
        action="visit.clear" if clear else "visit.bar",
        target=visit,
        data={"reasons": len(visit.hold_reasons)},
    )
    enqueue_on_commit(TASKS + "tell_host_of_check", visit_id=visit.pk)
    return visit


# --- the gate ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IdCheck:
    id_type: str
    name_matches: bool
    expires_on: date | None


def _check_id(check: IdCheck, today: date, level: str) -> None:
    rules = rules_for(level)
    if check.id_type in ("", IdType.NONE):
        if rules.id_required:
            raise VisitError("Photo ID is required: " + ", ".join(rules.id_labels()) + ".")
        return
    if check.id_type not in rules.accepted_ids:
        raise VisitError(
            f"{IdType(check.id_type).label} is not accepted at this response level: "
            + ", ".join(rules.id_labels())
            + "."
        )
    if not check.name_matches:
        raise VisitError("The name on the ID must match the invitation: refuse, or ask the host.")
    if check.expires_on is None or check.expires_on < today:
        raise VisitError("The ID has expired (or its expiry date was not entered).")


def pass_colour_for(visit: Visit, level: str | None = None) -> str:
    """Green only where the area is open to visitors and the level (`current_level()` unless
    given) is not Exceptional."""
    if visit.invitation.area.escort_required or (level or current_level()) == Level.EXCEPTIONAL:
        return Visit.Pass.RED
    return Visit.Pass.GREEN


def _check_escort(visit: Visit, escort: User, *, moving: bool = False) -> None:
    if escort.pk not in visit.invitation.may_escort_ids():
        raise VisitError(
            f"{escort} may not escort this visitor: only the host or an escort named on the "
            "invitation may."
        )
    if not Presence.objects.current().filter(user=escort).exists():
        raise VisitError(f"{escort} is not signed in on the estate, so cannot escort.")
    if escorts_need_clearance() and not (
        Clearance.objects.current(timezone.localdate())
        .filter(person_id=escort.person_id or 0)
        .exists()
    ):
        raise VisitError(f"{escort} holds no current security clearance, so cannot escort.")
    limit = max_per_escort()
    escorting = Visit.objects.on_site().filter(escort=escort)
    if moving:
        escorting = escorting.exclude(pk=visit.pk)
    if escorting.count() >= limit:
        raise VisitError(f"{escort} already escorts {limit} visitors, the most one escort may.")


@transaction.atomic
def check_in_visit(*, visit: Visit, id_check: IdCheck, escort: User | None, actor: User) -> Visit:
    """Admit a visitor: only on a confirmed, approved invitation (or an approved walk-in), after
    screening, within its window, with accepted photo ID and (for a red pass) an escort who may
    escort them and is on the estate."""
    visit = Visit.objects.select_for_update().select_related("invitation__area").get(pk=visit.pk)
    now = timezone.now()
    problem = visit.admission_problem(now)
    if problem:
        raise VisitError(problem)
    level = current_level()
    _check_id(id_check, timezone.localdate(now), level)
    colour = pass_colour_for(visit, level)
    if colour == Visit.Pass.RED and escort is None:
        raise VisitError("Choose the escort: this visitor must be escorted at all times.")
    if escort is not None:
        _check_escort(visit, escort)
    visit.status, visit.checked_in_at, visit.checked_in_by = Visit.Status.ON_SITE, now, actor
    visit.id_type, visit.id_name_matches = id_check.id_type, id_check.name_matches
    visit.id_expires_on, visit.escort, visit.pass_colour = id_check.expires_on, escort, colour
    visit.save(
        update_fields=[
            "status",
            "checked_in_at",
            "checked_in_by",
            "id_type",
            "id_name_matches",
            "id_expires_on",
            "escort",
            "pass_colour",
        ]
    )
    ledger.record(
        actor=actor,
        action="visit.check_in",
        target=visit,
        data={"id": id_check.id_type, "pass": colour, "escort": str(escort or "")},
    )
    enqueue_on_commit(TASKS + "tell_host_of_arrival", visit_id=visit.pk)
    return visit


@transaction.atomic
def refuse_visit(*, visit: Visit, reason: str, actor: User) -> Visit:
    reason = _clean(reason, 500)
    if not reason:
        raise VisitError("Enter the reason for refusing entry.")
    if visit.status != Visit.Status.EXPECTED:
        raise VisitError(f"This visit is {visit.get_status_display().lower()}.")
    visit.status, visit.refused_reason = Visit.Status.REFUSED, reason
    visit.save(update_fields=["status", "refused_reason"])
    ledger.record(actor=actor, action="visit.refuse", target=visit, data={"reason": reason})
    return visit


@transaction.atomic
def check_out_visit(*, visit: Visit, actor: Actor) -> Visit:
    if visit.status != Visit.Status.ON_SITE:
        raise VisitError("This visitor is not on site.")
    visit.status, visit.checked_out_at = Visit.Status.LEFT, timezone.now()
    visit.save(update_fields=["status", "checked_out_at"])
    ledger.record(actor=actor, action="visit.check_out", target=visit)
    return visit


@transaction.atomic
def assign_escort(*, visit: Visit, escort: User, actor: User) -> Visit:
    """Hand an on-site visitor to another escort who may escort them (at most six at once)."""
    if visit.status != Visit.Status.ON_SITE:
        raise VisitError("Only a visitor on site is escorted.")
    _check_escort(visit, escort, moving=True)
    visit.escort = escort
    visit.save(update_fields=["escort"])
    ledger.record(actor=actor, action="visit.escort", target=visit, data={"escort": str(escort)})
    return visit


# --- passholders on the estate -------------------------------------------------------------------


@transaction.atomic
def arrive_on_estate(*, user: User, actor: User) -> Presence:
    presence = Presence.objects.current().filter(user=user).first()
    if presence is None:
        presence = Presence.objects.create(user=user)
        ledger.record(actor=actor, action="presence.arrive", target=presence)
    return presence


@transaction.atomic
def leave_estate(*, user: User, actor: User) -> int:
    """Sign a passholder out. If visitors they escort are still on site, the gate and the
    security team are told; returns how many."""
    presence = Presence.objects.current().filter(user=user).first()
    if presence is None:
        return 0
    presence.left_at = timezone.now()
    presence.save(update_fields=["left_at"])
    left_behind = list(Visit.objects.on_site().filter(escort=user).values_list("pk", flat=True))
    ledger.record(
        actor=actor, action="presence.leave", target=presence, data={"visitors": len(left_behind)}
    )
    if left_behind:
        enqueue_on_commit(TASKS + "tell_gate_of_escort_leaving", user_id=user.pk)
    return len(left_behind)


def flag_overstays(*, actor: Actor) -> int:
    """Visitors still on site after their invitation's window ended: flagged once, and the gate
    and the security team told."""
    now = timezone.now()
    due = Visit.objects.on_site().filter(invitation__ends_at__lt=now, overstay_flagged_at=None)
    ids = list(due.values_list("pk", flat=True))
    if not ids:
        return 0
    with transaction.atomic():
        Visit.objects.filter(pk__in=ids).update(overstay_flagged_at=now)
        ledger.record_many(
            actor=actor,
            entries=[
                ledger.Entry("visit.overstay", visit, {})
                for visit in Visit.objects.filter(pk__in=ids)
            ],
        )
        enqueue_on_commit(TASKS + "tell_gate_of_overstays", visit_ids=ids)
    return len(ids)


# --- response level ------------------------------------------------------------------------------


@transaction.atomic
def set_level(*, level: str, reason: str, actor: User) -> LevelChange:
    if not SECURITY_TEAM(actor):
        raise VisitError("Only the security team switches the response level.")
    if level not in Level.values:
        raise VisitError("Select a response level.")
    reason = _clean(reason, 300)
    if not reason:
        raise VisitError("Enter the reason for the change.")
    before = current_level()
    change = LevelChange.objects.create(level=level, reason=reason, set_by=actor)
    ledger.record(
        actor=actor, action="response_level.set", target=change, data={"from": before, "to": level}
    )
    return change


# --- roll call -----------------------------------------------------------------------------------


@transaction.atomic
def start_roll_call(*, actor: User) -> RollCall:
    """Evacuation: a snapshot of everyone on site, which several marshals then work through."""
    if RollCall.objects.filter(ended_at=None).exists():
        raise VisitError("A roll call is already running: end it before starting another.")
    roll_call = RollCall.objects.create(started_by=actor)
    on_site = Visit.objects.on_site().for_lists()
    entries = [
        RollCallEntry(
            roll_call=roll_call,
            visit=visit,
            name=visit.name,
            area=visit.invitation.area.name,
            host=str(visit.invitation.host),
            escort=str(visit.escort or ""),
            phone=visit.phone,
        )
        for visit in on_site
    ]
    RollCallEntry.objects.bulk_create(entries)
    ledger.record(
        actor=actor, action="roll_call.start", target=roll_call, data={"on_site": len(entries)}
    )
    return roll_call


@transaction.atomic
def mark_located(*, entry: RollCallEntry, actor: User) -> RollCallEntry:
    entry = RollCallEntry.objects.select_for_update().select_related("roll_call").get(pk=entry.pk)
    if entry.roll_call.ended_at is not None:
        raise VisitError("This roll call has ended.")
    if entry.located_at is None:
        entry.located_at, entry.located_by = timezone.now(), actor
        entry.save(update_fields=["located_at", "located_by"])
        ledger.record(
            actor=actor,
            action="roll_call.locate",
            target=entry.roll_call,
            data={"entry": str(entry.public_id)},
        )
    return entry


@transaction.atomic
def end_roll_call(*, roll_call: RollCall, actor: User) -> RollCall:
    if roll_call.ended_at is not None:
        raise VisitError("This roll call has already ended.")
    roll_call.ended_at, roll_call.ended_by = timezone.now(), actor
    roll_call.save(update_fields=["ended_at", "ended_by"])
    counts = roll_call.entries.aggregate(
        total=Count("pk"), located=Count("pk", filter=Q(located_at__isnull=False))
    )
    ledger.record(actor=actor, action="roll_call.end", target=roll_call, data=counts)
    return roll_call


# --- records -------------------------------------------------------------------------------------


def anonymise_old_visits(*, actor: Actor, now: datetime | None = None) -> int:
    """Personal details of visits older than the retention period go; the visit, its times,
    host, area and outcome stay, so the counts remain."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=retention_days())
    old = Visit.objects.filter(invitation__ends_at__lt=cutoff, anonymised_at=None).exclude(
        status=Visit.Status.ON_SITE
    )
    ids = list(old.values_list("pk", flat=True)[:5000])
    if not ids:
        return 0
    with transaction.atomic():
        Visit.objects.filter(pk__in=ids).update(
            name="Anonymised visitor",
            organisation="",
            email="",
            phone="",
            id_type="",
            id_name_matches=None,
            id_expires_on=None,
            hold_reasons=[],
            anonymised_at=now,
        )
        RollCallEntry.objects.filter(visit_id__in=ids).update(name="Anonymised visitor", phone="")
        ledger.record(
            actor=actor,
            action="visit.anonymise",
            data={"visits": len(ids), "older_than_days": retention_days()},
        )
    return len(ids)
