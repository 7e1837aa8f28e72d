"""The party desk's steps and the register of interests' deadlines and reminders."""

from datetime import date
from decimal import Decimal
from unittest import mock

from django.core import mail
from django.utils import timezone

from portcullis.accounts.models import Role
from portcullis.donations.models import Donation, Interest, Referral
from portcullis.donations.services.interests import (
    InterestError,
    InterestInput,
    deadline,
    mark_registered,
    record_interest,
)
from portcullis.donations.services.referrals import (
    ReferralError,
    ReferralInput,
    brief_party,
    refer,
    screen_referral,
)
from portcullis.donations.services.reminders import send_reminders
from portcullis.ledger.models import LedgerEntry
from portcullis.screening.models import Screening
from portcullis.screening.tests.builders import person, watchlist
from portcullis.test import BaseTestCase, make_user

from .builders import give


class PartyDesk(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        watchlist("Persons of concern", person("Oleg Vantorin", dob="1975"))
        cls.other_officer = make_user(
            "b@test.example", Role.PARTY_COMPLIANCE_OFFICER, organisation=cls.party_b
        )

    def referral(self, officer=None, party=None):
        return refer(
            data=ReferralInput(
                party=party or self.party_a,
                subject=Referral.Subject.CANDIDATE,
                name="Oleg Vantorin",
                birth_date="1975",
            ),
            actor=officer or self.party_officer,
        )

    def test_every_step_is_in_the_ledger_and_the_screening_stays_with_the_security_team(self):
        with self.captureOnCommitCallbacks(execute=True):
            referral = self.referral()
        self.assertEqual([m.to for m in mail.outbox], [["security@test.example"]])
        screen_referral(referral=referral, actor=self.security)
        self.assertIsNone(referral.screening.party)
        self.assertEqual(referral.screening.hit_count, 1)
        self.assertFalse(
            Screening.objects.visible_to(self.party_officer)
            .filter(pk=referral.screening.pk)
            .exists()
        )
        with self.captureOnCommitCallbacks(execute=True):
            brief_party(
                referral=referral,
                actor=self.security,
                recommendation="do_not_proceed",
                briefing="Do not proceed.",
                basis="Watchlist entry",
            )
        self.assertIn(["party@test.example"], [m.to for m in mail.outbox])
        self.assertNotIn("Watchlist entry", " ".join(m.body for m in mail.outbox))
        actions = list(
            LedgerEntry.objects.about(referral).order_by("id").values_list("action", flat=True)
        )
        self.assertEqual(actions, ["referral.refer", "referral.screen", "referral.brief"])

    def test_only_the_security_team_screens_and_briefs_and_only_once(self):
        referral = self.referral()
        with self.assertRaisesRegex(ReferralError, "Only the security team"):
            brief_party(
                referral=referral,
                actor=self.party_officer,
                recommendation="no_concerns",
                briefing="x",
                basis="",
            )
        brief_party(
            referral=referral,
            actor=self.security,
            recommendation="no_concerns",
            briefing="Fine.",
            basis="",
        )
        with self.assertRaisesRegex(ReferralError, "already been answered"):
            brief_party(
                referral=referral,
                actor=self.security,
                recommendation="no_concerns",
                briefing="Fine.",
                basis="",
            )

    def test_a_party_cannot_refer_for_another_party(self):
        with self.assertRaisesRegex(ReferralError, "your own party"):
            self.referral(party=self.party_b)

    def test_two_parties_referring_the_same_person_see_only_their_own(self):
        mine, theirs = self.referral(), self.referral(self.other_officer, self.party_b)
        self.assertEqual(list(Referral.objects.visible_to(self.party_officer)), [mine])
        self.assertEqual(list(Referral.objects.visible_to(self.other_officer)), [theirs])
        self.assertEqual(Referral.objects.visible_to(self.security).count(), 2)
        self.assertEqual(Referral.objects.visible_to(self.admin).count(), 0)


TODAY = date(2026, 6, 1)


class Register(BaseTestCase):
    def setUp(self):
        patcher = mock.patch.object(timezone, "localdate", return_value=TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)

    def gift(self, value, **extra):
        data = {
            "category": Interest.Category.GIFT_UK,
            "donor_name": "Acme",
            "donor_status": "company",
            "description": "Tickets",
            "value": Decimal(value),
            "received_on": date(2026, 5, 1),
            "accepted_on": date(2026, 5, 1),
        } | extra
        return record_interest(
            member=self.member.person, data=InterestInput(**data), actor=self.member
        )

    def test_over_300_pounds_is_registrable_within_28_days(self):
        self.assertFalse(self.gift("300").registrable)
        gift = self.gift("300.01")
        self.assertEqual(gift.register_by, date(2026, 5, 29))

    def test_new_members_and_peers_have_one_month(self):
        self.assertEqual(self.gift("500", new_member=True).register_by, date(2026, 6, 1))
        self.assertEqual(
            deadline(accepted_on=date(2026, 1, 31), house=Interest.House.LORDS, new_member=False),
            date(2026, 2, 28),
        )

    def test_only_the_member_records_their_own_register(self):
        with self.assertRaisesRegex(InterestError, "your own register"):
            record_interest(
                member=self.member.person,
                data=InterestInput(
                    category="3",
                    donor_name="A",
                    donor_status="company",
                    description="x",
                    value=Decimal(1000),
                    received_on=date(2026, 5, 1),
                    accepted_on=date(2026, 5, 1),
                ),
                actor=self.staffer,
            )

    def test_reminders_go_once_per_stage_to_the_member_and_the_party(self):
        gift = self.gift("900", accepted_on=date(2026, 5, 10))  # due 7 June: 6 days left
        donation = give(self.party_a, self.party_officer, 5000, date(2026, 5, 20))  # due 19 June
        self.assertEqual(send_reminders(today=TODAY).sent, 1)
        self.assertEqual(mail.outbox[-1].to, ["member@test.example"])
        self.assertEqual(send_reminders(today=TODAY).sent, 0)  # the same stage is never sent twice
        sent = send_reminders(today=date(2026, 6, 10)).sent  # gift overdue; donation 9 days left
        self.assertEqual(sent, 2)
        self.assertIn(["party@test.example"], [m.to for m in mail.outbox])
        mark_registered(interest=gift, registered_on=TODAY, actor=self.member)
        donation.refresh_from_db()
        self.assertEqual(
            (donation.reminded_stage, Donation.objects.get().status), (1, Donation.Status.PENDING)
        )
        self.assertEqual(send_reminders(today=date(2026, 6, 25)).sent, 1)  # the 30 days have passed
        self.assertIn("counts as accepting it", mail.outbox[-1].subject)
