"""Reminders before, on and after the due date, then escalation; each exactly once."""

from __future__ import annotations

from datetime import date, timedelta

from django.core import mail
from django.test import override_settings

from portcullis.ledger.actors import WORKER
from portcullis.lib.testing.smtp import smtp_server
from portcullis.test import BaseTestCase
from portcullis.training import services
from portcullis.training.models import Reminder
from portcullis.training.reminders import send_reminders
from portcullis.training.services import sync_assignments

from .builders import make_course, make_requirement, set_started

D0 = date(2026, 2, 2)
DUE = D0 + timedelta(days=30)


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
class ReminderTests(BaseTestCase):
    def setUp(self) -> None:
        self.course = make_course()
        make_requirement(self.course, due_within_days=30)
        set_started(self.staffer.person, D0)
        sync_assignments(person=self.staffer.person, actor=WORKER, today=D0)

    def run_days(self, start: date, days: int) -> None:
        for n in range(days):
            send_reminders(today=start + timedelta(days=n))

    def test_each_stage_is_sent_exactly_once_as_days_pass(self) -> None:
        self.run_days(D0, 60)
        self.run_days(D0, 60)  # a second scheduler pass over the same days changes nothing
        stages = list(Reminder.objects.values_list("stage", "sent_on", "skipped"))
        self.assertEqual(
            stages,
            [
                ("before", DUE - timedelta(days=7), False),
                ("due", DUE, False),
                ("after", DUE + timedelta(days=7), False),
                ("escalation", DUE + timedelta(days=14), False),
            ],
        )
        subjects = [m.subject for m in mail.outbox if m.to == ["staffer@test.example"]]
        self.assertEqual(len(subjects), 4)
        self.assertIn("due on 4 March 2026", subjects[0])
        self.assertIn("due today", subjects[1])
        self.assertIn("overdue", subjects[2])

    def test_escalation_goes_to_the_office_manager_and_security_team(self) -> None:
        self.run_days(DUE + timedelta(days=14), 1)
        escalation = Reminder.objects.get(stage="escalation")
        self.assertEqual(
            escalation.recipients,
            ["manager@test.example", "security@test.example", "staffer@test.example"],
        )
        self.assertNotIn("outsider@test.example", {m.to[0] for m in mail.outbox})

    def test_a_late_first_run_sends_only_the_latest_stage(self) -> None:
        self.run_days(DUE + timedelta(days=8), 1)
        sent = Reminder.objects.filter(skipped=False).values_list("stage", flat=True)
        self.assertEqual(list(sent), ["after"])
        self.assertEqual(len(mail.outbox), 1)

    def test_completing_the_course_stops_reminders(self) -> None:
        services._complete(
            person=self.staffer.person, course=self.course, version=1, on=D0, actor=WORKER
        )
        self.run_days(D0, 60)
        self.assertEqual(mail.outbox, [])

    def test_an_exempt_person_gets_no_reminders(self) -> None:
        services.grant_exemption(
            person=self.staffer.person,
            reason="illness",
            detail="Sick leave",
            starts_on=D0,
            ends_on=None,
            actor=self.security,
        )
        self.run_days(D0, 60)
        self.assertEqual(mail.outbox, [])


class SmtpReminderTests(BaseTestCase):
    def test_reminders_travel_over_real_smtp(self) -> None:
        course = make_course()
        make_requirement(course, due_within_days=30)
        set_started(self.staffer.person, D0)
        sync_assignments(person=self.staffer.person, actor=WORKER, today=D0)
        with smtp_server() as received:
            send_reminders(today=DUE)
            send_reminders(today=DUE)
        self.assertEqual(len(received), 1)
        self.assertEqual(received[0]["To"], "staffer@test.example")
        self.assertIn("due today", received[0]["Subject"])
        self.assertIn("It takes about", received[0].get_content())
