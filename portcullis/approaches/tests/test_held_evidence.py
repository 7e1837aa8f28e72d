"""A rejected evidence file no longer clears the good one beside it: files that passed are held
for their owner between tries of the report form, listed on it, removable, expiring, and never
anyone else's."""

from __future__ import annotations

import re
from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portcullis.approaches import services
from portcullis.approaches.models import Evidence, HeldEvidence, Report
from portcullis.approaches.tasks import purge_held_evidence
from portcullis.approaches.tests.builders import form_data
from portcullis.intel.tests.builders import media_in_tmp
from portcullis.test import BaseTestCase

PNG = b"\x89PNG\r\n\x1a\n" + b"screenshot of the message" * 40


def good() -> SimpleUploadedFile:
    return SimpleUploadedFile("message.png", PNG, content_type="image/png")


def bad() -> SimpleUploadedFile:
    return SimpleUploadedFile("tool.exe", b"MZ\x90\x00", content_type="application/octet-stream")


def held_boxes(html: str) -> list[str]:
    """The values of the ticked "already attached" checkboxes, as a browser would send them."""
    boxes = re.findall(r"<input[^>]*name=\"keep_held\"[^>]*>", html)
    return [re.search(r'value="([^"]+)"', b).group(1) for b in boxes if "checked" in b]  # type: ignore[union-attr]


@media_in_tmp()
class HeldEvidenceTests(BaseTestCase):
    def test_a_good_file_beside_a_rejected_one_arrives_once_the_error_is_fixed(self) -> None:
        client = self.client_for(self.staffer)
        first = client.post("/approaches/report/", form_data(evidence=[good(), bad()]))
        self.assertContains(first, "tool.exe: only screenshots")
        self.assertContains(first, "Files you have already attached")
        self.assertContains(first, "message.png (1 KB)")
        self.assertFalse(Report.objects.exists())
        kept = held_boxes(first.content.decode())
        self.assertEqual(len(kept), 1)

        # The person fixes the error by not attaching the bad file again; the page's ticks go back.
        second = client.post("/approaches/report/", form_data(keep_held=kept), follow=True)
        self.assertContains(second, "Report sent")
        report = Report.objects.get()
        stored = report.evidence.get()
        self.assertEqual(stored.original_name, "message.png")
        with stored.file.open("rb") as content:
            self.assertEqual(content.read(), PNG)
        self.assertFalse(HeldEvidence.objects.exists())

    def test_an_error_in_another_field_keeps_the_file_too(self) -> None:
        client = self.client_for(self.staffer)
        response = client.post("/approaches/report/", form_data(channel="", evidence=good()))
        self.assertContains(response, "Select how did they contact you")
        self.assertEqual(len(held_boxes(response.content.decode())), 1)
        # Coming back to the page later still lists it.
        self.assertContains(client.get("/approaches/report/"), "message.png (1 KB)")

    def test_unticking_a_held_file_removes_it_and_its_stored_bytes(self) -> None:
        client = self.client_for(self.staffer)
        client.post("/approaches/report/", form_data(channel="", evidence=good()))
        name = HeldEvidence.objects.get().file.name
        self.assertTrue(default_storage.exists(name))
        with self.captureOnCommitCallbacks(execute=True):
            response = client.post("/approaches/report/", form_data(channel=""))
        self.assertNotContains(response, "message.png")
        self.assertFalse(HeldEvidence.objects.exists())
        self.assertFalse(default_storage.exists(name))

    def test_another_person_cannot_claim_a_held_file(self) -> None:
        self.client_for(self.staffer).post(
            "/approaches/report/", form_data(channel="", evidence=good())
        )
        held = HeldEvidence.objects.get()
        attacker = self.client_for(self.outsider)
        self.assertNotContains(attacker.get("/approaches/report/"), "message.png")
        # Sending the victim's file id with an otherwise good report attaches nothing ...
        attacker.post(
            "/approaches/report/", form_data(keep_held=[str(held.public_id)]), follow=True
        )
        report = Report.objects.get(reporter=self.outsider)
        self.assertFalse(report.evidence.exists())
        # ... the victim still holds it, and the service itself refuses the claim.
        self.assertTrue(HeldEvidence.objects.filter(pk=held.pk, owner=self.staffer).exists())
        with self.assertRaises(services.ReportError):
            services.submit_report(data=form_data_input(), actor=self.outsider, held=[held])
        self.assertEqual(Evidence.objects.count(), 0)

    def test_held_files_expire_and_the_scheduler_removes_them(self) -> None:
        client = self.client_for(self.staffer)
        client.post("/approaches/report/", form_data(channel="", evidence=good()))
        held = HeldEvidence.objects.get()
        HeldEvidence.objects.filter(pk=held.pk).update(
            held_at=timezone.now() - HeldEvidence.HOLD_FOR - timedelta(minutes=1)
        )
        self.assertNotContains(client.get("/approaches/report/"), "message.png")
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(purge_held_evidence.call(), 1)
        self.assertFalse(default_storage.exists(held.file.name))

    def test_held_and_new_files_together_are_bounded(self) -> None:
        client = self.client_for(self.staffer)
        files = [SimpleUploadedFile(f"shot{i}.png", PNG) for i in range(5)]
        response = client.post("/approaches/report/", form_data(channel="", evidence=files))
        kept = held_boxes(response.content.decode())
        self.assertEqual(len(kept), 5)
        response = client.post("/approaches/report/", form_data(keep_held=kept, evidence=good()))
        self.assertContains(response, "Attach at most 5 files (you have already attached 5).")
        self.assertEqual(HeldEvidence.objects.count(), 5)
        self.assertFalse(Report.objects.exists())


def form_data_input() -> services.ReportInput:
    return services.ReportInput(
        channel="network", persona="recruiter", occurred_on=timezone.localdate()
    )
