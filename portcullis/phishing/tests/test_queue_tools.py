"""The reported e-mail queue as analysts work it: identical copies grouped, search, sort, a
verdict on many messages at once, and the CSV export; the attacks written as attacks."""

from __future__ import annotations

import csv
import io

from django.test import override_settings

from portcullis.ledger.models import LedgerEntry
from portcullis.phishing.models import ReportedEmail
from portcullis.phishing.services import reports
from portcullis.test import BaseTestCase

from .app_builders import credential_lure, impersonation, jane_in_directory

QUEUE = "/phishing/reports/"


@override_settings(PROTECTED_DOMAINS=["parliament.example"])
class EmailQueueToolsTests(BaseTestCase):
    def setUp(self) -> None:
        jane_in_directory()
        self.lure = [
            reports.file_report(raw=credential_lure(to, token), actor=user, source="upload")
            for to, token, user in (
                ("staffer@test.example", "a81f3c9e2b7d4f60a1", self.staffer),
                ("member@test.example", "ffe0c2d19a8b7c6d5e", self.member),
            )
        ]
        self.jane = reports.file_report(raw=impersonation(), actor=self.staffer, source="upload")

    def rows(self, url: str) -> list[dict]:
        page = self.client_for(self.security).get(url)
        self.assertEqual(page.status_code, 200)
        return page.context["rows"]

    def test_search_finds_the_subject_or_sender_and_keeps_copies_together(self) -> None:
        found = self.rows(f"{QUEUE}?q=password")
        self.assertEqual(
            [(r["fingerprint"], r["copies"]) for r in found], [(self.lure[0].fingerprint, 2)]
        )
        by_sender = self.rows(f"{QUEUE}?q=gmail.com")
        self.assertEqual([r["fingerprint"] for r in by_sender], [self.jane.fingerprint])

    def test_sorting_by_the_number_of_reports(self) -> None:
        most = self.rows(f"{QUEUE}?sort=-copies")
        self.assertEqual([r["copies"] for r in most], [2, 1])
        fewest = self.rows(f"{QUEUE}?sort=copies")
        self.assertEqual([r["copies"] for r in fewest], [1, 2])

    def test_one_verdict_for_several_messages_covers_every_copy(self) -> None:
        client = self.client_for(self.security)
        client.post(
            f"{QUEUE}bulk/",
            {
                "selected": [str(self.lure[0].public_id), str(self.jane.public_id)],
                "verdict": "malicious",
                "reason": "Credential lure and impersonation seen today",
            },
        )
        self.assertEqual(
            set(ReportedEmail.objects.values_list("override_verdict", flat=True)), {"malicious"}
        )
        self.assertEqual(LedgerEntry.objects.filter(action="phishing_report.override").count(), 2)
        self.assertEqual(self.rows(QUEUE), [])  # nothing left awaiting triage
        self.assertEqual(len(self.rows(f"{QUEUE}?show=all")), 2)

    def test_a_verdict_without_a_reason_changes_nothing_and_names_the_field(self) -> None:
        answer = self.client_for(self.security).post(
            f"{QUEUE}bulk/",
            {"selected": [str(self.jane.public_id)], "verdict": "malicious", "reason": ""},
            follow=True,
        )
        self.assertContains(answer, "Say why the verdict is changed")
        self.assertFalse(ReportedEmail.objects.exclude(override_verdict="").exists())

    def test_attack_a_member_cannot_record_verdicts_or_export_the_queue(self) -> None:
        client = self.client_for(self.member)
        answer = client.post(
            f"{QUEUE}bulk/",
            {"selected": [str(self.jane.public_id)], "verdict": "clean", "reason": "mine"},
        )
        self.assertEqual(answer.status_code, 403)
        self.assertEqual(client.get(f"{QUEUE}export.csv").status_code, 403)
        self.assertFalse(ReportedEmail.objects.exclude(override_verdict="").exists())

    def test_the_export_lists_each_message_once_with_its_copies(self) -> None:
        answer = self.client_for(self.security).get(f"{QUEUE}export.csv?sort=-copies")
        text = b"".join(answer.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
        rows = list(csv.reader(io.StringIO(text)))
        self.assertEqual(rows[0][:4], ["Subject", "From", "Reports", "Verdict"])
        self.assertEqual([r[2] for r in rows[1:]], ["2", "1"])
        self.assertEqual(rows[2][1], self.jane.sender)
