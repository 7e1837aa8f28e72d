"""Acceptance: a simulation runs end to end against a local SMTP server and a real IMAP server:
sent -> opened -> clicked -> submitted -> reported via the report mailbox, with a mail scanner's
click recorded but not counted, remedial training assigned, and the password kept nowhere."""

from __future__ import annotations

import logging
import re
from datetime import date
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings

from portcullis.ledger.actors import WORKER
from portcullis.lib.testing.imap import imap_server
from portcullis.lib.testing.smtp import smtp_server
from portcullis.phishing.conf import MailboxConfig
from portcullis.phishing.models import DoNotTest, Event, ReportedEmail, Target
from portcullis.phishing.services import mailbox, simulations
from portcullis.test import BaseTestCase
from portcullis.training.models import Assignment

from .app_builders import MONDAY, at, draft_campaign, forward_as_attachment, sending_profile

SECRET = "Tr0ub4dor&3-correct-horse-7781"
SAFE_LINKS = "Mozilla/5.0 (compatible; Microsoft SafeLinks Preview)"
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


@override_settings(PROTECTED_DOMAINS=["parliament.example"])
class EndToEndTests(BaseTestCase):
    def test_sent_opened_clicked_submitted_reported_with_a_scanner_click_discounted(self) -> None:
        DoNotTest.objects.create(
            person=self.member.person, reason="bereavement", added_by=self.security
        )
        with smtp_server() as inbox:
            profile = sending_profile(port=settings.EMAIL_PORT)
            campaign = draft_campaign(
                self.security, [self.office_a], roles=("staffer", "member"), profile=profile
            )
            simulations.schedule_campaign(campaign=campaign, actor=self.security, now=at(MONDAY, 8))
            target = Target.objects.get()
            self.assertEqual(target.person, self.staffer.person)  # the member is on the list

            run = simulations.send_due_emails(now=at(date(2025, 3, 7), 16, 45))
            self.assertEqual(run.sent, 1)
            received = inbox[0]
            self.assertEqual(received["To"], "staffer@test.example")
            self.assertIn("servicedesk@parliament-it-support.example", received["From"])
            html = received.get_body(("html",)).get_content()
            text = received.get_body(("plain",)).get_content()
            link = re.search(r"http://[^\s\"<>]+/l/([\w-]+)/", text)
            assert link is not None
            self.assertEqual(link.group(1), target.token)
            self.assertIn(f"/l/{target.token}/i.png", html)
            path = f"/l/{target.token}/"

            # The gateway checks the link before the person sees the mail.
            scanner = Client(HTTP_USER_AGENT=SAFE_LINKS)
            self.assertEqual(scanner.head(path).status_code, 200)
            self.assertEqual(scanner.get(path).status_code, 200)
            target.refresh_from_db()
            self.assertIsNone(target.clicked_at)

            person = Client(HTTP_USER_AGENT=BROWSER)
            self.assertEqual(person.get(f"{path}i.png")["Content-Type"], "image/gif")
            self.assertContains(person.get(path), "Continue to sign in")
            target.refresh_from_db()
            self.assertIsNone(target.clicked_at)  # not until the confirming step
            form = person.post(f"{path}open/")
            self.assertContains(form, 'type="password"')
            self.assertNotContains(form, 'name="password"')
            done = person.post(
                f"{path}submit/", {"email": "staffer@test.example", "password": SECRET}, follow=True
            )
            self.assertContains(done, "This was a phishing test")

            # The person then realises, and forwards the lure to the report mailbox.
            with imap_server() as imap:
                imap.append(
                    forward_as_attachment(received.as_bytes(), reporter="staffer@test.example")
                )
                config = MailboxConfig(
                    imap.host, imap.port, imap.user, imap.password, use_ssl=False
                )
                result = mailbox.poll_report_mailbox(actor=WORKER, config=config)
                self.assertEqual(len(result.filed), 1, result.skipped)
                self.assertEqual(imap.count("UNSEEN"), 0)
                again = mailbox.poll_report_mailbox(actor=WORKER, config=config)
                self.assertEqual(again.filed, [])

            reply = inbox[-1]
            self.assertEqual(reply["To"], "staffer@test.example")
            self.assertIn("phishing test", reply.get_content())

        target.refresh_from_db()
        report = ReportedEmail.objects.get()
        self.assertEqual(report.simulation_target, target)
        self.assertEqual(report.source, ReportedEmail.Source.MAILBOX)
        for stamp in ("sent_at", "opened_at", "clicked_at", "submitted_at", "reported_at"):
            self.assertIsNotNone(getattr(target, stamp), stamp)
        timeline = list(target.events.values_list("kind", "counted"))
        self.assertEqual(
            timeline,
            [
                ("sent", True),
                ("clicked", False),  # scanner HEAD
                ("clicked", False),  # scanner GET
                ("opened", True),
                ("clicked", False),  # the person's GET, awaiting confirmation
                ("clicked", True),  # the confirming step
                ("submitted", True),
                ("reported", True),
            ],
        )
        notes = list(target.events.filter(counted=False).values_list("note", flat=True))
        self.assertTrue(notes[0].startswith("automated: HEAD request"))
        self.assertIn("scanner user agent", notes[1])
        assignment = Assignment.objects.get(person=self.staffer.person)
        self.assertEqual(assignment.source, Assignment.Source.REMEDIAL)
        self.assertIn("Spring test", assignment.reason)

    def test_a_submitted_password_is_stored_nowhere(self) -> None:
        campaign = draft_campaign(self.security, [self.office_a])
        simulations.schedule_campaign(campaign=campaign, actor=self.security, now=at(MONDAY, 8))
        target = Target.objects.get()
        Target.objects.filter(pk=target.pk).update(sent_at=at(MONDAY, 10))
        logs = StringIO()
        handler = logging.StreamHandler(logs)
        logging.getLogger().addHandler(handler)
        try:
            client = Client(HTTP_USER_AGENT=BROWSER)
            client.post(f"/l/{target.token}/open/")
            client.post(
                f"/l/{target.token}/submit/",
                {"username": "staffer@test.example", "password": SECRET, "code": SECRET[::-1]},
            )
        finally:
            logging.getLogger().removeHandler(handler)
        self.assertTrue(Event.objects.filter(kind="submitted", counted=True).exists())
        dump = StringIO()
        call_command("dumpdata", stdout=dump)
        self.assertNotIn(SECRET, dump.getvalue())
        self.assertNotIn(SECRET[::-1], dump.getvalue())
        self.assertNotIn("Tr0ub4dor", dump.getvalue())
        self.assertNotIn(SECRET, logs.getvalue())
