"""Simulation rules: authorisation first, the do-not-test list, business-hours scheduling,
scanner detection, bounces, the lure library, and suppression of small groups."""

from __future__ import annotations

from datetime import date, timedelta

from aiosmtpd.controller import Controller
from django.conf import settings
from django.utils import timezone

from portcullis.accounts.models import Role
from portcullis.lib.testing.smtp import free_port, smtp_server
from portcullis.phishing import lures, results, scanners
from portcullis.phishing.models import EmailTemplate, Event, SimulationCampaign, Target
from portcullis.phishing.rendering import Recipient, render
from portcullis.phishing.services import events, simulations
from portcullis.test import BaseTestCase, make_office

from .app_builders import MONDAY, add_staff, at, draft_campaign, sending_profile


class AuthorisationAndTargetsTests(BaseTestCase):
    def test_nothing_is_scheduled_without_a_recorded_authorisation(self) -> None:
        campaign = draft_campaign(self.security, [self.office_a], authorised=False)
        with self.assertRaisesMessage(simulations.SimulationError, "Record who authorised"):
            simulations.schedule_campaign(campaign=campaign, actor=self.security, now=at(MONDAY, 8))
        self.assertFalse(Target.objects.exists())

    def test_an_authorisation_that_does_not_cover_the_window_is_refused(self) -> None:
        campaign = draft_campaign(self.security, [self.office_a])
        auth = campaign.authorisation
        auth.valid_until = date(2025, 3, 5)
        auth.save()
        with self.assertRaisesMessage(simulations.SimulationError, "falls outside it"):
            simulations.schedule_campaign(campaign=campaign, actor=self.security, now=at(MONDAY, 8))

    def test_targets_come_from_the_offices_and_roles_minus_the_do_not_test_list(self) -> None:
        campaign = draft_campaign(
            self.security, [self.office_a], roles=(Role.STAFFER, Role.MEMBER, Role.OFFICE_MANAGER)
        )
        simulations.add_do_not_test(
            person=self.manager.person, reason="on leave", until=None, actor=self.security
        )
        simulations.schedule_campaign(campaign=campaign, actor=self.security, now=at(MONDAY, 8))
        people = set(Target.objects.values_list("person__full_name", flat=True))
        self.assertEqual(people, {self.member.person.full_name, self.staffer.person.full_name})
        self.assertNotIn(self.outsider.person.full_name, people)  # office B was not chosen

    def test_sending_times_are_spread_over_weekday_business_hours_in_the_window(self) -> None:
        add_staff(self.office_a, 12, "Spread")
        campaign = draft_campaign(self.security, [self.office_a])
        targets = simulations.schedule_campaign(
            campaign=campaign, actor=self.security, now=at(MONDAY, 8)
        )
        local = [timezone.localtime(t.scheduled_for) for t in targets]
        self.assertEqual(len(local), 13)
        for moment in local:
            self.assertLess(moment.weekday(), 5)
            self.assertTrue(campaign.day_starts <= moment.time() <= campaign.day_ends)
        # Random times across the week (three or more days: 13 draws missing three of five
        # days happens about once in 15,000 runs).
        self.assertGreaterEqual(len({m.date() for m in local}), 3)

    def test_a_window_over_a_weekend_only_has_no_working_hours(self) -> None:
        campaign = draft_campaign(self.security, [self.office_a])
        campaign.window_start = at(date(2025, 3, 8), 9)
        campaign.window_end = at(date(2025, 3, 9), 17)
        campaign.save()
        with self.assertRaisesMessage(simulations.SimulationError, "no working hours"):
            simulations.schedule_campaign(campaign=campaign, actor=self.security, now=at(MONDAY, 8))

    def test_nothing_is_sent_outside_the_authorisation_or_once_cancelled(self) -> None:
        campaign = draft_campaign(self.security, [self.office_a])
        simulations.schedule_campaign(campaign=campaign, actor=self.security, now=at(MONDAY, 8))
        simulations.cancel_campaign(campaign=campaign, actor=self.security)
        run = simulations.send_due_emails(now=at(date(2025, 3, 7), 16, 45))
        self.assertEqual((run.sent, run.deferred), (0, 0))
        self.assertFalse(Target.objects.filter(sent_at__isnull=False).exists())


class RefuseEveryone:
    async def handle_RCPT(self, server, session, envelope, address, options):  # type: ignore[no-untyped-def]  # noqa: N802
        return "550 5.1.1 No such mailbox"


class SendingTests(BaseTestCase):
    def test_a_refused_recipient_is_recorded_as_bounced(self) -> None:
        controller = Controller(RefuseEveryone(), hostname="127.0.0.1", port=free_port())
        controller.start()
        try:
            profile = sending_profile(port=controller.port)
            campaign = draft_campaign(self.security, [self.office_a], profile=profile)
            simulations.schedule_campaign(campaign=campaign, actor=self.security, now=at(MONDAY, 8))
            run = simulations.send_due_emails(now=at(date(2025, 3, 7), 16, 45))
        finally:
            controller.stop()
        self.assertEqual((run.sent, run.bounced), (0, 1))
        target = Target.objects.get()
        self.assertIsNone(target.sent_at)
        self.assertIsNotNone(target.bounced_at)
        event = target.events.get()
        self.assertEqual(event.kind, "bounced")
        self.assertIn("550", event.note)

    def test_the_whatsapp_lure_carries_its_qr_code_inline(self) -> None:
        with smtp_server() as inbox:
            profile = sending_profile(port=settings.EMAIL_PORT)
            campaign = draft_campaign(
                self.security, [self.office_a], profile=profile, template="whatsapp-group-qr"
            )
            simulations.schedule_campaign(campaign=campaign, actor=self.security, now=at(MONDAY, 8))
            simulations.send_due_emails(now=at(date(2025, 3, 7), 16, 45))
        images = [p for p in inbox[0].walk() if p.get_content_type() == "image/png"]
        self.assertEqual(len(images), 1)
        self.assertEqual(images[0]["Content-ID"], "<qr-code>")


class ScannerTests(BaseTestCase):
    def request(self, **kwargs) -> scanners.Request:  # type: ignore[no-untyped-def]
        values = {"method": "GET", "user_agent": "Mozilla/5.0 Chrome/126", "headers": {}}
        return scanners.Request(**(values | kwargs), seconds_since_sent=kwargs.pop("since", 600.0))

    def test_people_and_machines_are_told_apart(self) -> None:
        self.assertIsNone(scanners.automated_reason(self.request()))
        self.assertIn("HEAD", scanners.automated_reason(self.request(method="HEAD")) or "")
        self.assertIn(
            "prefetch",
            scanners.automated_reason(self.request(headers={"sec-purpose": "prefetch"})) or "",
        )
        self.assertIn(
            "scanner",
            scanners.automated_reason(self.request(user_agent="Slackbot-LinkExpanding 1.0")) or "",
        )
        self.assertIn("no user agent", scanners.automated_reason(self.request(user_agent="")) or "")

    def test_a_click_seconds_after_delivery_is_not_counted(self) -> None:
        campaign = draft_campaign(self.security, [self.office_a])
        simulations.schedule_campaign(campaign=campaign, actor=self.security, now=at(MONDAY, 8))
        target = Target.objects.get()
        sent = at(MONDAY, 10)
        target.sent_at = sent
        target.save()
        facts = events.Facts("POST", "Mozilla/5.0 Chrome/126", None, {})
        soon = events.record_fetch(
            target=target, kind=Event.Kind.CLICKED, facts=facts, now=sent + timedelta(seconds=3)
        )
        self.assertFalse(soon.counted)
        self.assertIn("3 s after delivery", soon.note)
        later = events.record_fetch(
            target=target, kind=Event.Kind.CLICKED, facts=facts, now=sent + timedelta(minutes=20)
        )
        self.assertTrue(later.counted)
        target.refresh_from_db()
        self.assertEqual(target.clicked_at, sent + timedelta(minutes=20))


class LibraryTests(BaseTestCase):
    def test_the_library_has_at_least_eight_lures_that_each_render_in_html_and_text(self) -> None:
        self.assertGreaterEqual(len(lures.LURES), 8)
        self.assertEqual(simulations.install_lure_library(actor=self.security), len(lures.LURES))
        self.assertEqual(simulations.install_lure_library(actor=self.security), 0)  # idempotent
        recipient = Recipient("Alex Morgan", "Office A", "t" * 24)
        for template in EmailTemplate.objects.all():
            subject, text, html = render(template, recipient)
            self.assertTrue(subject)
            self.assertIn(recipient.link, text, template.slug)
            self.assertIn(recipient.pixel_url, html, template.slug)
            self.assertNotIn("{{", text + html + subject)
            self.assertTrue(template.from_address.endswith(".example"))
            self.assertGreaterEqual(len(template.tell_tale_signs), 2)
        slugs = {t["slug"] for t in lures.LURES}
        for needed in (
            "colleague-shared-document",
            "recruiter-approach",
            "journalist-interview",
            "it-password-expiry",
            "whatsapp-group-qr",
            "constituency-casework",
        ):
            self.assertIn(needed, slugs)


class ResultsTests(BaseTestCase):
    def test_groups_under_five_are_suppressed_and_time_to_report_is_the_median(self) -> None:
        big = make_office("Office Big", self.house)
        add_staff(big, 6, "Big")
        campaign = draft_campaign(self.security, [self.office_a, big])
        simulations.schedule_campaign(campaign=campaign, actor=self.security, now=at(MONDAY, 8))
        for n, target in enumerate(Target.objects.filter(office=big).order_by("pk")):
            events.record_event(target=target, kind="sent", now=at(MONDAY, 10))
            if n < 3:
                events.record_event(
                    target=target, kind="reported", now=at(MONDAY, 10, 10 * (n + 1))
                )
        targets = results.campaign_targets(campaign, user=self.security)
        by_office = {f.label: f.published() for f in results.group(targets, "office")}
        self.assertEqual(by_office["Office A"], {"label": "Office A", "suppressed": True})
        self.assertEqual(by_office["Office Big"]["reported"], 3)
        self.assertEqual(by_office["Office Big"]["median_minutes_to_report"], 20)
        self.assertEqual(by_office["Office Big"]["report_rate"], 50)
        (house,) = results.group(targets, "house")
        self.assertEqual(house.people, 7)

    def test_repeat_clickers_are_people_who_clicked_in_two_campaigns(self) -> None:
        profile = sending_profile()
        for _ in range(2):
            campaign = draft_campaign(self.security, [self.office_a], profile=profile)
            campaign.name = f"Test {SimulationCampaign.objects.count()}"
            simulations.schedule_campaign(campaign=campaign, actor=self.security, now=at(MONDAY, 8))
            target = Target.objects.get(campaign=campaign)
            events.record_event(target=target, kind="clicked", now=at(MONDAY, 11))
        self.assertEqual(results.repeat_clickers(user=self.security), [(self.staffer.person, 2)])


class AuthorisationFormTests(BaseTestCase):
    def url(self, campaign: SimulationCampaign) -> str:
        return f"/phishing/simulations/{campaign.public_id}/authorise/"

    def test_editing_an_authorisation_shows_its_dates(self) -> None:
        campaign = draft_campaign(self.security, [self.office_a])
        page = self.client_for(self.security).get(self.url(campaign))
        for day in ("2025-02-20", "2025-03-01", "2025-03-31"):
            self.assertContains(page, f'value="{day}"')

    def test_an_authorisation_ending_before_the_window_closes_is_refused_at_the_form(self) -> None:
        campaign = draft_campaign(self.security, [self.office_a], authorised=False)
        page = self.client_for(self.security).post(
            self.url(campaign),
            {
                "approver_name": "Dana Whitfield",
                "approver_position": "Director of Security",
                "approved_on": "2025-02-20",
                "scope": "Staff of the chosen offices.",
                "valid_from": "2025-03-01",
                "valid_until": "2025-03-05",
            },
        )
        self.assertContains(page, "The authorisation must last until 07 Mar 2025")
        self.assertContains(page, 'href="#id_valid_until"')
        campaign.refresh_from_db()
        self.assertIsNone(campaign.authorisation_or_none)
