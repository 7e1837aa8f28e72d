"""A security officer writes an alert from scratch or from a report, edits and publishes it; the
audience is told by e-mail, once each; the demo loads the MI5 alert and a campaign, idempotently."""

from __future__ import annotations

from portcullis.approaches.tests.builders import make_report
from portcullis.intel.models import Alert, AlertDelivery, Match
from portcullis.intel.tests.builders import IMMEDIATE_TASKS, make_alert
from portcullis.ledger.models import LedgerEntry
from portcullis.lib.testing.smtp import smtp_server
from portcullis.test import BaseTestCase

FORM = {
    "title": "Fake think-tank invitations",
    "summary": "Invitations to paid seminars abroad.",
    "guidance": "Do not reply. Report it.",
    "tlp": "amber",
    "audience": "offices",
    "people": "Ivan Petrov; Иван Петров\nQIU Amanda",
    "organisations": "Global Futures Forum",
    "urls": "https://uk.linkedin.com/in/ivan-petrov-123/",
    "emails": "Ivan@GlobalFutures.example",
    "domains": "globalfutures.example",
    "phones": "+44 20 7946 0999",
    "handles": "@gff_events",
}


class AlertPageTests(BaseTestCase):
    def test_the_alerts_page_offers_writing_and_importing_to_the_security_team_only(self) -> None:
        self.assertContains(self.client_for(self.security).get("/intel/alerts/"), "Write an alert")
        self.assertNotContains(
            self.client_for(self.staffer).get("/intel/alerts/"), "Write an alert"
        )

    def test_a_security_officer_writes_and_publishes_an_alert_and_the_office_is_told(self) -> None:
        client = self.client_for(self.security)
        response = client.post("/intel/alerts/new/", FORM | {"offices": [self.office_a.pk]})
        alert = Alert.objects.get()
        self.assertRedirects(response, alert.get_absolute_url())
        self.assertEqual(alert.status, Alert.Status.DRAFT)
        kinds = sorted(alert.indicators.values_list("kind", "observable__value"))
        self.assertIn(("url", "https://www.linkedin.com/in/ivan-petrov-123"), kinds)
        self.assertIn(("email", "ivan@globalfutures.example"), kinds)
        self.assertEqual(alert.indicators.get(display="Ivan Petrov").aliases, ["Иван Петров"])
        with IMMEDIATE_TASKS, smtp_server() as inbox, self.captureOnCommitCallbacks(execute=True):
            client.post(f"{alert.get_absolute_url()}publish/")
        alert.refresh_from_db()
        self.assertEqual(alert.status, Alert.Status.PUBLISHED)
        self.assertEqual(
            sorted(m["To"] for m in inbox),
            ["manager@test.example", "member@test.example", "staffer@test.example"],
        )
        with IMMEDIATE_TASKS, smtp_server() as again, self.captureOnCommitCallbacks(execute=True):
            client.post(
                f"{alert.get_absolute_url()}edit/",
                FORM | {"offices": [self.office_a.pk, self.office_b.pk]},
            )
        self.assertEqual([m["To"] for m in again], ["outsider@test.example"])

    def test_bad_indicators_and_unknown_recipients_get_clear_errors(self) -> None:
        client = self.client_for(self.security)
        response = client.post(
            "/intel/alerts/new/",
            FORM
            | {"emails": "not-an-address", "audience": "people", "recipients": "nobody@x.example"},
        )
        self.assertContains(response, "is not a valid e-mail addresses entry")
        self.assertContains(response, "No one in the directory has the address nobody@x.example")
        self.assertFalse(Alert.objects.exists())

    def test_a_uk_mobile_number_with_spaces_is_an_indicator(self) -> None:
        client = self.client_for(self.security)
        form = FORM | {"offices": [self.office_a.pk], "phones": "+44 7700 900123"}
        self.assertEqual(client.post("/intel/alerts/new/", form).status_code, 302)
        phone = Alert.objects.get().indicators.get(kind="phone")
        self.assertEqual(phone.observable.value, "+447700900123")

    def test_chosen_offices_with_none_chosen_is_refused(self) -> None:
        response = self.client_for(self.security).post("/intel/alerts/new/", FORM)
        self.assertContains(response, "Select at least one office to tell")
        self.assertFalse(Alert.objects.exists())

    def test_the_form_says_what_tlp_decides_and_what_the_audience_decides(self) -> None:
        page = self.client_for(self.security).get("/intel/alerts/new/")
        self.assertContains(page, "decides who may read the alert")
        self.assertContains(page, "Who is told")
        self.assertContains(page, f'type="checkbox" value="{self.office_a.pk}"')

    def test_publishing_a_red_alert_to_everyone_is_refused_with_the_reason(self) -> None:
        client = self.client_for(self.security)
        client.post("/intel/alerts/new/", FORM | {"tlp": "red", "audience": "everyone"})
        alert = Alert.objects.get()
        page = client.post(f"{alert.get_absolute_url()}publish/", follow=True)
        self.assertContains(page, "A TLP:RED alert goes to named people only")
        alert.refresh_from_db()
        self.assertEqual(alert.status, Alert.Status.DRAFT)
        self.assertFalse(AlertDelivery.objects.exists())

    def test_an_alert_raised_from_a_report_starts_with_its_observables(self) -> None:
        report = make_report(
            self.staffer,
            approacher_name="Ivan Petrov",
            account="He wrote from ivan@globalfutures.example",
        )
        origin = report.origin.public_id  # type: ignore[union-attr]
        page = self.client_for(self.security).get(f"/intel/alerts/new/?origin={origin}")
        self.assertContains(page, "Ivan Petrov")
        self.assertContains(page, "ivan@globalfutures.example")
        other = self.client_for(self.outsider).get(f"/intel/alerts/new/?origin={origin}")
        self.assertEqual(other.status_code, 403)

    def test_a_withdrawn_alert_no_longer_matches_or_shows(self) -> None:
        alert = make_alert(self.security)
        self.client_for(self.security).post(f"{alert.get_absolute_url()}withdraw/")
        report = make_report(self.staffer, approacher_name="Amanda Qiu")
        self.assertFalse(Match.objects.filter(origin=report.origin).exists())
        self.assertEqual(
            self.client_for(self.staffer).get(alert.get_absolute_url()).status_code, 404
        )


class DemoTests(BaseTestCase):
    def test_the_demo_loads_the_mi5_alert_and_a_campaign_and_is_idempotent(self) -> None:
        from portcullis.accounts import demo as accounts_demo
        from portcullis.approaches import demo as approaches_demo
        from portcullis.approaches.models import Report
        from portcullis.intel import demo as intel_demo

        accounts_demo.load()
        for _ in range(2):
            intel_demo.load()
            approaches_demo.load()
        alert = Alert.objects.get(reference="A-2025-11")
        self.assertEqual(alert.status, Alert.Status.PUBLISHED)
        names = set(alert.indicators.values_list("display", flat=True))
        self.assertEqual(
            names,
            {"Amanda Qiu", "BR-YR Executive Search", "Shirly Shen", "Internship Union"},
        )
        demo_reports = Report.objects.filter(reporter__email__startswith="demo.reporter")
        self.assertEqual(demo_reports.count(), 4)
        campaigns = {r.origin.campaign_id for r in demo_reports}  # type: ignore[union-attr]
        self.assertEqual(len(campaigns), 1)
        self.assertEqual(len({r.office_id for r in demo_reports}), 4)
        matched = Match.objects.filter(alert=alert, origin__in=demo_reports.values("origin"))
        self.assertEqual(matched.values("origin").distinct().count(), 4)


class UnreadAlertTests(BaseTestCase):
    def test_the_alert_page_lists_who_has_not_read_it_and_reminds_them(self) -> None:
        client = self.client_for(self.security)
        client.post("/intel/alerts/new/", FORM | {"offices": [self.office_a.pk]})
        alert = Alert.objects.get()
        with IMMEDIATE_TASKS, smtp_server(), self.captureOnCommitCallbacks(execute=True):
            client.post(f"{alert.get_absolute_url()}publish/")
        self.client_for(self.staffer).post(f"{alert.get_absolute_url()}acknowledge/")
        page = client.get(alert.get_absolute_url())
        self.assertContains(page, "Not read yet (2)")
        unread = page.content.decode().split('id="unread"')[1].split("</details>")[0]
        self.assertIn(self.member.person.full_name, unread)
        self.assertNotIn(self.staffer.person.full_name, unread)
        with IMMEDIATE_TASKS, smtp_server() as inbox, self.captureOnCommitCallbacks(execute=True):
            client.post(f"{alert.get_absolute_url()}remind/")
        self.assertEqual(
            sorted(m["To"] for m in inbox), ["manager@test.example", "member@test.example"]
        )
        entry = LedgerEntry.objects.get(action="alert.remind")
        self.assertEqual(entry.data, {"people": 2})


class AlertReadersSeverityAndDatesTests(BaseTestCase):
    def publish(self, **fields: object) -> Alert:
        client = self.client_for(self.security)
        client.post("/intel/alerts/new/", FORM | {"offices": [self.office_a.pk]} | fields)
        alert = Alert.objects.get()
        with IMMEDIATE_TASKS, smtp_server(), self.captureOnCommitCallbacks(execute=True):
            client.post(f"{alert.get_absolute_url()}publish/")
        return alert

    def test_the_security_team_sees_who_has_read_it_and_when(self) -> None:
        alert = self.publish()
        self.client_for(self.staffer).post(f"{alert.get_absolute_url()}acknowledge/")
        page = self.client_for(self.security).get(alert.get_absolute_url()).content.decode()
        read = page.split('id="read"')[1].split("</details>")[0]
        self.assertIn("Read (1)", read)
        self.assertIn(self.staffer.person.full_name, read)
        self.assertNotIn(self.member.person.full_name, read)
        staff_page = self.client_for(self.staffer).get(alert.get_absolute_url()).content.decode()
        self.assertNotIn('id="read"', staff_page)
        self.assertNotIn('id="unread"', staff_page)

    def test_severity_review_and_expiry_are_kept_and_shown_to_whom_they_concern(self) -> None:
        alert = self.publish(severity="high", review_on="2026-01-15", expires_on="2099-02-01")
        self.assertEqual(
            (alert.severity, str(alert.review_on), str(alert.expires_on)),
            ("high", "2026-01-15", "2099-02-01"),
        )
        security = self.client_for(self.security).get(alert.get_absolute_url())
        self.assertContains(security, "High</strong> severity; expires on 1 February 2099")
        self.assertContains(security, "due for review since</strong> 15 January 2026")
        staff = self.client_for(self.staffer).get(alert.get_absolute_url())
        self.assertContains(staff, "High</strong> severity; expires on 1 February 2099")
        self.assertNotContains(staff, "review")
        self.assertContains(self.client_for(self.staffer).get("/intel/alerts/"), "High")

    def test_an_expiry_before_the_review_date_is_refused_on_its_field(self) -> None:
        response = self.client_for(self.security).post(
            "/intel/alerts/new/",
            FORM
            | {
                "offices": [self.office_a.pk],
                "review_on": "2026-03-01",
                "expires_on": "2026-02-01",
            },
        )
        self.assertContains(response, "The expiry date must be on or after the review date")
        self.assertFalse(Alert.objects.exists())
