"""Hostile input: huge uploads and fields, invalid Unicode, markup and script in every field."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from portcullis.approaches.models import Evidence, Report
from portcullis.approaches.tests.builders import form_data, make_report
from portcullis.approaches.tests.test_access import api_client
from portcullis.intel.models import Campaign
from portcullis.intel.tests.builders import make_alert, media_in_tmp
from portcullis.test import BaseTestCase

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@media_in_tmp()
class HostileInputTests(BaseTestCase):
    def test_a_50_mb_upload_gets_a_clear_error_and_nothing_is_stored(self) -> None:
        big = b"\x89PNG\r\n\x1a\n" + b"\x00" * (50 * 1024 * 1024)
        upload = SimpleUploadedFile("huge.png", big, content_type="image/png")
        response = self.client_for(self.staffer).post(
            "/approaches/report/", form_data(evidence=upload)
        )
        self.assertContains(response, "huge.png is larger than 10 MB.")
        self.assertFalse(Report.objects.exists())
        self.assertFalse(Evidence.objects.exists())

    def test_a_file_of_the_wrong_type_or_pretending_is_refused(self) -> None:
        cases = [
            ("tool.exe", b"MZ\x90\x00", "can be attached"),
            ("photo.png", b"MZ\x90\x00not a png", "is not really a PNG file"),
            ("mail.eml", b"\x00\x01binary", "is not a text file"),
            ("page.html", b"<html><script>1</script>", "can be attached"),
        ]
        client = self.client_for(self.staffer)
        for name, content, message in cases:
            with self.subTest(name=name):
                upload = SimpleUploadedFile(name, content)
                response = client.post("/approaches/report/", form_data(evidence=upload))
                self.assertContains(response, message)
        self.assertFalse(Report.objects.exists())

    def test_a_1_mb_free_text_field_gets_a_clear_error(self) -> None:
        response = self.client_for(self.staffer).post(
            "/approaches/report/", form_data(account="A" * 1024 * 1024)
        )
        self.assertContains(
            response, "What happened must be 20000 characters or fewer (it has 1048576)"
        )
        self.assertFalse(Report.objects.exists())

    def test_what_happened_counts_characters_instead_of_cutting_pasted_text_off(self) -> None:
        page = self.client_for(self.staffer).get("/approaches/report/").content.decode()
        textarea = re.search(r'<textarea name="account"[^>]*>', page)
        assert textarea is not None
        self.assertNotIn("maxlength", textarea.group())
        self.assertIn('data-module="govuk-character-count" data-maxlength="20000"', page)

    def test_the_api_refuses_a_1_mb_field_and_lone_surrogates(self) -> None:
        client = api_client(self.staffer)
        response = client.post(
            "/api/v1/approaches/",
            {"channel": "email", "persona": "other", "account": "A" * 1024 * 1024},
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("account", response.json())
        raw = b'{"channel": "email", "persona": "other", "approacher_name": "\\ud800x"}'
        response = client.generic(
            "POST", "/api/v1/approaches/", raw, content_type="application/json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("not valid text", str(response.json()))
        self.assertFalse(Report.objects.exists())

    def test_invalid_utf8_bytes_in_a_form_are_stored_as_replacement_characters(self) -> None:
        boundary = "BoUnDaRy"
        fields = form_data()
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="account"\r\n\r\n'.encode()
            + b"bad \xff\xfe bytes and a \xed\xa0\x80 surrogate\r\n"
        )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        response = self.client_for(self.staffer).generic(
            "POST",
            "/approaches/report/",
            body,
            content_type=f"multipart/form-data; boundary={boundary}",
        )
        self.assertEqual(response.status_code, 302)
        report = Report.objects.get()
        self.assertIn("\ufffd", report.account)
        report.account.encode("utf-8")

    def test_a_nul_character_is_removed_at_the_edge(self) -> None:
        response = self.client_for(self.staffer).post(
            "/approaches/report/", form_data(approacher_name="Amanda\x00 Qiu")
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Report.objects.get().approacher_name, "Amanda Qiu")

    def test_markup_in_every_field_is_stored_and_rendered_harmlessly(self) -> None:
        make_alert(self.security)
        fields = {
            "approacher_name": SCRIPT + " QIU Amanda",
            "approacher_organisation": SCRIPT,
            "approacher_contact": SCRIPT + " https://x.example/<script>",
            "account": SCRIPT + "\nQIU Amanda wrote",
        }
        response = self.client_for(self.staffer).post(
            "/approaches/report/", form_data(**fields), follow=True
        )
        report = Report.objects.get()
        self.assertEqual(report.approacher_organisation, SCRIPT)
        second = make_report(self.outsider, approacher_name="QIU Amanda")
        second.refresh_from_db()
        campaign = Campaign.objects.get()
        Campaign.objects.filter(pk=campaign.pk).update(name=SCRIPT, summary=SCRIPT)
        security = self.client_for(self.security)
        pages = [
            response,
            security.get(report.get_absolute_url()),
            security.get("/approaches/triage/"),
            security.get(campaign.get_absolute_url()),
            security.get("/intel/campaigns/"),
            self.client_for(self.staffer).get("/approaches/"),
        ]
        for page in pages:
            html = page.content.decode()
            self.assertEqual(page.status_code, 200)
            self.assertNotIn("<script>alert", html)
            self.assertNotIn("<img src=x", html)
        self.assertIn(
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;", pages[1].content.decode()
        )

    def test_html_in_an_alert_is_rendered_harmlessly(self) -> None:
        alert = make_alert(self.security, title=SCRIPT)
        for user in (self.staffer, self.security):
            client = self.client_for(user)
            for url in (alert.get_absolute_url(), "/intel/alerts/", "/"):
                html = client.get(url).content.decode()
                self.assertNotIn("<script>alert", html, url)

    def test_the_report_page_refuses_anonymous_posts(self) -> None:
        response = Client().post("/approaches/report/", form_data())
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Report.objects.exists())


@media_in_tmp()
class CsrfTests(BaseTestCase):
    def test_the_report_form_still_checks_csrf_after_the_upload_guard(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.staffer, backend="django.contrib.auth.backends.ModelBackend")
        response = client.post("/approaches/report/", form_data())
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Report.objects.exists())
