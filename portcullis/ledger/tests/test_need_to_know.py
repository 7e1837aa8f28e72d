"""Attacks on the ledger's need-to-know: an administrator reads platform events, never the
intelligence the platform holds; the security team reads everything (issue 10, finding 3)."""

from __future__ import annotations

from django.test import Client

from portcullis import ledger
from portcullis.approaches.tests.builders import make_report
from portcullis.ledger.actors import WORKER
from portcullis.ledger.models import LedgerEntry
from portcullis.test import BaseTestCase
from portcullis.training.services import assign_remedial_training
from portcullis.training.tests.builders import make_course

CONTACT = "amanda.qiu@br-yr.example"


class LedgerNeedToKnowTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Two anonymous reports from one staffer sharing a contact: a campaign links them.
        for _ in range(2):
            make_report(cls.staffer, anonymous=True, approacher_contact=CONTACT)
        assign_remedial_training(
            person=cls.outsider.person,
            course=make_course("phishing-refresher"),
            reason="Submitted details in phishing test 'Parcel'",
            due_on=None,
            actor=cls.security,
        )
        ledger.record(actor=WORKER, action="directory.import", data={"file": "people.csv"})

    def ledger_page(self, client: Client) -> str:
        return client.get("/ledger/").content.decode()

    def ledger_api(self, client: Client) -> str:
        return client.get("/api/v1/ledger/?limit=500").content.decode()

    def test_the_entries_are_there_to_be_hidden(self) -> None:
        actions = set(LedgerEntry.objects.values_list("action", flat=True))
        self.assertLessEqual(
            {"approach_report.submit", "campaign.link", "assignment.assign_remedial"}, actions
        )

    def test_an_administrator_cannot_learn_who_filed_an_anonymous_report(self) -> None:
        admin = self.client_for(self.admin)
        for body in (self.ledger_page(admin), self.ledger_api(admin)):
            self.assertNotIn("staffer@test.example", body)
            self.assertNotIn("approach_report.submit", body)
            self.assertNotIn("campaign.link", body)
        self.assertIn("You see platform events", self.ledger_page(admin))

    def test_an_administrator_searching_the_ledger_for_the_reporter_finds_nothing(self) -> None:
        page = self.client_for(self.admin).get("/ledger/?actor=staffer@")
        self.assertContains(page, "No entries match")

    def test_an_administrator_does_not_see_who_was_given_remedial_training(self) -> None:
        admin = self.client_for(self.admin)
        for body in (self.ledger_page(admin), self.ledger_api(admin)):
            self.assertNotIn("assign_remedial", body)
            self.assertNotIn("Outsider", body)
            self.assertNotIn("Parcel", body)

    def test_an_administrator_cannot_open_an_intelligence_entry_by_its_id(self) -> None:
        entry = LedgerEntry.objects.filter(action="approach_report.submit").first()
        assert entry is not None
        missing = self.client_for(self.admin).get(
            "/api/v1/ledger/00000000-0000-4000-8000-000000000000/"
        )
        hidden = self.client_for(self.admin).get(f"/api/v1/ledger/{entry.public_id}/")
        self.assertEqual(hidden.status_code, 404)
        self.assertEqual(hidden.content, missing.content)

    def test_an_administrator_still_reads_platform_events(self) -> None:
        admin = self.client_for(self.admin)
        self.assertIn("directory.import", self.ledger_page(admin))
        self.assertIn("directory.import", self.ledger_api(admin))

    def test_the_security_team_still_sees_who_it_was(self) -> None:
        security = self.client_for(self.security)
        for body in (self.ledger_page(security), self.ledger_api(security)):
            self.assertIn("staffer@test.example", body)
            self.assertIn("campaign.link", body)
            self.assertIn("assign_remedial", body)
        self.assertNotIn("You see platform events", self.ledger_page(security))

    def test_django_admin_lists_only_what_the_administrator_may_read(self) -> None:
        self.admin.is_staff = self.admin.is_superuser = True
        self.admin.save(update_fields=["is_staff", "is_superuser"])
        page = self.client_for(self.admin).get("/admin/ledger/ledgerentry/?q=staffer")
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "staffer@test.example")
        self.assertNotContains(page, "approach_report")
