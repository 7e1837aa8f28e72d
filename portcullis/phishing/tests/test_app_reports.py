"""Reporting a suspect e-mail (page, API, command) and the security team's triage."""

from __future__ import annotations

import json
import random
from io import StringIO
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from portcullis.ledger.models import LedgerEntry
from portcullis.phishing.analysis import analyse
from portcullis.phishing.context import analysis_context
from portcullis.phishing.models import ReportedEmail
from portcullis.phishing.models.reports import MAX_RAW_BYTES, NOT_AN_EMAIL
from portcullis.phishing.services import reports
from portcullis.test import BaseTestCase

from .app_builders import credential_lure, impersonation, jane_in_directory

PROTECTED = ["parliament.example"]


@override_settings(PROTECTED_DOMAINS=PROTECTED)
class ReportUploadTests(BaseTestCase):
    def setUp(self) -> None:
        jane_in_directory()

    def upload(self, user, raw: bytes, name: str = "suspect.eml"):  # type: ignore[no-untyped-def]
        return self.client_for(user).post(
            reverse("phishing:report-new"), {"message": SimpleUploadedFile(name, raw)}
        )

    def test_an_uploaded_message_is_filed_with_the_analysers_verdict_and_reasons(self) -> None:
        raw = impersonation()
        response = self.upload(self.staffer, raw)
        report = ReportedEmail.objects.get()
        self.assertRedirects(response, reverse("phishing:report-detail", args=[report.public_id]))
        expected = analyse(raw, analysis_context())
        self.assertEqual(report.verdict, expected.verdict.value)
        self.assertIn("sender.impersonates_person", {i["code"] for i in report.indicators})
        self.assertEqual(bytes(report.raw), raw)
        self.assertEqual(report.reporter, self.staffer.person)
        self.assertEqual(report.office, self.office_a)
        page = self.client_for(self.staffer).get(response["Location"])
        self.assertContains(page, "Display name of a directory person")
        self.assertTrue(LedgerEntry.objects.filter(action="phishing_report.file").exists())

    def test_a_message_over_the_size_bound_is_refused_and_nothing_is_stored(self) -> None:
        response = self.upload(self.staffer, b"x" * (MAX_RAW_BYTES + 1))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "larger than 10 MB")
        self.assertFalse(ReportedEmail.objects.exists())

    def test_files_that_are_not_e_mails_are_refused_on_the_page_and_in_the_api(self) -> None:
        noise = bytes(random.Random(14).getrandbits(8) for _ in range(200))
        files = {
            "note.txt": b"hello this is not an email",
            "noise.eml": noise,
            "empty.eml": b"",
            "blank.eml": b"   ",
            "letter.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),  # OLE, not Outlook
        }
        for name, raw in files.items():
            with self.subTest(name):
                page = self.upload(self.staffer, raw, name)
                self.assertEqual(page.status_code, 200)
                self.assertContains(page, NOT_AN_EMAIL)
                self.assertContains(page, "govuk-error-summary")
                api = self.client_for(self.member).post(
                    "/api/v1/phishing/reports/",
                    {"file": SimpleUploadedFile(name, raw)},
                    format="multipart",
                )
                self.assertEqual(api.status_code, 400)
                self.assertEqual(api.json()["file"], [NOT_AN_EMAIL])
        with self.assertRaisesMessage(reports.ReportError, NOT_AN_EMAIL):
            reports.file_report(raw=files["note.txt"], actor=self.staffer, source="upload")
        self.assertFalse(ReportedEmail.objects.exists())

    def test_a_reporter_is_never_told_clean_and_sees_the_score_on_its_scale(self) -> None:
        raw = (
            b"From: Tom Brown <tom.brown@parliament.example>\r\nTo: staffer@test.example\r\n"
            b"Subject: Committee papers\r\n\r\nThe papers for Thursday are in the usual place.\r\n"
        )
        response = self.upload(self.staffer, raw)
        report = ReportedEmail.objects.get()
        self.assertEqual(report.verdict, "clean")
        page = self.client_for(self.staffer).get(response["Location"]).content.decode()
        self.assertIn("No known warning signs; the security team will still look", page)
        self.assertIn("on a scale where 4 or more is suspicious and 6 or more is malicious", page)
        self.assertNotIn("Clean", page)
        listing = self.client_for(self.staffer).get(reverse("phishing:report-new"))
        self.assertContains(listing, "No known warning signs")
        self.assertNotContains(listing, "Clean")

    def test_an_outlook_meeting_request_is_accepted_and_keeps_its_links(self) -> None:
        from portcullis.phishing.analysis import msg as m

        from .msgfile import write_msg

        raw = write_msg(
            {
                m.MESSAGE_CLASS: "IPM.Schedule.Meeting.Request",
                m.SUBJECT: "Briefing",
                m.SENDER_SMTP: "events@parliament-uk.org",
                m.BODY: "Join: https://parliament-uk.org/join",
            }
        )
        self.upload(self.staffer, raw, "briefing.msg")
        report = ReportedEmail.objects.get()
        self.assertEqual(report.subject, "Briefing")
        self.assertIn("https://parliament-uk.org/join", report.analysis["observables"]["urls"])

    def test_warning_signs_are_named_in_words_with_their_weight(self) -> None:
        response = self.upload(self.staffer, impersonation())
        page = self.client_for(self.staffer).get(response["Location"]).content.decode()
        table = page.split('id="indicators"')[1].split("</table>")[0]
        self.assertIn("using a colleague&#x27;s name from an address that is not theirs", table)
        self.assertNotIn("sender.impersonates_person", page)
        self.assertRegex(table, r"High \(\+6\)")

    def test_the_upload_page_offers_drag_and_drop_without_inline_script(self) -> None:
        page = self.client_for(self.staffer).get(reverse("phishing:report-new"))
        self.assertContains(page, "data-dropzone")
        self.assertContains(page, "phishing-upload.js")
        self.assertNotContains(page, "<script>")

    def test_the_api_takes_a_multipart_upload_and_answers_with_the_verdict(self) -> None:
        client = self.client_for(self.member)
        response = client.post(
            "/api/v1/phishing/reports/",
            {"file": SimpleUploadedFile("x.eml", impersonation())},
            format="multipart",
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertIn(body["verdict"], {"malicious", "suspicious", "clean"})
        self.assertIn("sender.impersonates_person", {i["code"] for i in body["indicators"]})
        report = ReportedEmail.objects.get(public_id=body["id"])
        self.assertEqual(report.source, ReportedEmail.Source.API)

    def test_the_api_refuses_a_missing_file(self) -> None:
        response = self.client_for(self.member).post("/api/v1/phishing/reports/", {})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(ReportedEmail.objects.exists())


@override_settings(PROTECTED_DOMAINS=PROTECTED)
class TriageTests(BaseTestCase):
    def setUp(self) -> None:
        self.first = reports.file_report(
            raw=credential_lure("staffer@test.example", "a81f3c9e2b7d4f60a1"),
            actor=self.staffer,
            source=ReportedEmail.Source.UPLOAD,
        )
        self.second = reports.file_report(
            raw=credential_lure("member@test.example", "ffe0c2d19a8b7c6d5e"),
            actor=self.member,
            source=ReportedEmail.Source.UPLOAD,
        )

    def test_identical_lures_to_different_people_are_grouped(self) -> None:
        self.assertEqual(self.first.fingerprint, self.second.fingerprint)
        other = reports.file_report(raw=impersonation(), actor=self.staffer, source="upload")
        self.assertNotEqual(other.fingerprint, self.first.fingerprint)
        page = self.client_for(self.security).get(reverse("phishing:queue"))
        self.assertEqual(len(page.context["rows"]), 2)
        counts = sorted(row["copies"] for row in page.context["rows"])
        self.assertEqual(counts, [1, 2])

    def test_an_override_applies_to_every_copy_and_to_later_copies(self) -> None:
        response = self.client_for(self.security).post(
            reverse("phishing:report-override", args=[self.first.public_id]),
            {"verdict": "malicious", "reason": "Credential phish seen across the estate"},
        )
        self.assertEqual(response.status_code, 302)
        self.second.refresh_from_db()
        self.assertEqual(self.second.effective_verdict, "malicious")
        self.assertEqual(self.second.triaged_by, self.security)
        entry = LedgerEntry.objects.get(action="phishing_report.override")
        self.assertEqual(entry.data["copies"], 2)
        later = reports.file_report(
            raw=credential_lure("manager@test.example", "0c0ffee0c0ffee0c0f"),
            actor=self.manager,
            source="upload",
        )
        self.assertEqual(later.effective_verdict, "malicious")
        queue = self.client_for(self.security).get(reverse("phishing:queue"))
        self.assertNotIn(
            self.first.fingerprint, [row["fingerprint"] for row in queue.context["rows"]]
        )

    def test_raising_an_alert_makes_a_draft_with_the_emails_identifiers(self) -> None:
        client = self.client_for(self.security)
        response = client.post(
            reverse("phishing:report-alert", args=[self.first.public_id]),
            {"note": "Block parliarnent.example"},
            follow=True,
        )
        self.first.refresh_from_db()
        alert = self.first.alert
        assert alert is not None
        self.assertContains(response, f"Draft alert {alert.reference} created")
        self.assertEqual(alert.status, "draft")
        values = {
            (i.kind, i.observable.value) for i in alert.indicators.select_related("observable")
        }
        self.assertIn(("email", "servicedesk@parliarnent.example"), values)
        self.assertIn(("domain", "parliarnent.example"), values)
        self.assertIn(("url", "http://login.parliarnent.example/verify/a81f3c9e2b7d4f60a1"), values)
        entry = LedgerEntry.objects.get(action="phishing_report.alert_request")
        self.assertEqual(entry.data["alert"], alert.reference)
        self.assertIsNotNone(self.first.alert_requested_at)
        page = client.get(reverse("phishing:report-detail", args=[self.first.public_id]))
        self.assertContains(page, "Raise an alert")
        self.assertNotContains(page, "not installed")

    def test_the_raw_message_is_a_download_for_the_security_team_only(self) -> None:
        url = reverse("phishing:report-raw", args=[self.first.public_id])
        response = self.client_for(self.security).get(url)
        self.assertEqual(response["Content-Type"], "application/octet-stream")
        self.assertIn("attachment;", response["Content-Disposition"])
        self.assertEqual(response.content, bytes(self.first.raw))
        self.assertEqual(self.client_for(self.staffer).get(url).status_code, 403)


@override_settings(PROTECTED_DOMAINS=PROTECTED)
class AnalyseEmailCommandTests(BaseTestCase):
    def test_it_prints_the_verdict_score_and_indicators(self, *_: object) -> None:
        jane_in_directory()
        path = self.write(impersonation())
        out = StringIO()
        call_command("analyse_email", str(path), stdout=out)
        text = out.getvalue()
        self.assertRegex(text, r"verdict: (malicious|suspicious|clean)")
        self.assertIn("score: ", text)
        self.assertIn("sender.impersonates_person", text)

    def test_json_output_is_the_full_analysis(self) -> None:
        path = self.write(impersonation())
        out = StringIO()
        call_command("analyse_email", str(path), "--json", stdout=out)
        data = json.loads(out.getvalue())
        self.assertEqual(set(data), {"verdict", "score", "truncated", "indicators", "observables"})

    def write(self, raw: bytes):  # type: ignore[no-untyped-def]
        import tempfile
        from pathlib import Path

        handle = tempfile.NamedTemporaryFile(suffix=".eml", delete=False)  # noqa: SIM115
        handle.write(raw)
        handle.close()
        self.addCleanup(Path(handle.name).unlink)
        return Path(handle.name)


def test_the_command_on_a_database_not_set_up_says_what_to_run(tmp_path: Path) -> None:
    """A new user who runs the README's `analyse_email` before `make setup` gets one line that
    says what to run, not a traceback (a real, empty SQLite file: no tables at all)."""
    import os
    import subprocess
    import sys

    message = tmp_path / "suspect.eml"
    message.write_bytes(impersonation())
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(  # noqa: S603 - this interpreter, our own manage.py
        [sys.executable, str(root / "manage.py"), "analyse_email", str(message)],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "run `make setup` first" in done.stderr
    assert "Traceback" not in done.stderr
