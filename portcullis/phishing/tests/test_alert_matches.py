"""Reported e-mails meet alerts through intel's one door: an e-mail from an alert's persona, in
another spelling or from one of its domains, shows the reporter the alert's guidance and joins
the alert's campaign beside the approach reports; an alert the reporter may not read changes
nothing they see, while the security team is told."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from portcullis.accounts import demo as accounts_demo
from portcullis.accounts.models import User
from portcullis.approaches import demo as approaches_demo
from portcullis.approaches.models import Report
from portcullis.intel import demo as intel_demo
from portcullis.intel.extract import Kind
from portcullis.intel.models import Alert, Campaign, Match
from portcullis.intel.services import IndicatorInput
from portcullis.intel.tests.builders import IMMEDIATE_TASKS, make_alert
from portcullis.intel.tlp import Tlp
from portcullis.ledger.actors import WORKER
from portcullis.lib.testing.imap import imap_server
from portcullis.lib.testing.smtp import smtp_server
from portcullis.phishing.conf import MailboxConfig
from portcullis.phishing.models import ReportedEmail
from portcullis.phishing.services import mailbox
from portcullis.test import BaseTestCase, api_client_for, sign_in

from .app_builders import forward_as_attachment, message

PROTECTED = ["parliament.example", "parliament.uk"]


def from_qiu(sender: str = '"QIU Amanda" <amanda.q.talent@gmail.com>') -> bytes:
    return message(
        sender=sender,
        subject="A paid advisory role",
        text="Dear researcher,\n\nYour insight into UK policy is exceptional. My client pays "
        "well for short reports on upcoming legislation.\n\nBest regards,\nQIU Amanda\n"
        "Chief Executive, BR-YR Executive Search",
        to="staff@demo.test",
    )


def demo_campaign() -> Campaign:
    report = Report.objects.exclude(origin__campaign=None).select_related("origin__campaign")
    campaign = report.first().origin.campaign  # type: ignore[union-attr]
    assert campaign is not None
    return campaign


def signed_in(email: str) -> Client:
    return sign_in(Client(), User.objects.get(email=email))


@IMMEDIATE_TASKS
@override_settings(PROTECTED_DOMAINS=PROTECTED)
class DemoAlertTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        accounts_demo.load()
        intel_demo.load()
        approaches_demo.load()
        cls.alert = Alert.objects.get(reference=intel_demo.REFERENCE)
        cls.campaign = demo_campaign()

    def assert_in_the_alerts_campaign(self, report: ReportedEmail) -> None:
        assert report.origin is not None
        self.assertEqual(report.origin.campaign, self.campaign)
        others = set(self.campaign.origins.values_list("app", flat=True))
        self.assertEqual(others, {"approaches", "phishing"})

    def test_an_upload_from_the_persona_in_another_order_shows_the_alerts_guidance(self) -> None:
        page = signed_in("staff@demo.test").post(
            reverse("phishing:report-new"),
            {"message": SimpleUploadedFile("offer.eml", from_qiu())},
            follow=True,
        )
        banner = re.search(r'id="alert-matches".*?</div>\s*</div>', page.content.decode(), re.S)
        assert banner is not None
        self.assertIn(self.alert.title.replace("’", "&#x27;")[:20], banner.group())
        self.assertIn("Do not engage.", banner.group())
        report = ReportedEmail.objects.get()
        self.assertIn(page.context["seen"].verdict, {"suspicious", "malicious"})
        self.assert_in_the_alerts_campaign(report)
        matched = {
            (m.alert, m.indicator.display, m.matched_text)
            for m in Match.objects.filter(origin=report.origin)
        }
        self.assertIn((self.alert, "Amanda Qiu", "QIU Amanda"), matched)  # the display name
        self.assertIn((self.alert, "BR-YR Executive Search", "BR-YR Executive Search"), matched)

    def test_the_security_team_sees_why_it_matched_and_the_campaign_and_is_told(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            signed_in("staff@demo.test").post(
                reverse("phishing:report-new"),
                {"message": SimpleUploadedFile("a.eml", from_qiu())},
            )
        report = ReportedEmail.objects.get()
        page = signed_in("security@demo.test").get(
            reverse("phishing:report-detail", args=[report.public_id])
        )
        self.assertContains(page, "Matches a published security alert")  # alert.match, in words
        self.assertContains(page, "“QIU Amanda” is similar to “Amanda Qiu”")
        self.assertContains(page, f'href="{self.campaign.get_absolute_url()}"')
        told = [m for m in mail.outbox if "matches A-2025-11" in m.subject]
        self.assertEqual(len(told), 1)
        self.assertIn("security@demo.test", told[0].to)

    def test_the_api_answers_with_the_alert_and_files_it_in_the_campaign(self) -> None:
        response = api_client_for(User.objects.get(email="staff@demo.test")).post(
            "/api/v1/phishing/reports/", {"file": SimpleUploadedFile("a.eml", from_qiu())}
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertIn(body["verdict"], {"suspicious", "malicious"})
        self.assertEqual([a["reference"] for a in body["alerts"]], ["A-2025-11"])
        self.assertIn("Do not engage.", body["alerts"][0]["guidance"])
        self.assertIn("alert.match", {i["code"] for i in body["indicators"]})
        self.assert_in_the_alerts_campaign(ReportedEmail.objects.get())

    def test_a_forward_to_the_report_mailbox_is_answered_with_the_alerts_guidance(self) -> None:
        staff = User.objects.get(email="staff@demo.test")
        with smtp_server() as inbox, imap_server() as imap:
            imap.append(forward_as_attachment(from_qiu(), reporter=f"Staff <{staff.email}>"))
            config = MailboxConfig(imap.host, imap.port, imap.user, imap.password, use_ssl=False)
            result = mailbox.poll_report_mailbox(actor=WORKER, config=config)
        [report] = result.filed
        self.assertEqual(report.reporter, staff.person)
        self.assert_in_the_alerts_campaign(report)
        [reply] = [m for m in inbox if staff.email in m["To"]]
        text = reply.get_content()
        self.assertIn(f"It matches security alert A-2025-11: {self.alert.title}", text)
        self.assertIn("What to do: Do not engage.", text)
        self.assertRegex(text, "Our first check says: (SUSPICIOUS|MALICIOUS)")

    def test_an_email_from_an_alert_domain_matches_from_a_sub_domain(self) -> None:
        security = User.objects.get(email="security@demo.test")
        alert = make_alert(
            security,
            title="Fake think tank",
            indicators=[IndicatorInput(Kind.DOMAIN, "harbour-insight.example")],
        )
        raw = message(
            sender="Events Team <events@mail.Harbour-Insight.example>",
            subject="Invitation",
            text="Join our closed round table.",
        )
        response = api_client_for(User.objects.get(email="staff@demo.test")).post(
            "/api/v1/phishing/reports/", {"file": SimpleUploadedFile("a.eml", raw)}
        )
        self.assertEqual([a["reference"] for a in response.json()["alerts"]], [alert.reference])


def normalised(text: str, reports: list[ReportedEmail]) -> str:
    for report in reports:
        text = text.replace(str(report.public_id), "<id>")
    text = re.sub(r"\d{1,2} \w{3} \d{4} \d{2}:\d{2}", "<when>", text)
    text = re.sub(r"\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:\d{2})?", "<when>", text)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


@IMMEDIATE_TASKS
@override_settings(PROTECTED_DOMAINS=PROTECTED)
class RestrictedAlertTests(BaseTestCase):
    """The attack: a staffer probes whether the security team holds a RED alert on someone by
    reporting an e-mail from them. What they see must not change."""

    def raw(self) -> bytes:
        return message(
            sender='"Harbour Consulting" <partner@harbour-consult.example>',
            subject="Confidential briefing",
            text="Could you share the committee's draft before Friday? Call +44 7700 900123.",
        )

    def report_as_staffer(self) -> dict[str, Any]:
        client = self.client_for(self.staffer)
        page = client.post(
            reverse("phishing:report-new"),
            {"message": SimpleUploadedFile("suspect.eml", self.raw())},
            follow=True,
        )
        api = api_client_for(self.staffer).post(
            "/api/v1/phishing/reports/", {"file": SimpleUploadedFile("suspect.eml", self.raw())}
        )
        new = api.json()["id"]
        return {
            "page": page.content.decode(),
            "api": api.content.decode(),
            "read": api_client_for(self.staffer).get(f"/api/v1/phishing/reports/{new}/").content,
        }

    def test_a_red_alert_the_reporter_is_not_told_of_changes_nothing_they_see(self) -> None:
        before = self.report_as_staffer()
        alert = make_alert(
            self.security,
            title="Harbour Consulting: hostile state front",
            tlp=Tlp.RED,
            audience=Alert.Audience.PEOPLE,
            recipients=[self.member.person],
            indicators=[
                IndicatorInput(Kind.DOMAIN, "harbour-consult.example"),
                IndicatorInput(Kind.PHONE, "+44 7700 900123"),
            ],
        )
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            after = self.report_as_staffer()
        reports = list(ReportedEmail.objects.all())
        self.assertEqual(len(reports), 4)
        for key in ("page", "api", "read"):
            self.assertEqual(
                normalised(str(after[key]), reports), normalised(str(before[key]), reports), key
            )
        self.assertNotIn(alert.reference, after["page"] + after["api"])
        # ...while the security team is told, and sees the match.
        self.assertEqual(
            sorted(m.subject for m in mail.outbox),
            [f"Reported e-mail matches {alert.reference}"] * 2,
        )
        latest = ReportedEmail.objects.order_by("-pk").first()
        assert latest is not None
        page = self.client_for(self.security).get(
            reverse("phishing:report-detail", args=[latest.public_id])
        )
        self.assertContains(page, alert.reference)
        self.assertContains(page, "Matches a published security alert")  # alert.match, in words

    def test_a_recipient_of_the_red_alert_is_shown_it(self) -> None:
        make_alert(
            self.security,
            title="Harbour Consulting: hostile state front",
            tlp=Tlp.RED,
            audience=Alert.Audience.PEOPLE,
            recipients=[self.member.person],
            indicators=[IndicatorInput(Kind.DOMAIN, "harbour-consult.example")],
        )
        page = self.client_for(self.member).post(
            reverse("phishing:report-new"),
            {"message": SimpleUploadedFile("suspect.eml", self.raw())},
            follow=True,
        )
        self.assertContains(page, "Harbour Consulting: hostile state front")
        self.assertContains(page, 'id="alert-matches"')
