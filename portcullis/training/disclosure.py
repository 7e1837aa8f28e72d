"""The disclosure list of non-completers, as a sequence of recorded steps:

draft  -> people overdue past their requirement's grace period, minus exemptions;
notice -> an officer previews who will be told and confirms; each person gets one e-mail listing
          all their courses and has a window to complete or appeal;
approve -> a second security officer (not the drafter) confirms, after the window;
publish -> only an approved list; the page, CSV and PDF show only entries still listed.

Completions and exemptions are re-checked at every step and again immediately before each e-mail
(and completing a course or granting an exemption takes the entry off at once, in services), so a
person who complied is never told they did not, and never listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import TYPE_CHECKING

from django.db import transaction
from django.template.loader import render_to_string

from portcullis import ledger
from portcullis.accounts.models import Role
from portcullis.ledger.actors import Actor, user_of
from portcullis.lib import mail

from .models import Assignment, Completion, DisclosureEntry, DisclosureList
from .services import TrainingError, exempt_assignment_ids

if TYPE_CHECKING:
    from portcullis.accounts.models import Person, User

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
def draft_disclosure_list(*, actor: Actor, today: date, title: str = "") -> DisclosureList:
    """Draft by an officer, or by the system (a system actor); approval is always an officer's."""
    if (officer := user_of(actor)) is not None:
        _require_officer(officer)
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
        created_by=user_of(actor),
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
    _drop_resolved(lst, today)
    ledger.record(
        actor=actor, action="disclosure.draft", target=lst, data={"entries": lst.entries.count()}
    )
    return lst


@dataclass(frozen=True)
class NoticeRecipient:
    person: Person
    entries: list[DisclosureEntry]

    @property
    def key(self) -> str:
        return str(self.person.public_id)


def notice_recipients(disclosure: DisclosureList, today: date) -> list[NoticeRecipient]:
    """Who would be told if notice went now: entries still owed after re-checking completions and
    exemptions, one recipient per person with all their courses. A read: writes nothing."""
    entries = list(disclosure.listed().select_related("assignment").order_by("person__full_name"))
    resolved = _resolved(entries, today)
    by_person: dict[int, NoticeRecipient] = {}
    for entry in entries:
        if entry.pk in resolved:
            continue
        recipient = by_person.setdefault(entry.person_id, NoticeRecipient(entry.person, []))
        recipient.entries.append(entry)
    return list(by_person.values())


@transaction.atomic
def give_disclosure_notice(
    *,
    disclosure: DisclosureList,
    actor: User,
    today: date,
    previewed: set[str],
    window_days: int = DEFAULT_WINDOW_DAYS,
) -> DisclosureList:
    """Tell each person still listed, once. `previewed` is the set of person ids the officer saw
    on the preview and confirmed; notice refuses to tell anyone the officer did not see."""
    _require_officer(actor)
    _require_status(disclosure, DisclosureList.Status.DRAFT)
    if window_days < 7:
        raise TrainingError("Give people at least 7 days to complete the course or appeal.")
    _drop_resolved(disclosure, today)
    recipients = notice_recipients(disclosure, today)
    if not {r.key for r in recipients} <= previewed:
        raise TrainingError(
            "The list changed since you previewed it. Check who will be told and confirm again."
        )
    disclosure.status = DisclosureList.Status.NOTICE
    disclosure.notice_on = today
    disclosure.window_ends_on = today + timedelta(days=window_days)
    disclosure.save(update_fields=["status", "notice_on", "window_ends_on"])
    for recipient in recipients:
        transaction.on_commit(
            partial(
                send_notice, disclosure_id=disclosure.pk, person_id=recipient.person.pk, today=today
            )
        )
    ledger.record(
        actor=actor,
        action="disclosure.notice",
        target=disclosure,
        data={"people": len(recipients), "window_ends_on": disclosure.window_ends_on},
    )
    return disclosure


@transaction.atomic
def send_notice(*, disclosure_id: int, person_id: int, today: date) -> int:
    """One e-mail to one person listing every course they still owe, re-checked just before it
    goes: someone who completed after notice was confirmed is not told otherwise."""
    disclosure = DisclosureList.objects.select_for_update().get(pk=disclosure_id)
    if disclosure.status != DisclosureList.Status.NOTICE:
        return 0
    entries = list(
        disclosure.listed().filter(person_id=person_id).select_related("assignment", "person")
    )
    resolved = _resolved(entries, today)
    _mark(entries, resolved)
    owed = [e for e in entries if e.pk not in resolved]
    if not owed:
        return 0
    person = owed[0].person
    body = render_to_string(
        "training/email/disclosure_notice.txt",
        {"person": person, "entries": owed, "disclosure": disclosure},
    )
    return mail.send(
        to=[person.primary_email],
        subject="Your name may be published: security training overdue",
        body=body,
    )


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
    dropped = _drop_resolved(disclosure, today)
    if disclosure.entries.filter(status=DisclosureEntry.Status.APPEALED).exists():
        raise TrainingError("Decide every appeal before approving.")
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


def _resolved(entries: list[DisclosureEntry], today: date) -> dict[int, str]:
    """Which of these entries no longer stand, and why: the course was completed since it fell
    due, or an exemption covers it today."""
    exempt = exempt_assignment_ids([e.assignment for e in entries], today)
    latest: dict[tuple[int, int], date] = {}
    for person_id, course_id, on in (
        Completion.objects.valid()
        .filter(person_id__in={e.person_id for e in entries})
        .values_list("person_id", "course_id", "completed_on")
    ):
        latest[(person_id, course_id)] = max(on, latest.get((person_id, course_id), on))
    resolved: dict[int, str] = {}
    for entry in entries:
        completed_on = latest.get((entry.person_id, entry.course_id))
        if entry.assignment.status == Assignment.Status.COMPLETED or (
            completed_on is not None and completed_on >= entry.due_on
        ):
            resolved[entry.pk] = DisclosureEntry.Status.COMPLETED
        elif entry.assignment_id in exempt:
            resolved[entry.pk] = DisclosureEntry.Status.EXEMPT
    return resolved


def _mark(entries: list[DisclosureEntry], resolved: dict[int, str]) -> None:
    for entry in entries:
        if entry.pk in resolved:
            entry.status = resolved[entry.pk]
            entry.save(update_fields=["status"])


def _drop_resolved(disclosure: DisclosureList, today: date) -> int:
    entries = list(
        disclosure.entries.filter(
            status__in=[DisclosureEntry.Status.LISTED, DisclosureEntry.Status.APPEALED]
        ).select_related("assignment")
    )
    resolved = _resolved(entries, today)
    _mark(entries, resolved)
    return len(resolved)


@transaction.atomic
def publish_disclosure_list(
    *, disclosure: DisclosureList, actor: User, today: date
) -> DisclosureList:
    _require_officer(actor)
    if disclosure.status != DisclosureList.Status.APPROVED:
        raise TrainingError("Only an approved list can be published.")
    _drop_resolved(disclosure, today)
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
