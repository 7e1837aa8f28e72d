"""The simulation event timeline. Every fetch is kept; only what a person did is counted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from portcullis import ledger
from portcullis.ledger.actors import VISITOR
from portcullis.training.services import TrainingError, assign_remedial_training

from .. import scanners
from ..models import Event, Target

# The Target timestamp each counted event kind fills in (first occurrence wins).
STAMP = {
    Event.Kind.SENT: "sent_at",
    Event.Kind.BOUNCED: "bounced_at",
    Event.Kind.OPENED: "opened_at",
    Event.Kind.CLICKED: "clicked_at",
    Event.Kind.SUBMITTED: "submitted_at",
    Event.Kind.REPORTED: "reported_at",
}


@dataclass(frozen=True)
class Facts:
    """What a landing-page request tells us (never what was typed into it)."""

    method: str
    user_agent: str
    ip: str | None
    headers: dict[str, str]


def automated_reason(target: Target, facts: Facts, now: datetime) -> str | None:
    since = (now - target.sent_at).total_seconds() if target.sent_at else None
    return scanners.automated_reason(
        scanners.Request(facts.method, facts.user_agent, facts.headers, since)
    )


@transaction.atomic
def record_event(
    *,
    target: Target,
    kind: str,
    now: datetime,
    counted: bool = True,
    note: str = "",
    facts: Facts | None = None,
) -> Event:
    event = Event.objects.create(
        target=target,
        kind=kind,
        at=now,
        counted=counted,
        note=note[:300],
        user_agent=(facts.user_agent if facts else "")[:300],
        ip=facts.ip if facts else None,
    )
    field = STAMP[Event.Kind(kind)]
    if counted and getattr(target, field) is None:
        setattr(target, field, now)
        target.save(update_fields=[field])
        if kind == Event.Kind.SUBMITTED:
            _assign_training(target)
    return event


def record_fetch(*, target: Target, kind: str, facts: Facts, now: datetime) -> Event:
    """A pixel load, a link fetch or a confirmed click: counted unless it looks automated."""
    reason = automated_reason(target, facts, now)
    if reason:
        return record_event(
            target=target,
            kind=kind,
            now=now,
            counted=False,
            note=f"automated: {reason}",
            facts=facts,
        )
    return record_event(target=target, kind=kind, now=now, facts=facts)


def record_link_fetch(*, target: Target, facts: Facts, now: datetime) -> Event:
    """The link itself. Gateways fetch links too, so a click counts only at the confirming step."""
    reason = automated_reason(target, facts, now)
    note = f"automated: {reason}" if reason else "link opened; counted once the page is confirmed"
    return record_event(
        target=target, kind=Event.Kind.CLICKED, now=now, counted=False, note=note, facts=facts
    )


def record_submission(*, target: Target, facts: Facts, now: datetime) -> Event:
    """Something was submitted on the landing page. What it was is neither read nor kept."""
    if target.clicked_at is None:
        record_fetch(target=target, kind=Event.Kind.CLICKED, facts=facts, now=now)
    return record_fetch(target=target, kind=Event.Kind.SUBMITTED, facts=facts, now=now)


def _assign_training(target: Target) -> None:
    campaign = target.campaign
    if campaign.remedial_course is None:
        ledger.record(actor=VISITOR, action="simulation.no_remedial_course", target=target)
        return
    try:
        assign_remedial_training(
            person=target.person,
            course=campaign.remedial_course,
            reason=f"Submitted details in phishing test {campaign.name!r}",
            due_on=None,
            actor=VISITOR,
        )
    except TrainingError as exc:
        ledger.record(
            actor=VISITOR,
            action="simulation.remedial_failed",
            target=target,
            data={"error": str(exc)},
        )
