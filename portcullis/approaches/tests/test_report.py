"""Reporting an approach: observables, instant alert matches in any spelling, campaigns, e-mail."""

from __future__ import annotations

from portcullis.approaches.models import Report
from portcullis.approaches.tests.builders import form_data, make_report
from portcullis.intel.models import Match, Observable, Sighting
from portcullis.intel.tests.builders import IMMEDIATE_TASKS, make_alert, media_in_tmp
from portcullis.lib.testing.smtp import smtp_server
from portcullis.test import BaseTestCase


@media_in_tmp()
class ReportAndMatchTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.alert = make_alert(cls.security)

    def test_the_page_shows_the_matching_alert_for_a_name_in_another_order(self) -> None:
        client = self.client_for(self.staffer)
        response = client.post(
            "/approaches/report/",
            form_data(
                account="Hi, I'm QIU Amanda of a Beijing search firm. Paid consultancy?",
                warning_signs=["flattery"],
            ),
            follow=True,
        )
        self.assertContains(response, "This matches a security alert")
        self.assertContains(response, self.alert.title)
        self.assertContains(response, "Do not engage. Do not accept the connection.")
        self.assertContains(response, "Report sent")

    def test_names_in_other_spellings_and_scripts_match(self) -> None:
        for written in ("QIU Amanda", "Amanda Q.", "邱 Amanda", "Ms Amanda Qiu"):
            with self.subTest(written=written):
                report = make_report(self.staffer, approacher_name=written)
                matched = Match.objects.filter(origin=report.origin, alert=self.alert)
                self.assertTrue(matched.exists(), written)

    def test_a_different_person_with_the_same_given_name_does_not_match(self) -> None:
        report = make_report(self.staffer, approacher_name="Amanda Smith", account="Amanda here")
        self.assertFalse(Match.objects.filter(origin=report.origin).exists())

    def test_identifiers_match_exactly_in_canonical_form(self) -> None:
        report = make_report(
            self.staffer,
            approacher_contact="https://uk.linkedin.com/in/Amanda-Qiu-Example/?trk=abc",
            account="Mail me: Amanda.Qiu@BR-YR.example or ring 020 7946 0018.",
        )
        matches = Match.objects.filter(origin=report.origin)
        how = set(matches.values_list("how", "indicator__kind"))
        self.assertEqual(how, {("exact", "url"), ("exact", "email"), ("exact", "phone")})

    def test_each_observable_is_stored_once_and_linked_to_every_report(self) -> None:
        first = make_report(self.staffer, account="write to amanda.qiu@br-yr.example")
        second = make_report(self.outsider, account="AMANDA.QIU@br-yr.example wrote to me")
        email = Observable.objects.get(kind="email", value="amanda.qiu@br-yr.example")
        self.assertEqual(
            set(Sighting.objects.filter(observable=email).values_list("origin", flat=True)),
            {first.origin_id, second.origin_id},
        )
        self.assertEqual(email.indicators.get().alert, self.alert)

    def test_reports_sharing_an_observable_form_a_campaign(self) -> None:
        first = make_report(self.staffer, approacher_name="Amanda Qiu")
        second = make_report(self.outsider, approacher_name="邱 Amanda")
        unrelated = make_report(self.member, approacher_name="Bertram Quill")
        first.refresh_from_db()
        second.refresh_from_db()
        unrelated.refresh_from_db()
        self.assertIsNotNone(first.campaign)
        self.assertEqual(first.campaign, second.campaign)
        self.assertIsNone(unrelated.campaign)
        self.assertEqual(set(first.campaign.origins.all()), {first.origin, second.origin})  # type: ignore[union-attr]

    def test_the_security_team_is_told_by_email_and_the_alert_is_named(self) -> None:
        with IMMEDIATE_TASKS, smtp_server() as inbox, self.captureOnCommitCallbacks(execute=True):
            report = make_report(self.staffer, approacher_name="QIU Amanda")
        self.assertEqual([m["To"] for m in inbox], ["security@test.example"])
        self.assertIn(report.reference, inbox[0]["Subject"])
        self.assertIn(self.alert.reference, inbox[0]["Subject"])
        self.assertNotIn("staffer", inbox[0].get_content())

    def test_a_report_is_recorded_in_the_ledger(self) -> None:
        from portcullis.ledger.models import LedgerEntry

        report = make_report(self.staffer, approacher_name="QIU Amanda")
        entry = LedgerEntry.objects.about(report).get(action="approach_report.submit")
        self.assertEqual(entry.data["alerts"], [self.alert.reference])

    def test_a_future_date_is_refused_with_a_clear_message(self) -> None:
        client = self.client_for(self.staffer)
        response = client.post("/approaches/report/", form_data(occurred_on="01/01/2999"))
        self.assertContains(response, "The date must be today or in the past.")
        self.assertFalse(Report.objects.exists())
