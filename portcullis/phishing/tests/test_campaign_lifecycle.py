"""A simulation run as a person plans one: trim the targets, random sending times, a test send to
oneself over the real SMTP relay, pause and resume, and finished when the window closes."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta

from django.utils import timezone

from portcullis.ledger.models import LedgerEntry
from portcullis.lib.testing.smtp import smtp_server
from portcullis.phishing.models import SimulationCampaign, Target
from portcullis.phishing.services import simulations
from portcullis.test import BaseTestCase

from .app_builders import MONDAY, add_staff, at, draft_campaign, sending_profile

FRIDAY = date(2025, 3, 7)


class CampaignLifecycleTests(BaseTestCase):
    def setUp(self) -> None:
        add_staff(self.office_a, 9, "Life")
        self.campaign = draft_campaign(self.security, [self.office_a])

    def schedule(self, now=None) -> list[Target]:
        return simulations.schedule_campaign(
            campaign=self.campaign, actor=self.security, now=now or at(MONDAY, 8)
        )

    def test_people_taken_off_the_list_are_not_targeted_and_can_be_put_back(self) -> None:
        candidates, _ = simulations.choose_targets(self.campaign, MONDAY)
        self.assertEqual(len(candidates), 10)
        self.client_for(self.security).post(
            f"/phishing/simulations/{self.campaign.public_id}/targets/",
            {"remove": [str(self.staffer.person.public_id)]},
        )
        left, _ = simulations.choose_targets(self.campaign, MONDAY)
        self.assertEqual(len(left), 9)
        self.assertNotIn(self.staffer.person_id, {c.person_id for c in left})
        self.assertTrue(LedgerEntry.objects.filter(action="simulation.trim").exists())
        targets = self.schedule()
        self.assertNotIn(self.staffer.person_id, {t.person_id for t in targets})

    def test_the_list_cannot_be_trimmed_once_scheduled(self) -> None:
        self.schedule()
        with self.assertRaisesMessage(simulations.SimulationError, "cannot change"):
            simulations.trim_targets(
                campaign=self.campaign,
                actor=self.security,
                remove=[self.staffer.person],
                restore=[],
            )

    def test_random_moments_fall_in_working_hours_and_are_not_evenly_spaced(self) -> None:
        intervals = simulations.business_intervals(self.campaign)
        moments = simulations.random_moments(intervals, 500, random.Random(7))
        for moment in moments:
            self.assertTrue(any(lo <= moment <= hi for lo, hi in intervals), moment)
        self.assertEqual(
            {m.date() for m in map(timezone.localtime, moments)},
            {MONDAY + timedelta(days=n) for n in range(5)},
        )
        gaps = {round((b - a).total_seconds()) for a, b in itertools.pairwise(sorted(moments))}
        self.assertGreater(len(gaps), 50)  # evenly spaced times would give one or two gaps

    def test_a_paused_campaign_sends_nothing_until_resumed_then_spreads_what_is_left(self) -> None:
        self.schedule()
        simulations.pause_campaign(campaign=self.campaign, actor=self.security)
        wednesday = at(MONDAY + timedelta(days=2), 12)
        with smtp_server() as inbox:
            run = simulations.send_due_emails(now=wednesday)
        self.assertEqual((run.sent, len(inbox)), (0, 0))
        simulations.resume_campaign(campaign=self.campaign, actor=self.security, now=wednesday)
        self.campaign.refresh_from_db()
        self.assertEqual(self.campaign.status, SimulationCampaign.Status.SCHEDULED)
        for target in Target.objects.all():
            self.assertGreaterEqual(target.scheduled_for, wednesday)
            self.assertLessEqual(target.scheduled_for, self.campaign.window_end)
        actions = set(LedgerEntry.objects.values_list("action", flat=True))
        self.assertTrue({"simulation.pause", "simulation.resume"} <= actions)

    def test_only_a_scheduled_campaign_can_be_paused_and_only_a_paused_one_resumed(self) -> None:
        with self.assertRaisesMessage(simulations.SimulationError, "Only a scheduled"):
            simulations.pause_campaign(campaign=self.campaign, actor=self.security)
        self.schedule()
        with self.assertRaisesMessage(simulations.SimulationError, "Only a paused"):
            simulations.resume_campaign(
                campaign=self.campaign, actor=self.security, now=at(MONDAY, 10)
            )

    def test_the_campaign_is_finished_when_its_window_closes(self) -> None:
        self.schedule()
        self.assertEqual(simulations.finish_ended_campaigns(now=at(FRIDAY, 16)), 0)
        self.assertEqual(simulations.finish_ended_campaigns(now=at(FRIDAY, 17, 1)), 1)
        self.campaign.refresh_from_db()
        self.assertEqual(self.campaign.get_status_display(), "Finished")
        self.assertEqual(LedgerEntry.objects.filter(action="simulation.finish").count(), 1)
        self.assertEqual(simulations.finish_ended_campaigns(now=at(FRIDAY, 18)), 0)

    def test_a_test_send_reaches_the_officer_over_the_profile_and_counts_nothing(self) -> None:
        with smtp_server() as inbox:
            from django.conf import settings

            self.campaign.profile = sending_profile(port=settings.EMAIL_PORT)
            self.campaign.save()
            answer = self.client_for(self.security).post(
                f"/phishing/simulations/{self.campaign.public_id}/test-send/", follow=True
            )
        self.assertContains(answer, "security@test.example")
        self.assertEqual(len(inbox), 1)
        self.assertEqual(inbox[0]["To"], "security@test.example")
        self.assertTrue(inbox[0]["Subject"].startswith("[Test] "))
        self.assertFalse(Target.objects.exists())
        self.assertTrue(LedgerEntry.objects.filter(action="simulation.test_send").exists())

    def test_attack_an_office_manager_cannot_pause_trim_or_test_send(self) -> None:
        self.schedule()
        client = self.client_for(self.manager)
        base = f"/phishing/simulations/{self.campaign.public_id}"
        for path in ("/pause/", "/targets/", "/test-send/"):
            with self.subTest(path=path):
                answer = client.post(base + path, {"remove": [str(self.staffer.person.public_id)]})
                self.assertIn(answer.status_code, (403, 404))
        self.campaign.refresh_from_db()
        self.assertEqual(self.campaign.status, SimulationCampaign.Status.SCHEDULED)
