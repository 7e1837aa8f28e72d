"""Lures written in the app: placeholders checked, a lure drafted from a reported e-mail with its
links on the tracking link and its addresses and remote images gone, a sealed preview."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from portcullis.ledger.models import LedgerEntry
from portcullis.phishing.authoring import placeholder_errors
from portcullis.phishing.models import EmailTemplate, LandingPage
from portcullis.phishing.services import reports, simulations
from portcullis.test import BaseTestCase

from .app_builders import message

LURE_EML = message(
    sender='"HR Recruitment" <careers@talent-parliament.example>',
    subject="Your {{ settings.SECRET_KEY }} interview, jane.doe@parliament.example",
    text="Dear Jane,\nBook here: https://evil.example/book?u=jane.doe@parliament.example\n"
    "Or write to recruiter@evil.example. {% debug %}\n",
    html='<p>Dear Jane,</p><p><a href="https://evil.example/book?u=1">Book your slot</a></p>'
    '<img src="https://tracker.evil.example/p.gif"><script>alert(1)</script>'
    '<p onclick="steal()">{{ request }} Contact recruiter@evil.example</p>',
)


class LureAuthoringTests(BaseTestCase):
    def setUp(self) -> None:
        simulations.install_lure_library(actor=self.security)
        self.page = LandingPage.objects.first()

    def post_lure(self, **fields: str):
        data = {
            "name": "Committee clerk",
            "from_name": "Committee Office",
            "from_address": "clerk@committee-office.example",
            "subject": "Papers for {{ first_name }}",
            "text_body": "Hello {{ first_name }}, the papers: {{ link }}",
            "html_body": "",
            "landing_page": str(self.page.pk),
            "signs": "An outside address\nUrgency",
        } | fields
        return self.client_for(self.security).post("/phishing/lures/new/", data)

    def test_a_lure_with_known_placeholders_is_saved_with_a_ledger_row(self) -> None:
        answer = self.post_lure()
        lure = EmailTemplate.objects.get(name="Committee clerk")
        self.assertRedirects(
            answer, f"/phishing/lures/{lure.public_id}/", fetch_redirect_response=False
        )
        self.assertEqual(lure.tell_tale_signs, ["An outside address", "Urgency"])
        self.assertTrue(LedgerEntry.objects.filter(action="simulation_template.create").exists())

    def test_attack_template_tags_and_unknown_variables_are_refused(self) -> None:
        for field, value in (
            ("text_body", '{% include "/etc/passwd" %} {{ link }}'),
            ("text_body", "{{ settings.SECRET_KEY }} {{ link }}"),
            ("subject", "{{ request.user.password }}"),
            ("html_body", "{% load static %}{{ link }}"),
        ):
            with self.subTest(field=field, value=value):
                answer = self.post_lure(**{field: value})
                self.assertEqual(answer.status_code, 200)
                self.assertFalse(EmailTemplate.objects.filter(name="Committee clerk").exists())

    def test_a_text_version_without_the_tracking_link_is_refused_in_words(self) -> None:
        answer = self.post_lure(text_body="No link here")
        self.assertContains(answer, "Put {{ link }} in the text version")

    def test_an_uploaded_eml_becomes_a_draft_with_links_tracked_and_addresses_gone(self) -> None:
        upload = SimpleUploadedFile("lure.eml", LURE_EML, content_type="message/rfc822")
        answer = self.client_for(self.security).post("/phishing/lures/new/", {"message": upload})
        form = answer.context["form"]
        text, html = form.initial["text_body"], form.initial["html_body"]
        self.assertIn("{{ link }}", text)
        self.assertNotIn("evil.example", text + html)
        self.assertNotIn("parliament.example", text + html + form.initial["subject"])
        self.assertIn('href="{{ link }}"', html)
        for gone in ("<script", "onclick", "tracker", "{% debug %}"):
            self.assertNotIn(gone, text + html)
        # Braces that came with the e-mail are not placeholders: the draft passes the check.
        for value in (form.initial["subject"], text, html):
            self.assertEqual(placeholder_errors(value), [])
        self.assertEqual(form.initial["from_name"], "HR Recruitment")

    def test_a_reported_email_in_the_queue_can_start_a_lure(self) -> None:
        report = reports.file_report(raw=LURE_EML, actor=self.staffer, source="upload")
        answer = self.client_for(self.security).get(
            f"/phishing/lures/new/?report={report.public_id}"
        )
        self.assertIn("{{ link }}", answer.context["form"].initial["text_body"])
        staffer = self.client_for(self.staffer)
        self.assertEqual(
            staffer.get(f"/phishing/lures/new/?report={report.public_id}").status_code, 403
        )

    def test_outlook_files_and_non_emails_are_refused_with_words(self) -> None:
        client = self.client_for(self.security)
        for name, data, words in (
            ("x.msg", bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 600, "save it as .eml"),
            ("x.eml", b"hello this is not an email", "does not look like an e-mail"),
        ):
            with self.subTest(name=name):
                answer = client.post(
                    "/phishing/lures/new/", {"message": SimpleUploadedFile(name, data)}
                )
                self.assertContains(answer, words)

    def test_the_preview_is_sealed_and_only_for_the_security_team(self) -> None:
        self.post_lure(
            html_body='<p>Hi {{ first_name }}</p><a href="{{ link }}">Papers</a>{{ pixel }}'
        )
        lure = EmailTemplate.objects.get(name="Committee clerk")
        answer = self.client_for(self.security).get(f"/phishing/lures/{lure.public_id}/preview/")
        self.assertContains(answer, "Hi Alex")
        policy = answer["Content-Security-Policy"]
        for part in (
            "default-src 'none'",
            "script-src 'none'",
            "sandbox",
            "frame-ancestors 'self'",
        ):
            self.assertIn(part, policy)
        self.assertEqual(answer["X-Frame-Options"], "SAMEORIGIN")
        detail = self.client_for(self.security).get(f"/phishing/lures/{lure.public_id}/")
        self.assertContains(detail, "<iframe")
        for role in ("staffer", "manager"):
            with self.subTest(role=role):
                client = self.client_for(getattr(self, role))
                self.assertEqual(
                    client.get(f"/phishing/lures/{lure.public_id}/preview/").status_code, 403
                )
                self.assertEqual(
                    client.get(f"/phishing/lures/{lure.public_id}/edit/").status_code, 403
                )


class LandingPageAuthoringTests(BaseTestCase):
    def data(self, **fields: str) -> dict[str, str]:
        return {
            "name": "Committee portal",
            "kind": "sign_in",
            "brand": "Committee Papers Portal",
            "heading": "Sign in to read the papers",
            "intro": "",
            "continue_label": "Continue to the papers",
            "submit_label": "Sign in",
            "field_labels": "E-mail address\nPassword",
        } | fields

    def test_a_landing_page_is_written_previewed_and_its_fields_have_no_name(self) -> None:
        client = self.client_for(self.security)
        client.post("/phishing/landing-pages/new/", self.data())
        page = LandingPage.objects.get(name="Committee portal")
        self.assertEqual(page.fields, ["E-mail address", "Password"])
        self.assertTrue(LedgerEntry.objects.filter(action="landing_page.create").exists())
        form = client.get(f"/phishing/landing-pages/{page.public_id}/preview/form/")
        self.assertContains(form, "Committee Papers Portal")
        self.assertContains(form, '<label for="f2">Password</label>', html=False)
        self.assertNotIn(' name="f', form.content.decode())  # inputs carry no name
        self.assertIn("sandbox", form["Content-Security-Policy"])
        for step in ("confirm", "learn"):
            with self.subTest(step=step):
                answer = client.get(f"/phishing/landing-pages/{page.public_id}/preview/{step}/")
                self.assertEqual(answer.status_code, 200)
        self.assertEqual(
            client.get(f"/phishing/landing-pages/{page.public_id}/preview/other/").status_code, 404
        )

    def test_a_page_without_fields_is_refused_naming_the_field(self) -> None:
        answer = self.client_for(self.security).post(
            "/phishing/landing-pages/new/", self.data(field_labels="  \n ")
        )
        self.assertContains(answer, "Enter at least one field label")
        self.assertFalse(LandingPage.objects.filter(name="Committee portal").exists())

    def test_attack_other_roles_cannot_write_or_preview_landing_pages(self) -> None:
        client = self.client_for(self.staffer)
        self.assertEqual(client.post("/phishing/landing-pages/new/", self.data()).status_code, 403)
        self.assertFalse(LandingPage.objects.filter(name="Committee portal").exists())

    def test_a_lure_is_sent_to_the_officer_over_a_chosen_profile_before_any_campaign(self) -> None:
        from django.conf import settings

        from portcullis.lib.testing.smtp import smtp_server

        from .app_builders import sending_profile

        simulations.install_lure_library(actor=self.security)
        lure = EmailTemplate.objects.get(slug="it-password-expiry")
        url = f"/phishing/lures/{lure.public_id}/test-send/"
        with smtp_server() as inbox:
            profile = sending_profile(port=settings.EMAIL_PORT)
            answer = self.client_for(self.security).post(
                url, {"profile": str(profile.pk)}, follow=True
            )
            self.assertContains(answer, "A test copy went to security@test.example")
            for role in ("staffer", "manager", "admin"):
                refused = self.client_for(getattr(self, role)).post(url, {"profile": profile.pk})
                self.assertEqual(refused.status_code, 403, role)
        self.assertEqual([m["To"] for m in inbox], ["security@test.example"])
        self.assertTrue(inbox[0]["Subject"].startswith("[Test] "))
        self.assertIn("/l/test-", inbox[0].get_body(("plain",)).get_content())
        entry = LedgerEntry.objects.get(action="simulation_template.test_send")
        self.assertEqual(entry.data["profile"], profile.name)

    def test_a_test_send_without_a_profile_says_what_to_choose(self) -> None:
        simulations.install_lure_library(actor=self.security)
        lure = EmailTemplate.objects.get(slug="it-password-expiry")
        answer = self.client_for(self.security).post(
            f"/phishing/lures/{lure.public_id}/test-send/", {}, follow=True
        )
        self.assertContains(answer, "Choose the sending profile to send the test over")
        self.assertFalse(
            LedgerEntry.objects.filter(action="simulation_template.test_send").exists()
        )
