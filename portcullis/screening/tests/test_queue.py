"""The screenings queue: search, outcome filter, sort and export, each within the reader's scope."""

import csv
import io

from portcullis.accounts.models import Role
from portcullis.screening.services import screen_subject
from portcullis.screening.tests.builders import person, query, watchlist
from portcullis.test import BaseTestCase, make_user

QUEUE = "/screening/screenings/"


def exported(answer):
    text = b"".join(answer.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


class ScreeningQueueTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party_b_officer = make_user(
            "party.b@test.example", Role.PARTY_COMPLIANCE_OFFICER, organisation=cls.party_b
        )
        watchlist("Local watchlist", person("Viktor Grebenshchikov"))
        cls.hit = screen_subject(
            subject=query("Viktor Grebenshchikov"),
            actor=cls.party_officer,
            purpose="donor check",
            party=cls.party_a,
        )
        cls.clear = screen_subject(
            subject=query("Harriet Oakenshaw"),
            actor=cls.party_officer,
            purpose="candidate vetting",
            party=cls.party_a,
        )
        cls.theirs = screen_subject(
            subject=query("Viktor Grebenshchikov"),
            actor=cls.party_b_officer,
            purpose="=cmd|' /C calc'!A0",
            party=cls.party_b,
        )

    def test_the_outcome_filter_and_the_search(self):
        client = self.client_for(self.security)
        review = client.get(f"{QUEUE}?outcome=review").content.decode()
        self.assertIn(str(self.hit.public_id), review)
        self.assertNotIn(str(self.clear.public_id), review)
        clear = client.get(f"{QUEUE}?outcome=clear").content.decode()
        self.assertIn(str(self.clear.public_id), clear)
        self.assertNotIn(str(self.hit.public_id), clear)
        found = client.get(f"{QUEUE}?q=vetting").content.decode()
        self.assertIn(str(self.clear.public_id), found)
        self.assertNotIn(str(self.hit.public_id), found)

    def test_sorting_by_subject(self):
        page = self.client_for(self.security).get(f"{QUEUE}?sort=subject").content.decode()
        self.assertLess(page.index("Harriet Oakenshaw"), page.index("Viktor Grebenshchikov"))

    def test_attack_a_party_exports_only_its_own_screenings(self):
        rows = exported(self.client_for(self.party_officer).get(f"{QUEUE}export.csv"))
        self.assertEqual(rows[0], ["Subject", "Outcome", "Purpose", "For", "When"])
        purposes = sorted(r[2] for r in rows[1:])
        self.assertEqual(purposes, ["candidate vetting", "donor check"])
        page = self.client_for(self.party_officer).get(f"{QUEUE}?q=calc").content.decode()
        self.assertNotIn(str(self.theirs.public_id), page)

    def test_the_export_is_safe_in_a_spreadsheet(self):
        rows = exported(self.client_for(self.party_b_officer).get(f"{QUEUE}export.csv"))
        self.assertEqual([r[2] for r in rows[1:]], ["'=cmd|' /C calc'!A0"])
        self.assertEqual(rows[1][1], "1 to review")
