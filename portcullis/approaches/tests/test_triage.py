"""Triage: queue filters, assignment, statuses, grading, notes, feedback by e-mail, ledger trail,
and the API that answers an integration with the alert matches."""

from __future__ import annotations

import re
from typing import Any

from portcullis.approaches.models import Note, Report
from portcullis.approaches.services import ReportError, triage_report
from portcullis.approaches.tests.builders import make_report
from portcullis.approaches.tests.test_access import api_client
from portcullis.intel.tests.builders import IMMEDIATE_TASKS, make_alert
from portcullis.intel.tlp import Tlp
from portcullis.ledger.models import LedgerEntry
from portcullis.lib.testing.smtp import smtp_server
from portcullis.test import BaseTestCase


class TriageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.alert = make_alert(cls.security)
        cls.report = make_report(cls.staffer, approacher_name="QIU Amanda")
        cls.other = make_report(cls.outsider, approacher_name="Bertram Quill", channel="email")

    def test_the_queue_filters_by_status_channel_assignment_and_match(self) -> None:
        client = self.client_for(self.security)
        page = client.get("/approaches/triage/")
        self.assertContains(page, self.report.reference)
        self.assertContains(page, self.other.reference)
        matched = client.get("/approaches/triage/?matched=on")
        self.assertContains(matched, self.report.reference)
        self.assertNotContains(matched, self.other.reference)
        by_channel = client.get("/approaches/triage/?channel=email")
        self.assertNotContains(by_channel, self.report.reference)
        self.assertContains(
            client.get("/approaches/triage/?assigned=nobody"), self.report.reference
        )

    def test_a_security_officer_assigns_grades_and_closes_with_an_outcome(self) -> None:
        client = self.client_for(self.security)
        url = f"/approaches/{self.report.public_id}/triage/"
        client.post(
            url,
            {
                "status": "investigating",
                "assigned_to": self.security.pk,
                "reliability": "B",
                "credibility": "2",
            },
        )
        self.report.refresh_from_db()
        self.assertEqual(
            (self.report.status, self.report.assigned_to, self.report.grading),
            ("investigating", self.security, "B2"),
        )
        client.post(url, {"status": "closed"})
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, "investigating")
        client.post(
            url, {"status": "closed", "outcome": "hostile", "assigned_to": self.security.pk}
        )
        self.report.refresh_from_db()
        self.assertEqual((self.report.status, self.report.outcome), ("closed", "hostile"))
        self.assertNotContains(client.get("/approaches/triage/"), self.report.reference)
        self.assertContains(client.get("/approaches/triage/?status=all"), self.report.reference)

    def test_reports_are_assigned_to_security_officers_only(self) -> None:
        with self.assertRaises(ReportError):
            triage_report(
                report=self.report, actor=self.security, status="new", assigned_to=self.staffer
            )

    def test_notes_feedback_and_the_ledger_trail(self) -> None:
        client = self.client_for(self.security)
        client.post(f"/approaches/{self.report.public_id}/notes/", {"text": "Same wording as R-1."})
        self.assertEqual(Note.objects.get().text, "Same wording as R-1.")
        with IMMEDIATE_TASKS, smtp_server() as inbox, self.captureOnCommitCallbacks(execute=True):
            client.post(
                f"/approaches/{self.report.public_id}/feedback/",
                {"message": "Thank you: this profile is in alert A-2025-11. Block it."},
            )
        self.assertEqual([m["To"] for m in inbox], ["staffer@test.example"])
        self.assertNotIn("Block it", inbox[0].get_content())
        own = self.client_for(self.staffer).get(self.report.get_absolute_url())
        self.assertContains(own, "Block it.")
        self.assertNotContains(own, "Same wording")
        trail = list(LedgerEntry.objects.about(self.report).values_list("action", flat=True))
        for action in (
            "approach_report.submit",
            "approach_report.note",
            "approach_report.feedback",
        ):
            self.assertIn(action, trail)
        page = client.get(self.report.get_absolute_url())
        self.assertContains(page, "approach_report.feedback")
        self.assertContains(page, "Same wording as R-1.")


def _normalised(response: Any) -> bytes:
    """The body with what differs between any two reports (ids, references, times, CSRF
    tokens) replaced by placeholders."""
    body: bytes = response.content
    for found in set(
        re.findall(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", body)
    ):
        body = body.replace(found, b"<id>")
    body = re.sub(rb"R-[0-9A-F]{8}", b"<reference>", body)
    body = re.sub(rb"\d{4}-\d\d-\d\dT[0-9:.]+(Z|[+-]\d\d:\d\d)?", b"<time>", body)
    return re.sub(rb'(csrfmiddlewaretoken" value=|csrf-token" content=)"[^"]+"', rb"\1", body)


class ApiTests(BaseTestCase):
    def test_posting_a_report_with_a_token_returns_the_alert_matches(self) -> None:
        alert = make_alert(self.security)
        response = api_client(self.staffer).post(
            "/api/v1/approaches/",
            {
                "channel": "email",
                "persona": "recruiter",
                "approacher_name": "Qiu, Amanda",
                "account": "From amanda.qiu@br-yr.example: paid consultancy in Beijing?",
                "offers": ["consultancy"],
            },
            format="json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["office_name"], "Office A")
        self.assertEqual({m["reference"] for m in body["matches"]}, {alert.reference})
        self.assertEqual(body["matches"][0]["guidance"], alert.guidance)
        self.assertEqual({m["how"] for m in body["matches"]}, {"exact", "name"})
        self.assertTrue(Report.objects.filter(public_id=body["id"], reporter=self.staffer).exists())

    def test_a_restricted_match_is_no_oracle_the_reporter_sees_what_no_match_shows(self) -> None:
        """Issue 10 finding 5, as the attack: the staffer guesses a name and compares what comes
        back with what a report matching nothing returns. A RED alert for someone else, or an
        AMBER+STRICT alert for another office, must leave no trace in the bytes."""
        guess = {"channel": "network", "persona": "recruiter", "approacher_name": "Amanda Qiu"}
        client = api_client(self.staffer)
        with IMMEDIATE_TASKS, smtp_server() as inbox, self.captureOnCommitCallbacks(execute=True):
            baseline = client.post("/api/v1/approaches/", guess, format="json")
        self.assertEqual(inbox[0]["Subject"].count("matches"), 0)
        restricted = [
            make_alert(
                self.security, tlp=Tlp.RED, audience="people", recipients=[self.member.person]
            ),
            make_alert(
                self.security,
                title="Another office's alert",
                tlp=Tlp.AMBER_STRICT,
                audience="offices",
                offices=[self.office_b],
            ),
        ]
        for alert in restricted:
            with self.subTest(tlp=alert.tlp):
                with (
                    IMMEDIATE_TASKS,
                    smtp_server() as inbox,
                    self.captureOnCommitCallbacks(execute=True),
                ):
                    probe = client.post("/api/v1/approaches/", guess, format="json")
                self.assertEqual(_normalised(probe), _normalised(baseline))
                listed = client.get(f"/api/v1/approaches/{probe.json()['id']}/")
                self.assertEqual(_normalised(listed), _normalised(baseline))
                page = self.client_for(self.staffer).get(f"/approaches/{probe.json()['id']}/")
                first = self.client_for(self.staffer).get(f"/approaches/{baseline.json()['id']}/")
                self.assertEqual(_normalised(page), _normalised(first))
                self.assertNotIn(alert.title.encode(), page.content)
                # The security team is told, by name of the alert.
                self.assertIn(alert.reference, inbox[0]["Subject"])
            alert.status = alert.Status.WITHDRAWN
            alert.save(update_fields=["status"])

    def test_reporting_for_someone_elses_office_is_refused(self) -> None:
        response = api_client(self.staffer).post(
            "/api/v1/approaches/",
            {"channel": "email", "persona": "other", "office": str(self.office_b.public_id)},
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Report.objects.exists())

    def test_the_openapi_schema_has_no_warnings_from_these_apps(self) -> None:
        import contextlib
        from io import StringIO

        from django.core.management import call_command

        err = StringIO()
        with contextlib.redirect_stderr(err):
            call_command("spectacular", "--validate", stdout=StringIO(), stderr=err)
        ours = ("approaches/", "intel/", "ApproachReport", "IntelCampaign", "AlertMatch")
        mine = [line for line in err.getvalue().splitlines() if any(o in line for o in ours)]
        self.assertEqual(mine, [])
