"""A lure's attachments: harmless documents only, checked by their content; sent with every copy
and with the test over a real SMTP server; listed on the preview; written by security only."""

from __future__ import annotations

import io
import zipfile
from datetime import date

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from portcullis.intel.tests.builders import media_in_tmp
from portcullis.ledger.models import LedgerEntry
from portcullis.lib.testing.smtp import smtp_server
from portcullis.phishing.models import EmailTemplate, LandingPage, LureAttachment
from portcullis.phishing.services import simulations
from portcullis.test import BaseTestCase

from .app_builders import MONDAY, at, draft_campaign, sending_profile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def office_file(main_part: str, *, macros: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        kind = "macroEnabled.main+xml" if macros else "main+xml"
        archive.writestr("[Content_Types].xml", f'<Types><Override ContentType="{kind}"/></Types>')
        archive.writestr(main_part, "<document/>")
        if macros:
            archive.writestr(main_part.split("/")[0] + "/vbaProject.bin", b"\xd0\xcf\x11\xe0")
    return buffer.getvalue()


DOCX = office_file("word/document.xml")
XLSX = office_file("xl/workbook.xml")
ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Briefing\r\nEND:VEVENT\r\n" + (
    b"END:VCALENDAR\r\n"
)


@media_in_tmp()
class LureAttachmentTests(BaseTestCase):
    def setUp(self) -> None:
        simulations.install_lure_library(actor=self.security)
        self.page = LandingPage.objects.first()

    def post_lure(self, *files: tuple[str, bytes], user=None, url="/phishing/lures/new/", **extra):
        data = {
            "name": "Committee clerk",
            "from_name": "Committee Office",
            "from_address": "clerk@committee-office.example",
            "subject": "Papers for {{ first_name }}",
            "text_body": "Hello {{ first_name }}, the papers: {{ link }}",
            "html_body": "",
            "landing_page": str(self.page.pk),
            "signs": "An outside address",
            "attachments": [SimpleUploadedFile(name, content) for name, content in files],
        } | extra
        return self.client_for(user or self.security).post(url, data)

    def test_documents_are_stored_listed_on_the_preview_and_named_in_the_ledger(self) -> None:
        answer = self.post_lure(("..\\..\\Agenda 12 March.pdf", PDF), ("Budget.xlsx", XLSX))
        lure = EmailTemplate.objects.get(name="Committee clerk")
        self.assertRedirects(
            answer, f"/phishing/lures/{lure.public_id}/", fetch_redirect_response=False
        )
        stored = list(lure.attachments.values_list("name", "content_type", "size"))
        self.assertEqual(
            stored,
            [
                ("Agenda 12 March.pdf", "application/pdf", len(PDF)),
                (
                    "Budget.xlsx",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    len(XLSX),
                ),
            ],
        )
        self.assertNotIn("Agenda", lure.attachments.first().file.name)  # a random stored name
        entry = LedgerEntry.objects.get(action="simulation_template.create")
        self.assertEqual(entry.data["attachments"], ["Agenda 12 March.pdf", "Budget.xlsx"])
        page = self.client_for(self.security).get(f"/phishing/lures/{lure.public_id}/")
        self.assertContains(page, f"Agenda 12 March.pdf ({len(PDF)}")
        self.assertContains(page, "Budget.xlsx")

    def test_attack_each_refused_kind_is_named_on_the_attachments_field(self) -> None:
        refused = (
            ("invoice.exe", b"MZ\x90\x00" + b"\x00" * 60, "programs, archives"),
            ("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 60, "not really a PDF"),
            ("minutes.docm", office_file("word/document.xml", macros=True), "programs, archives"),
            ("minutes.docx", office_file("word/document.xml", macros=True), "contains macros"),
            ("figures.xlsx", office_file("xl/workbook.xml", macros=True), "contains macros"),
            ("figures.xlsm", office_file("xl/workbook.xml", macros=True), "programs, archives"),
            ("papers.zip", DOCX, "programs, archives"),
            ("papers.docx", b"PK\x03\x04not a zip at all", "not really a Word or Excel"),
            ("sheet.docx", XLSX, "not really a DOCX"),
            ("login.html", b"<form action=https://evil.example>", "programs, archives"),
            ("notes.txt", b"MZ\x00\x00binary", "not a text file"),
            ("invite.ics", b"hello", "not really a calendar"),
            ("big.pdf", PDF + b"0" * (2 * 1024 * 1024), "larger than 2 MB"),
        )
        for name, content, words in refused:
            with self.subTest(name=name):
                answer = self.post_lure((name, content))
                self.assertEqual(answer.status_code, 200)
                self.assertIn(words, " ".join(answer.context["form"].errors["attachments"]))
        self.assertFalse(EmailTemplate.objects.filter(name="Committee clerk").exists())
        self.assertFalse(LureAttachment.objects.exists())

    def test_at_most_three_files_and_a_removed_one_stops_being_sent(self) -> None:
        files = [("a.pdf", PDF), ("b.png", PNG), ("c.ics", ICS), ("d.docx", DOCX)]
        answer = self.post_lure(*files)
        self.assertIn("at most 3", " ".join(answer.context["form"].errors["attachments"]))
        self.post_lure(*files[:3])
        lure = EmailTemplate.objects.get(name="Committee clerk")
        first = lure.attachments.get(name="a.pdf")
        url = f"/phishing/lures/{lure.public_id}/edit/"
        self.post_lure(("d.docx", DOCX), url=url, remove_attachments=[str(first.public_id)])
        self.assertEqual(
            sorted(lure.attachments.values_list("name", flat=True)), ["b.png", "c.ics", "d.docx"]
        )
        entry = LedgerEntry.objects.get(action="simulation_template.edit")
        self.assertEqual(entry.data["attachments_removed"], ["a.pdf"])

    def test_attack_other_roles_cannot_add_an_attachment(self) -> None:
        lure = EmailTemplate.objects.get(slug="it-password-expiry")
        for role in ("staffer", "manager", "admin"):
            for url in ("/phishing/lures/new/", f"/phishing/lures/{lure.public_id}/edit/"):
                with self.subTest(role=role, url=url):
                    answer = self.post_lure(("a.pdf", PDF), user=getattr(self, role), url=url)
                    self.assertEqual(answer.status_code, 403)
        self.assertFalse(LureAttachment.objects.exists())

    def test_the_test_send_and_every_simulation_email_carry_the_attachment(self) -> None:
        lure = EmailTemplate.objects.get(slug="it-password-expiry")
        url = f"/phishing/lures/{lure.public_id}/edit/"
        fields = {
            "name": lure.name,
            "from_name": lure.from_name,
            "from_address": lure.from_address,
            "subject": lure.subject,
            "text_body": lure.text_body,
            "html_body": lure.html_body,
            "landing_page": str(lure.landing_page_id),
            "signs": "\n".join(lure.tell_tale_signs),
        }
        self.post_lure(("Policy.pdf", PDF), url=url, **fields)
        self.assertEqual(lure.attachments.count(), 1)
        with smtp_server() as inbox:
            profile = sending_profile(port=settings.EMAIL_PORT)
            self.client_for(self.security).post(
                f"/phishing/lures/{lure.public_id}/test-send/", {"profile": str(profile.pk)}
            )
            campaign = draft_campaign(self.security, [self.office_a], profile=profile)
            simulations.schedule_campaign(campaign=campaign, actor=self.security, now=at(MONDAY, 8))
            run = simulations.send_due_emails(now=at(date(2025, 3, 7), 16, 45))
        self.assertGreaterEqual(run.sent, 1)
        self.assertEqual(len(inbox), 1 + run.sent)
        self.assertTrue(inbox[0]["Subject"].startswith("[Test] "))
        for received in inbox:
            parts = [(p.get_filename(), p.get_content()) for p in received.iter_attachments()]
            self.assertEqual(parts, [("Policy.pdf", PDF)])

    def test_a_lure_drafted_from_a_report_says_its_attachments_are_not_carried_over(self) -> None:
        page = self.client_for(self.security).get("/phishing/lures/new/")
        self.assertContains(page, "Its attachments are not carried over: they may be live malware")
        self.assertContains(page, "never carries that message&#x27;s attachments")
