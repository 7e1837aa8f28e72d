"""Issue 10 finding 8, as the attack: NUL and control characters in a reported e-mail's headers
(upload page, API, mailbox) are removed where the message is parsed, never a 500 on PostgreSQL."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portcullis.phishing.models import ReportedEmail
from portcullis.test import BaseTestCase

POISONED = (
    b"From: Evil\x00 Corp <evil\x00@bad.example>\r\n"
    b"To: someone@parliament.example\r\n"
    b"Subject: Pay\x00 now\x07 =?utf-8?q?or_else=00?=\r\n"
    b"Message-ID: <poison\x00@bad.example>\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"\r\n"
    b"Hello\x00 there, pay at http://bad.example/pay\x00now\r\n"
)


class NulInReportedEmailTests(BaseTestCase):
    def assert_filed_clean(self) -> None:
        report = ReportedEmail.objects.get()
        self.assertEqual(report.subject, "Pay now or else")
        self.assertNotIn("\x00", report.sender)
        self.assertNotIn("\\u0000", str(report.analysis))

    def test_the_upload_page_files_it_without_the_nul_bytes(self) -> None:
        response = self.client_for(self.staffer).post(
            reverse("phishing:report-new"),
            {"message": SimpleUploadedFile("nul.eml", POISONED)},
        )
        self.assertEqual(response.status_code, 302)
        self.assert_filed_clean()
        page = self.client_for(self.staffer).get(response["Location"])
        self.assertContains(page, "Pay now or else")

    def test_the_api_files_it_without_the_nul_bytes(self) -> None:
        response = self.client_for(self.member).post(
            "/api/v1/phishing/reports/", {"file": SimpleUploadedFile("nul.eml", POISONED)}
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assert_filed_clean()
