"""Who reaches what: a party sees only its own donations, reports and referrals (another
party's is a 404, as if it did not exist); members only their own register; the basis of a
briefing stays with the security team."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from portcullis.accounts.models import Role
from portcullis.donations.models import Interest
from portcullis.donations.services.interests import InterestInput, record_interest
from portcullis.donations.services.referrals import ReferralInput, brief_party, refer
from portcullis.test import BaseTestCase, make_user

from .builders import give

PAGES = ["donations:list", "donations:record", "donations:reports", "donations:referrals"]


class Access(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other_officer = make_user(
            "other-party@test.example", Role.PARTY_COMPLIANCE_OFFICER, organisation=cls.party_b
        )
        cls.mine = give(cls.party_a, cls.party_officer, 5000, date(2026, 1, 5))
        cls.theirs = give(cls.party_b, cls.other_officer, 5000, date(2026, 1, 5))
        cls.referral = refer(
            data=ReferralInput(party=cls.party_a, subject="candidate", name="Oleg Vantorin"),
            actor=cls.party_officer,
        )
        brief_party(
            referral=cls.referral,
            actor=cls.security,
            recommendation="do_not_proceed",
            briefing="Do not select this candidate.",
            basis="SECRET-BASIS: watchlist entry 42",
        )
        cls.interest = record_interest(
            member=cls.member.person,
            data=InterestInput(
                category=Interest.Category.GIFT_UK,
                donor_name="Acme",
                donor_status="company",
                description="Dinner",
                value=Decimal(400),
                received_on=date(2026, 1, 2),
                accepted_on=date(2026, 1, 2),
            ),
            actor=cls.member,
        )

    def test_only_party_officers_and_the_security_team_open_the_donation_pages(self):
        for role in self.cast_roles:
            client = self.client_for(getattr(self, role))
            for name in PAGES:
                expected = 200 if role in ("party_officer", "security") else 403
                with self.subTest(role=role, page=name):
                    self.assertEqual(client.get(reverse(name)).status_code, expected)

    def test_another_partys_donation_is_a_404_in_pages_and_api(self):
        client = self.client_for(self.party_officer)
        self.assertEqual(client.get(self.mine.get_absolute_url()).status_code, 200)
        self.assertEqual(client.get(self.theirs.get_absolute_url()).status_code, 404)
        listed = client.get(reverse("donations:list")).content.decode()
        self.assertIn(self.mine.reference, listed)
        self.assertNotIn(self.theirs.reference, listed)
        self.assertEqual(client.get(f"/api/v1/donations/{self.theirs.public_id}/").status_code, 404)
        api = client.get("/api/v1/donations/").json()
        self.assertEqual([d["reference"] for d in api["results"]], [self.mine.reference])

    def test_another_party_never_learns_of_a_referral(self):
        other = self.client_for(self.other_officer)
        self.assertEqual(other.get(self.referral.get_absolute_url()).status_code, 404)
        self.assertNotIn("Vantorin", other.get(reverse("donations:referrals")).content.decode())
        self.assertEqual(
            other.get(f"/api/v1/referrals/{self.referral.public_id}/").status_code, 404
        )
        self.assertEqual(other.get("/api/v1/referrals/").json()["results"], [])

    def test_the_party_reads_the_briefing_but_not_its_basis(self):
        page = (
            self.client_for(self.party_officer)
            .get(self.referral.get_absolute_url())
            .content.decode()
        )
        self.assertIn("Do not select this candidate.", page)
        self.assertIn("TLP:AMBER+STRICT", page)
        self.assertNotIn("SECRET-BASIS", page)
        api = (
            self.client_for(self.party_officer)
            .get(f"/api/v1/referrals/{self.referral.public_id}/")
            .json()
        )
        self.assertEqual((api["briefing"], api["basis"]), ("Do not select this candidate.", None))
        security = (
            self.client_for(self.security).get(self.referral.get_absolute_url()).content.decode()
        )
        self.assertIn("SECRET-BASIS", security)

    def test_members_see_only_their_own_register(self):
        self.assertEqual(
            self.client_for(self.member).get(self.interest.get_absolute_url()).status_code, 200
        )
        other_member = make_user("m2@test.example", Role.MEMBER, office=self.office_b)
        for user in (other_member, self.staffer, self.party_officer):
            with self.subTest(user=user.email):
                response = self.client_for(user).get(self.interest.get_absolute_url())
                self.assertIn(response.status_code, (403, 404))
        self.assertEqual(
            self.client_for(other_member).get("/api/v1/interests/").json()["results"], []
        )

    def test_deciding_and_briefing_through_the_api_follow_the_same_rules(self):
        client = self.client_for(self.party_officer)
        body = {"decision": "accepted", "decided_on": "2026-01-06", "evidence": "Register checked"}
        theirs = client.post(
            f"/api/v1/donations/{self.theirs.public_id}/decide/",
            body,
            content_type="application/json",
        )
        self.assertEqual(theirs.status_code, 404)
        mine = client.post(
            f"/api/v1/donations/{self.mine.public_id}/decide/",
            body,
            content_type="application/json",
        )
        self.assertEqual((mine.status_code, mine.json()["status"]), (200, "accepted"))
        again = client.post(
            f"/api/v1/donations/{self.mine.public_id}/decide/",
            body,
            content_type="application/json",
        )
        self.assertEqual(again.json()["detail"], "This donation is already accepted.")
        fresh = refer(
            data=ReferralInput(party=self.party_a, subject="donor", name="A Donor"),
            actor=self.party_officer,
        )
        brief = {"recommendation": "no_concerns", "briefing": "None."}
        url = f"/api/v1/referrals/{fresh.public_id}/brief/"
        self.assertEqual(client.post(url, brief, content_type="application/json").status_code, 403)
        answered = self.client_for(self.security).post(url, brief, content_type="application/json")
        self.assertEqual(
            (answered.status_code, answered.json()["recommendation"]), (200, "no_concerns")
        )
