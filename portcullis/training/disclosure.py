"""The disclosure list of non-completers, as a sequence of recorded steps:

draft  -> people overdue past their requirement's grace period, minus exemptions;
notice -> each person is told and has a window to complete or appeal;
approve -> a second security officer (not the drafter) confirms, after the window; people who
           completed in the window, became exempt or won an appeal drop off here;
publish -> only an approved list; the page, CSV and PDF show only entries still listed.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from typing import TYPE_CHECKING

from django.db import transaction
from django.template.loader import render_to_string

from portcullis import ledger
from portcullis.accounts.models import Role
from portcullis.lib import mail

from .models import Assignment, Completion, DisclosureEntry, DisclosureList
from .services import TrainingError, exempt_assignment_ids

if TYPE_CHECKING:
    from portcullis.accounts.models import User

DEFAULT_WINDOW_DAYS = 14


def _require_officer(actor: User) -> None:
    if not actor.scope.has(Role.SECURITY_OFFICER):
        raise TrainingError("Only a security officer can do this.")


def _require_status(lst: DisclosureList, *statuses: str) -> None:
    if lst.status not in statuses:
        raise TrainingError(
            f"The list is {lst.get_status_display().lower()}; this step is not open."
        )


@transaction.atomic
def draft_disclosure_list(*, actor: User | None, today: date, title: str = "") -> DisclosureList:
    """Draft by an officer, or by the system (actor None); approval is always an officer's."""
    if actor is not None:
        _require_officer(actor)
    overdue = [
        a
        for a in Assignment.objects.open()
        .filter(source=Assignment.Source.REQUIREMENT, due_on__lt=today)
        .select_related("requirement", "person", "course")
        if a.due_on + timedelta(days=a.requirement.grace_days) < today  # type: ignore[union-attr]
    ]
    exempt = exempt_assignment_ids(overdue, today)
    lst = DisclosureList.objects.create(
        title=title or f"Mandatory security training: not completed as of {today:%-d %B %Y}",
        as_of=today,
        created_by=actor,
    )
    DisclosureEntry.objects.bulk_create(
        DisclosureEntry(
            disclosure=lst,
            person=a.person,
            assignment=a,
            course=a.course,
            due_on=a.due_on,
            office_names="; ".join(
                m.office.name for m in a.person.active_memberships() if m.office
            )[:500],
        )
        for a in overdue
        if a.pk not in exempt
    )
    ledger.record(
        actor=actor, action="disclosure.draft", target=lst, data={"entries": lst.entries.count()}
    )
    return lst


@transaction.atomic
def give_disclosure_notice(
    *, disclosure: DisclosureList, actor: User, today: date, window_days: int = DEFAULT_WINDOW_DAYS
) -> DisclosureList:
    _require_officer(actor)
    _require_status(disclosure, DisclosureList.Status.DRAFT)
    if window_days < 7:
        raise TrainingError("Give people at least 7 days to complete the course or appeal.")
    disclosure.status = DisclosureList.Status.NOTICE
    disclosure.notice_on = today
    disclosure.window_ends_on = today + timedelta(days=window_days)
    disclosure.save(update_fields=["status", "notice_on", "window_ends_on"])
    entries = list(disclosure.listed().prefetch_related("person__emails"))
    for entry in entries:
        body = render_to_string(
            "training/email/disclosure_notice.txt", {"entry": entry, "disclosure": disclosure}
        )
        transaction.on_commit(partial(_send_notice, to=entry.person.primary_email, body=body))
    ledger.record(
        actor=actor,
        action="disclosure.notice",
        target=disclosure,
        data={"people": len(entries), "window_ends_on": disclosure.window_ends_on},
    )
    return disclosure


def _send_notice(*, to: str, body: str) -> None:
    mail.send(to=[to], subject="Your name may be published: security training overdue", body=body)


@transaction.atomic
def appeal_disclosure(*, entry: DisclosureEntry, text: str, actor: User, today: date) -> None:
    if actor.person_id != entry.person_id:
        raise TrainingError("Only the person named can appeal.")
    disclosure = entry.disclosure
    _require_status(disclosure, DisclosureList.Status.NOTICE)
    if disclosure.window_ends_on and today > disclosure.window_ends_on:
        raise TrainingError("The window for appeals has closed.")
    if entry.status != DisclosureEntry.Status.LISTED:
        raise TrainingError("This entry is not open to appeal.")
    if not text.strip():
        raise TrainingError("Say why your name should not be published.")
    entry.status = DisclosureEntry.Status.APPEALED
    entry.appeal = text.strip()[:2000]
    entry.save(update_fields=["status", "appeal"])
    ledger.record(actor=actor, action="disclosure.appeal", target=disclosure)


@transaction.atomic
def decide_appeal(*, entry: DisclosureEntry, upheld: bool, note: str, actor: User) -> None:
    _require_officer(actor)
    if entry.status != DisclosureEntry.Status.APPEALED:
        raise TrainingError("There is no appeal to decide.")
    entry.status = DisclosureEntry.Status.APPEAL_UPHELD if upheld else DisclosureEntry.Status.LISTED
    entry.decision_note = note[:300]
    entry.save(update_fields=["status", "decision_note"])
    ledger.record(
        actor=actor,
        action="disclosure.decide_appeal",
        target=entry.disclosure,
        data={"entry": str(entry.public_id), "upheld": upheld},
    )


@transaction.atomic
def approve_disclosure_list(
    *, disclosure: DisclosureList, actor: User, today: date
) -> DisclosureList:
    """A second officer approves after the window. Entries are re-checked first."""
    _require_officer(actor)
    _require_status(disclosure, DisclosureList.Status.NOTICE)
    if actor.pk == disclosure.created_by_id:
        raise TrainingError("Another security officer must approve the list you drafted.")
    if disclosure.window_ends_on is None or today <= disclosure.window_ends_on:
        raise TrainingError("The notice window has not closed yet.")
    if disclosure.entries.filter(status=DisclosureEntry.Status.APPEALED).exists():
        raise TrainingError("Decide every appeal before approving.")
    dropped = _drop_resolved(disclosure, today)
    disclosure.status = DisclosureList.Status.APPROVED
    disclosure.approved_by = actor
    disclosure.approved_on = today
    disclosure.save(update_fields=["status", "approved_by", "approved_on"])
    ledger.record(
        actor=actor,
        action="disclosure.approve",
        target=disclosure,
        data={"listed": disclosure.listed().count(), "dropped": dropped},
    )
    return disclosure


def _drop_resolved(disclosure: DisclosureList, today: date) -> int:
    entries = list(disclosure.listed().select_related("assignment"))
    exempt = exempt_assignment_ids([e.assignment for e in entries], today)
    dropped = 0
    for entry in entries:
        completed = Completion.objects.valid().filter(
            person_id=entry.person_id, course_id=entry.course_id, completed_on__gte=entry.due_on
        )
        if entry.assignment.status == Assignment.Status.COMPLETED or completed.exists():
            entry.status = DisclosureEntry.Status.COMPLETED
        elif entry.assignment_id in exempt:
            entry.status = DisclosureEntry.Status.EXEMPT
        else:
            continue
        entry.save(update_fields=["status"])
        dropped += 1
    return dropped


@transaction.atomic
def publish_disclosure_list(
    *, disclosure: DisclosureList, actor: User, today: date
) -> DisclosureList:
    _require_officer(actor)
    if disclosure.status != DisclosureList.Status.APPROVED:
        raise TrainingError("Only an approved list can be published.")
    disclosure.status = DisclosureList.Status.PUBLISHED
    disclosure.published_on = today
    disclosure.save(update_fields=["status", "published_on"])
    ledger.record(
        actor=actor,
        action="disclosure.publish",
        target=disclosure,
        data={"listed": disclosure.listed().count()},
    )
    return disclosure
