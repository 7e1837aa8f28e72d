"""The pages as a compliance officer, the security team and an administrator use them."""

import csv
import io
from datetime import date

from django.urls import reverse
from django.utils import timezone

from portcullis.donations.models import Donation, PolicyRule, Referral, RuleKey
from portcullis.ledger.models import LedgerEntry
from portcullis.test import BaseTestCase

from .builders import accept, company, give

FORM = {
    "party": "",
    "kind": "donation",
    "recipient": "central",
    "method": "bank_transfer",
    "value": "12500",
    "received_on": "",
    "donor_type": "company",
    "donor_name": "Northbridge Logistics Ltd",
    "company_number": "01234567",
    "incorporated_in_uk": "on",
    "trading_in_uk": "on",
    "company_evidence": "Companies House: active",
    "officers": "Jane Smith\nAlan Price",
}


class Pages(BaseTestCase):
    def test_recording_a_donation_on_the_page_shows_the_clock_and_checks(self):
        client = self.client_for(self.party_officer)
        today = timezone.localdate()
        form = FORM | {"party": self.party_a.pk, "received_on": today.strftime("%d %m %Y")}
        response = client.post(reverse("donations:record"), form, follow=True)
        self.assertContains(response, "30 days left")
        self.assertContains(
            response, "Company 01234567 is incorporated and carries on business in the UK"
        )
        donation = Donation.objects.get()
        self.assertEqual(donation.officers, ["Jane Smith", "Alan Price"])

    def test_a_form_sent_wrong_names_its_fields(self):
        client = self.client_for(self.party_officer)
        form = FORM | {
            "party": self.party_a.pk,
            "value": "-5",
            "received_on": "31 2 2026",
            "recipient": "unit",
            "accounting_unit": "",
        }
        response = client.post(reverse("donations:record"), form)
        self.assertContains(response, "Value must be 0.01 or more")
        self.assertContains(response, "Enter the date received as a date")
        self.assertContains(response, "Enter the accounting unit that received it")
        self.assertFalse(Donation.objects.exists())

    def test_another_partys_id_in_the_form_is_refused(self):
        client = self.client_for(self.party_officer)
        form = FORM | {"party": self.party_b.pk, "received_on": "1 1 2026"}
        self.assertContains(
            client.post(reverse("donations:record"), form), "Select one of the options for party"
        )

    def test_deciding_on_the_page(self):
        donation = give(self.party_a, self.party_officer, 5000, date(2026, 1, 5))
        client = self.client_for(self.party_officer)
        url = reverse("donations:decide", args=[donation.public_id])
        response = client.post(
            url,
            {"decision": "accepted", "decided_on": "6 1 2026", "evidence": "Register checked"},
            follow=True,
        )
        self.assertContains(response, "Decision recorded.")
        donation.refresh_from_db()
        self.assertEqual(donation.status, Donation.Status.ACCEPTED)

    def test_the_quarterly_export_downloads_in_the_commissions_layout(self):
        accept(
            give(self.party_a, self.party_officer, 12000, date(2026, 2, 1), company()),
            self.party_officer,
        )
        client = self.client_for(self.party_officer)
        url = reverse("donations:report", args=[self.party_a.public_id, "quarter", "2026-01-01"])
        page = client.get(url)
        self.assertContains(page, "Over £11,180 on its own")
        download = client.get(url + "?format=csv")
        self.assertEqual(download["Content-Type"], "text/csv")
        rows = list(csv.DictReader(io.StringIO(download.content.decode())))
        self.assertEqual(
            (rows[0]["DonorName"], rows[0]["Value"], rows[0]["ReportingPeriodName"]),
            ("Northbridge Logistics Ltd", "12000.00", "Q1 2026"),
        )
        other = reverse("donations:report", args=[self.party_b.public_id, "quarter", "2026-01-01"])
        self.assertEqual(client.get(other).status_code, 404)
        self.assertEqual(client.get(url.replace("2026-01-01", "2026-02-01")).status_code, 404)

    def test_an_administrator_switches_a_bill_rule_on_with_a_reason(self):
        rule = PolicyRule.objects.get(key=RuleKey.CRYPTO_MORATORIUM)
        url = reverse("donations:rule-switch", args=[rule.public_id])
        self.assertEqual(
            self.client_for(self.party_officer).post(url, {"on": "1", "reason": "x"}).status_code,
            403,
        )
        self.client_for(self.admin).post(url, {"on": "1", "reason": "Announced"})
        rule.refresh_from_db()
        self.assertTrue(rule.switched_on)
        self.assertEqual(
            LedgerEntry.objects.get(action="donation_rule.switch").data["reason"], "Announced"
        )

    def test_a_referral_from_the_page_to_its_briefing(self):
        officer = self.client_for(self.party_officer)
        response = officer.post(
            reverse("donations:referral-new"),
            {"party": self.party_a.pk, "subject": "candidate", "name": "Ann Other"},
            follow=True,
        )
        self.assertContains(response, "The security team is looking into this")
        referral = Referral.objects.get()
        security = self.client_for(self.security)
        security.post(reverse("donations:referral-screen", args=[referral.public_id]))
        security.post(
            reverse("donations:referral-brief", args=[referral.public_id]),
            {
                "recommendation": "care",
                "tlp": "amber+strict",
                "briefing": "Proceed with care.",
                "basis": "BASIS-TEXT",
            },
        )
        page = officer.get(referral.get_absolute_url())
        self.assertContains(page, "Recommendation: Proceed with care")
        self.assertNotContains(page, "BASIS-TEXT")
        self.assertContains(security.get(referral.get_absolute_url()), "BASIS-TEXT")
