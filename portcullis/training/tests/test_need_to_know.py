"""Finding 2 of the security test, as the attack: an office manager looks for who fell for a
phishing test in their office's training records (pages, API, compliance figures, escalation
e-mails). A remedial assignment is between the person and the security team."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.test import override_settings
from django.utils import timezone

from portcullis.ledger.actors import WORKER
from portcullis.test import BaseTestCase
from portcullis.training import services
from portcullis.training.models import Assignment
from portcullis.training.reminders import send_reminders

from .builders import make_course

REASON = "Submitted details in phishing test 'Parcel redelivery'"


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
class RemedialReasonTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.course = make_course("account-security")
        cls.remedial = services.assign_remedial_training(
            person=cls.staffer.person, course=cls.course, reason=REASON, due_on=None, actor=WORKER
        )

    def test_an_office_manager_cannot_find_the_remedial_assignment_in_the_api(self) -> None:
        client = self.client_for(self.manager)
        listing = client.get("/api/v1/training/assignments/?limit=500")
        self.assertEqual(listing.status_code, 200)
        self.assertNotIn(str(self.remedial.public_id), listing.content.decode())
        self.assertNotIn("phishing test", listing.content.decode())
        detail = client.get(f"/api/v1/training/assignments/{self.remedial.public_id}/")
        self.assertEqual(detail.status_code, 404)

    def test_an_office_manager_cannot_read_it_on_the_persons_record_or_compliance_pages(
        self,
    ) -> None:
        client = self.client_for(self.manager)
        for url in (
            f"/training/people/{self.staffer.person.public_id}/",
            f"/training/compliance/offices/{self.office_a.public_id}/",
            "/training/compliance/",
        ):
            with self.subTest(url=url):
                page = client.get(url)
                self.assertEqual(page.status_code, 200)
                self.assertNotIn("phishing test", page.content.decode())
                self.assertNotIn("Account Security", page.content.decode())

    def test_compliance_figures_do_not_count_the_remedial_course(self) -> None:
        figures = (
            self.client_for(self.manager).get("/api/v1/training/compliance/").json()["results"]
        )
        office = next(f for f in figures if f["office"] == str(self.office_a.public_id))
        self.assertEqual(office["assigned"], 0)

    def test_the_person_and_the_security_team_still_read_the_reason(self) -> None:
        for user in (self.staffer, self.security):
            with self.subTest(user=user.email):
                data = (
                    self.client_for(user)
                    .get(f"/api/v1/training/assignments/{self.remedial.public_id}/")
                    .json()
                )
                self.assertEqual((data["source"], data["reason"]), ("remedial", REASON))
        page = self.client_for(self.security).get(
            f"/training/people/{self.staffer.person.public_id}/"
        )
        self.assertIn(REASON, page.content.decode().replace("&#x27;", "'"))

    def test_the_escalation_of_an_overdue_remedial_course_skips_the_office_manager(self) -> None:
        Assignment.objects.filter(pk=self.remedial.pk).update(
            due_on=timezone.localdate() - timedelta(days=20)
        )
        send_reminders(today=timezone.localdate())
        told = {address for m in mail.outbox for address in m.to}
        self.assertIn("security@test.example", told)
        self.assertNotIn("manager@test.example", told)
