"""Recording a donation: exempt or judged by the rules of its day, screened, held with reasons,
and decided within the 30-day clock."""

from datetime import date, timedelta
from unittest import mock

from django.utils import timezone

from portcullis.donations.models import Donation, DonorType, Method, PolicyRule, RuleKey
from portcullis.donations.services.donations import DonationError, decide_donation
from portcullis.donations.services.policy import PolicyError, switch_rule
from portcullis.ledger.models import LedgerEntry
from portcullis.screening.models import Decision
from portcullis.screening.services import record_decision
from portcullis.screening.tests.builders import person, watchlist
from portcullis.test import BaseTestCase

from .builders import accept, company, give, individual

TODAY = date(2026, 11, 20)


class Recording(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        watchlist("Sanctions (test)", person("Viktor Grebenshchikov", dob="1961-03-02"))

    def setUp(self):
        patcher = mock.patch.object(timezone, "localdate", return_value=TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_500_pounds_or_less_is_exempt_and_never_checked(self):
        d = give(self.party_a, self.party_officer, 500, date(2026, 5, 1))
        self.assertEqual(d.status, Donation.Status.EXEMPT)
        self.assertEqual((d.checks, d.decision_due_on), ([], None))
        self.assertFalse(d.screenings.exists())

    def test_a_permissible_individual_starts_a_30_day_clock(self):
        d = give(self.party_a, self.party_officer, 5000, date(2026, 11, 1))
        self.assertEqual(d.status, Donation.Status.PENDING)
        self.assertTrue(d.permissible)
        self.assertEqual(d.decision_due_on, date(2026, 12, 1))
        self.assertEqual(d.days_left(TODAY), 11)
        self.assertEqual(d.hold_reasons, [])
        self.assertTrue(LedgerEntry.objects.filter(action="donation.record").exists())

    def test_a_donor_not_on_the_register_is_impermissible_and_cannot_be_accepted(self):
        d = give(
            self.party_a, self.party_officer, 2000, date(2026, 11, 1), individual(on_register=False)
        )
        self.assertFalse(d.permissible)
        self.assertIn(
            "Not shown to be on a UK electoral register on 1 November 2026", d.hold_reasons[0]
        )
        with self.assertRaisesRegex(DonationError, "not permissible"):
            accept(d, self.party_officer)

    def test_an_overseas_company_is_impermissible(self):
        d = give(
            self.party_a,
            self.party_officer,
            20000,
            date(2026, 6, 1),
            company(incorporated_in_uk=False),
        )
        self.assertFalse(d.permissible)
        self.assertIn("it must be incorporated in the UK", " ".join(d.hold_reasons))

    def test_a_company_whose_director_matches_a_list_entry_is_held_until_the_match_is_decided(self):
        d = give(
            self.party_a,
            self.party_officer,
            25000,
            date(2026, 11, 2),
            company(),
            officers=["Viktor Grebenshchikov", "Jane Smith"],
        )
        self.assertTrue(d.permissible)  # the company itself passes the law's tests ...
        held = " ".join(d.hold_reasons)
        self.assertIn("Officer Viktor Grebenshchikov matches Viktor Grebenshchikov", held)
        self.assertEqual(d.screenings.count(), 3)  # the company and both officers
        with self.assertRaisesRegex(DonationError, "Decide the screening match"):
            accept(d, self.party_officer)  # ... but it is held
        hit = d.screenings.get(subject__name="Viktor Grebenshchikov").open_hits().get()
        record_decision(
            result=hit,
            verdict=Decision.Verdict.TRUE_MATCH,
            reason="Same DOB",
            actor=self.party_officer,
        )
        with self.assertRaisesRegex(DonationError, "true match: return it"):
            accept(d, self.party_officer)
        returned = decide_donation(
            donation=d,
            actor=self.party_officer,
            decision=Donation.Status.RETURNED,
            decided_on=date(2026, 11, 10),
            evidence="Director is a designated person",
            return_method="Bank transfer to the paying account",
        )
        self.assertEqual(returned.status, Donation.Status.RETURNED)
        self.assertFalse(returned.permissible)  # reported on its own as impermissible
        self.assertIn("is decided as a true match", returned.checks[-1]["reason"])

    def test_the_screenings_belong_to_the_party_and_no_other(self):
        d = give(self.party_a, self.party_officer, 5000, date(2026, 11, 1))
        self.assertEqual({s.party_id for s in d.screenings.all()}, {self.party_a.pk})

    def test_a_party_officer_cannot_record_for_another_party(self):
        with self.assertRaisesRegex(DonationError, "your own party"):
            give(self.party_b, self.party_officer, 5000, date(2026, 11, 1))

    def test_a_decision_needs_evidence_and_a_date_in_the_window_of_reality(self):
        d = give(self.party_a, self.party_officer, 5000, date(2026, 11, 1))
        for kwargs, message in (
            ({"evidence": " "}, "evidence"),
            ({"decided_on": date(2026, 10, 1)}, "between the day received and today"),
            ({"decision": Donation.Status.RETURNED}, "how it was returned"),
        ):
            args = {
                "decision": Donation.Status.ACCEPTED,
                "decided_on": date(2026, 11, 2),
                "evidence": "ok",
            } | kwargs
            with self.assertRaisesRegex(DonationError, message):
                decide_donation(donation=d, actor=self.party_officer, **args)
        accept(d, self.party_officer, date(2026, 11, 3))
        with self.assertRaisesRegex(DonationError, "already accepted"):
            accept(d, self.party_officer)

    def test_returning_an_impermissible_donation_after_30_days_is_recorded_as_late(self):
        d = give(
            self.party_a, self.party_officer, 3000, date(2026, 9, 1), individual(on_register=False)
        )
        decide_donation(
            donation=d,
            actor=self.party_officer,
            decision=Donation.Status.RETURNED,
            decided_on=date(2026, 10, 5),
            evidence="Not on any register",
            return_method="Cheque",
        )
        entry = LedgerEntry.objects.filter(action="donation.decide").latest("id")
        self.assertTrue(entry.data["late"])

    def test_an_unidentifiable_donor_is_impermissible(self):
        d = give(
            self.party_a,
            self.party_officer,
            900,
            date(2026, 11, 1),
            {"donor_type": DonorType.UNIDENTIFIABLE},
        )
        self.assertFalse(d.permissible)
        self.assertIn("cannot be identified", d.hold_reasons[0])


class RulesOfTheDay(BaseTestCase):
    def setUp(self):
        patcher = mock.patch.object(timezone, "localdate", return_value=TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)

    def crypto(self, day):
        return give(self.party_a, self.party_officer, 5000, day, method=Method.CRYPTOASSET)

    def moratorium(self):
        return PolicyRule.objects.get(key=RuleKey.CRYPTO_MORATORIUM)

    def test_a_bill_rule_is_off_until_an_administrator_switches_it_on(self):
        self.assertTrue(self.crypto(date(2026, 4, 1)).permissible)
        switch_rule(
            rule=self.moratorium(), on=True, reason="Government announcement", actor=self.admin
        )
        entry = LedgerEntry.objects.get(action="donation_rule.switch")
        self.assertEqual(entry.data["on"], True)
        refused = self.crypto(date(2026, 4, 1))
        self.assertFalse(refused.permissible)
        self.assertIn(
            "Cryptoasset donations are refused from 25 March 2026", refused.hold_reasons[0]
        )

    def test_a_donation_is_judged_by_the_rules_of_the_day_it_arrived(self):
        switch_rule(
            rule=self.moratorium(), on=True, reason="Government announcement", actor=self.admin
        )
        self.assertTrue(self.crypto(date(2026, 3, 24)).permissible)
        self.assertFalse(self.crypto(date(2026, 3, 25)).permissible)

    def test_a_rule_in_law_cannot_be_switched_off(self):
        floor = PolicyRule.objects.get(key=RuleKey.EXEMPT_FLOOR)
        with self.assertRaisesRegex(PolicyError, "always applies"):
            switch_rule(rule=floor, on=False, reason="no", actor=self.admin)

    def test_know_your_donor_applies_over_11180_once_switched_on(self):
        kyd = PolicyRule.objects.get(key=RuleKey.KNOW_YOUR_DONOR)
        switch_rule(rule=kyd, on=True, reason="Testing the bill", actor=self.admin)
        small = give(self.party_a, self.party_officer, 11180, date(2026, 5, 1))
        large = give(self.party_a, self.party_officer, 11181, date(2026, 5, 1))
        self.assertEqual(small.hold_reasons, [])
        self.assertIn("Know your donor", large.hold_reasons[0])

    def test_the_clock_is_30_days_from_receipt(self):
        d = give(self.party_a, self.party_officer, 5000, date(2026, 1, 31))
        self.assertEqual(d.decision_due_on, date(2026, 1, 31) + timedelta(days=30))
