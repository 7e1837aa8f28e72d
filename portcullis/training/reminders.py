"""Reminder e-mails before, on and after the due date, then escalation.

Each (assignment, stage) is recorded in `Reminder`, whose unique constraint is the guarantee that
a stage happens once: the row and the e-mail share a transaction, so a failed send is retried on
the next run and a second worker racing for the same stage loses on the constraint.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from portcullis import ledger
from portcullis.accounts.models import Person, Role, User
from portcullis.accounts.need_to_know import Sensitive, may_read
from portcullis.ledger.actors import SCHEDULER
from portcullis.lib import mail

from .models import Assignment, Reminder
from .services import exempt_assignment_ids

# Stage, and days relative to the due date from which it applies; the latest applicable wins.
STAGES: list[tuple[str, int]] = [
    (Reminder.Stage.BEFORE, -7),
    (Reminder.Stage.DUE, 0),
    (Reminder.Stage.AFTER, 7),
    (Reminder.Stage.ESCALATION, 14),
]


@dataclass
class ReminderRun:
    sent: int = 0
    skipped: int = 0


def stage_for(assignment: Assignment, today: date) -> str | None:
    reached = [stage for stage, offset in STAGES if today >= assignment.due_on + timedelta(offset)]
    return reached[-1] if reached else None


def send_reminders(*, today: date) -> ReminderRun:
    run = ReminderRun()
    window = today + timedelta(days=7)
    candidates = list(
        Assignment.objects.open()
        .filter(due_on__lte=window)
        .select_related("person", "course")
        .prefetch_related("reminders", "person__emails")
    )
    exempt = exempt_assignment_ids(candidates, today)
    for assignment in candidates:
        if assignment.pk in exempt:
            continue
        stage = stage_for(assignment, today)
        done = {r.stage for r in assignment.reminders.all()}
        if stage is None or stage in done:
            continue
        if _send_stage(assignment, stage, done, today):
            run.sent += 1
        else:
            run.skipped += 1
    return run


def _send_stage(assignment: Assignment, stage: str, done: set[str], today: date) -> bool:
    try:
        with transaction.atomic():
            order = [s for s, _ in STAGES]
            for earlier in order[: order.index(stage)]:
                if earlier not in done:  # a catch-up run: do not send stale reminders
                    Reminder.objects.create(
                        assignment=assignment, stage=earlier, sent_on=today, skipped=True
                    )
            recipients = _recipients(assignment, stage)
            Reminder.objects.create(
                assignment=assignment, stage=stage, sent_on=today, recipients=recipients
            )
            subject, body = _message(assignment, stage, today)
            mail.send(to=recipients, subject=subject, body=body)
            ledger.record(
                actor=SCHEDULER,
                action="reminder.send",
                target=assignment,
                data={"stage": stage, "recipients": len(recipients)},
            )
    except IntegrityError:
        return False  # another run recorded this stage first
    return True


def _recipients(assignment: Assignment, stage: str) -> list[str]:
    own = [assignment.person.primary_email]
    if stage != Reminder.Stage.ESCALATION:
        return [a for a in own if a]
    offices = assignment.person.memberships.filter(ended_on__isnull=True).values("office_id")
    managers = Person.objects.filter(
        memberships__office_id__in=offices,
        memberships__role=Role.OFFICE_MANAGER,
        memberships__ended_on__isnull=True,
    ).exclude(pk=assignment.person_id)
    security = User.objects.filter(
        is_active=True,
        person__memberships__role=Role.SECURITY_OFFICER,
        person__memberships__ended_on__isnull=True,
    ).values_list("email", flat=True)
    told = [
        p
        for p in managers.select_related("user").prefetch_related("emails")
        if assignment.source == Assignment.Source.REQUIREMENT
        or may_read(getattr(p, "user", None) or AnonymousUser(), Sensitive.REMEDIAL)
    ]
    addresses = own + [p.primary_email for p in told]
    return sorted({a for a in [*addresses, *security] if a})


def _message(assignment: Assignment, stage: str, today: date) -> tuple[str, str]:
    course = assignment.course.title
    subjects: dict[str, str] = {
        Reminder.Stage.BEFORE: f"Training due on {assignment.due_on:%-d %B %Y}: {course}",
        Reminder.Stage.DUE: f"Training due today: {course}",
        Reminder.Stage.AFTER: f"Training overdue: {course}",
        Reminder.Stage.ESCALATION: f"Escalation: {assignment.person} has not completed {course}",
    }
    body = render_to_string(
        "training/email/reminder.txt",
        {
            "assignment": assignment,
            "stage": stage,
            "days_overdue": assignment.days_overdue(today),
            "url": _absolute(reverse("training:mine")),
        },
    )
    return subjects[stage], body


def _absolute(path: str) -> str:
    base = getattr(settings, "PORTCULLIS_BASE_URL", "")
    return f"{base}{path}" if base else path
