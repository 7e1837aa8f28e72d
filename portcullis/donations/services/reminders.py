"""Reminders of the 30-day clock and of register deadlines. Each stage is claimed by one
conditional UPDATE (`reminded_stage` moves from the previous stage), so two workers never send
the same reminder and a catch-up run sends only the latest stage due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from portcullis import ledger
from portcullis.accounts.mail import mail_party_officers
from portcullis.ledger.actors import SCHEDULER
from portcullis.lib import mail

from ..mail import site_url
from ..models import Donation, Interest

# (stage, days before the deadline from which it applies); the latest that applies is sent.
DONATION_STAGES = [(1, 10), (2, 3), (3, -1)]
INTEREST_STAGES = [(1, 7), (2, -1)]


@dataclass
class ReminderRun:
    sent: int = 0


def _stage(deadline: date, today: date, stages: list[tuple[int, int]]) -> int:
    reached = [s for s, before in stages if today >= deadline - timedelta(days=before)]
    return reached[-1] if reached else 0


def send_reminders(*, today: date) -> ReminderRun:
    run = ReminderRun()
    soon = today + timedelta(days=DONATION_STAGES[0][1])
    pending = Donation.objects.filter(
        status=Donation.Status.PENDING, decision_due_on__lte=soon
    ).select_related("party")
    for donation in pending:
        stage = _stage(donation.decision_due_on, today, DONATION_STAGES)
        if stage > donation.reminded_stage and _claim(
            Donation, donation.pk, stage, donation.reminded_stage
        ):
            run.sent += _remind_donation(donation, stage, today)
    window = today + timedelta(days=INTEREST_STAGES[0][1])
    open_interests = Interest.objects.filter(
        registrable=True, registered_on__isnull=True, register_by__lte=window
    ).select_related("member__user")
    for interest in open_interests:
        stage = _stage(interest.register_by, today, INTEREST_STAGES)  # type: ignore[arg-type]
        if stage > interest.reminded_stage and _claim(
            Interest, interest.pk, stage, interest.reminded_stage
        ):
            run.sent += _remind_interest(interest, stage)
    return run


def _claim(model: type[Donation] | type[Interest], pk: int, stage: int, was: int) -> bool:
    claimed = model.objects.filter(pk=pk, reminded_stage=was).update(reminded_stage=stage)
    return claimed == 1


def _remind_donation(donation: Donation, stage: int, today: date) -> int:
    due = donation.decision_due_on
    words = (
        f"the 30 days to decide ended on {due:%d %B %Y}: keeping it counts as accepting it"
        if stage == 3
        else f"decide by {due:%d %B %Y} ({(due - today).days} days left)"  # type: ignore[operator]
    )
    ledger.record(actor=SCHEDULER, action="donation.remind", target=donation, data={"stage": stage})
    return mail_party_officers(
        party_id=donation.party_id,
        subject=f"Donation {donation.reference}: {words}",
        body=f"Donation {donation.reference} is waiting for a decision: {words}.\n\n"
        f"{site_url(donation.get_absolute_url())}\n",
    )


def _remind_interest(interest: Interest, stage: int) -> int:
    user = getattr(interest.member, "user", None)
    if user is None or not user.is_active:
        return 0
    due = interest.register_by
    words = f"register it by {due:%d %B %Y}" if stage == 1 else f"it was due by {due:%d %B %Y}"
    ledger.record(actor=SCHEDULER, action="interest.remind", target=interest, data={"stage": stage})
    return mail.send(
        to=[user.email],
        subject=f"Register of interests: {words}",
        body=f"An interest you recorded must be registered: {words}.\n\n"
        f"{site_url(interest.get_absolute_url())}\n",
    )
