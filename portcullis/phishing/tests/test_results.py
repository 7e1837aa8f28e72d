"""The results page: the funnel (sent → opened → clicked → submitted → reported) as a chart and
in words, the trend across campaigns in one query, and the CSV of the page's figures — each for
the security team whole and for an office manager as their offices' aggregate only."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from django.urls import reverse

from portcullis.phishing import results
from portcullis.phishing.models import Event, SimulationCampaign, Target
from portcullis.phishing.services import events, simulations
from portcullis.test import BaseTestCase

from .app_builders import MONDAY, add_staff, at, draft_campaign, sending_profile

# How far down the funnel the first n targets of each office go: 5 sent, 4 opened, 3 clicked...
STEPS = (Event.Kind.SENT, Event.Kind.OPENED, Event.Kind.CLICKED, Event.Kind.SUBMITTED)


def run(campaign: SimulationCampaign, *, clicks: int, reports: int = 1) -> None:
    """Schedule the campaign and record what its targets did, through the event service."""
    actor = campaign.created_by
    simulations.schedule_campaign(campaign=campaign, actor=actor, now=at(MONDAY, 8))
    now = at(MONDAY, 11)
    for office_targets in _by_office(campaign):
        for i, target in enumerate(office_targets):
            kinds = [Event.Kind.SENT]
            if i < clicks + 1:
                kinds.append(Event.Kind.OPENED)
            if i < clicks:
                kinds.append(Event.Kind.CLICKED)
            if i == 0:
                kinds.append(Event.Kind.SUBMITTED)
            if len(office_targets) - i <= reports:
                kinds.append(Event.Kind.REPORTED)
            for n, kind in enumerate(kinds):
                events.record_event(target=target, kind=kind, now=now + timedelta(minutes=n))


def _by_office(campaign: SimulationCampaign) -> list[list[Target]]:
    found: dict[int, list[Target]] = {}
    for target in campaign.targets.order_by("pk"):
        found.setdefault(target.office_id or 0, []).append(target)
    return list(found.values())


def rows_of(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


class ResultsPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        add_staff(cls.office_a, 5, "Extra")  # six staffers in Office A with the cast's
        add_staff(cls.office_b, 5, "Other")  # six in Office B with the outsider
        cls.campaign = draft_campaign(cls.security, [cls.office_a, cls.office_b])
        cls.profile = cls.campaign.profile
        run(cls.campaign, clicks=2)

    def test_the_funnel_counts_each_step_and_says_it_in_words(self) -> None:
        page = self.client_for(self.security).get(
            reverse("phishing:campaign-results", args=[self.campaign.public_id])
        )
        funnel = page.context["funnel"]
        self.assertEqual(
            dict(zip(funnel.categories, funnel.series[0].values, strict=True)),
            {"Sent": 12, "Opened": 6, "Clicked": 4, "Submitted details": 2, "Reported": 2},
        )
        self.assertContains(
            page,
            "Of 12 sent: opened 6 (50%), clicked 4 (33%), submitted details 2 (17%), "
            "reported 2 (17%).",
        )
        self.assertContains(page, 'role="img"')
        self.assertContains(page, '<th scope="row" class="govuk-table__header">Clicked</th>')

    def test_an_office_manager_sees_the_funnel_of_their_offices_only(self) -> None:
        page = self.client_for(self.manager).get(
            reverse("phishing:campaign-results", args=[self.campaign.public_id])
        )
        self.assertEqual(page.context["overall"].sent, 6)
        self.assertEqual(page.context["funnel"].series[0].values, (6, 3, 2, 1, 1))
        self.assertContains(page, "Of 6 sent: opened 3 (50%)")
        self.assertNotContains(page, "Office B")
        self.assertNotContains(page, "Other Person")

    def test_a_manager_of_a_group_too_small_to_show_sees_no_figures(self) -> None:
        small = draft_campaign(
            self.security, [self.office_a], roles=("member",), profile=self.profile
        )
        run(small, clicks=1)
        # The only member tested sits in the manager's office: one person, no figures.
        page = self.client_for(self.manager).get(
            reverse("phishing:campaign-results", args=[small.public_id])
        )
        self.assertIsNone(page.context["funnel"])
        self.assertContains(page, "Fewer than 5 people in view were tested")
        self.assertNotContains(page, "Of 1 sent")

    def test_attack_the_csv_is_formula_safe_streamed_and_scoped_like_the_page(self) -> None:
        self.office_b.name = '=HYPERLINK("http://evil.example","Office B")'
        self.office_b.save(update_fields=["name"])
        url = reverse("phishing:campaign-results-export", args=[self.campaign.public_id])
        everyone = self.client_for(self.security).get(url)
        self.assertTrue(everyone.streaming)
        self.assertEqual(everyone["Content-Type"], "text/csv; charset=utf-8")
        rows = rows_of(everyone)
        self.assertEqual(rows[0], list(results.EXPORT_HEADER))
        self.assertEqual(rows[1][:8], ["All", "All", "12", "12", "6", "4", "2", "2"])
        names = [row[1] for row in rows[1:]]
        self.assertIn('\'=HYPERLINK("http://evil.example","Office B")', names)
        self.assertIn("House", [row[0] for row in rows])

        mine = rows_of(self.client_for(self.manager).get(url))
        self.assertEqual([row[:2] for row in mine[1:]], [["All", "All"], ["Office", "Office A"]])
        self.assertEqual(mine[1][3], "6")
        for role in ("member", "staffer", "outsider", "gate", "party_officer", "admin"):
            answer = self.client_for(getattr(self, role)).get(url)
            self.assertEqual(answer.status_code, 404, role)


class TrendTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        add_staff(cls.office_a, 5, "Extra")
        add_staff(cls.office_b, 5, "Other")
        cls.profile = sending_profile()
        for n, clicks in enumerate((4, 2, 1)):
            campaign = draft_campaign(
                cls.security, [cls.office_a, cls.office_b], profile=cls.profile
            )
            run(campaign, clicks=clicks)
            # Earlier campaigns, as if run in the weeks before (the window is only a label now).
            SimulationCampaign.objects.filter(pk=campaign.pk).update(
                name=f"Test {n + 1}",
                window_start=campaign.window_start - timedelta(days=7 * (3 - n)),
            )

    def test_the_trend_is_one_query_oldest_first_whatever_the_number_of_campaigns(self) -> None:
        self.assertTrue(self.security.scope.has("security_officer"))  # the role, read once
        with self.assertNumQueries(1):
            points = results.trend(user=self.security)
        self.assertEqual([p.campaign for p in points], ["Test 1", "Test 2", "Test 3"])
        self.assertEqual([p.figures.clicked for p in points], [8, 4, 2])
        chart = results.trend_chart(points)
        assert chart is not None
        self.assertEqual(chart.series[0].values, (67.0, 33.0, 17.0))
        self.assertEqual(chart.rows[0], "Test 1 (February 2025)")

    def test_an_office_manager_trend_counts_their_offices_only(self) -> None:
        points = results.trend(user=self.manager)
        self.assertEqual([p.figures.sent for p in points], [6, 6, 6])
        self.assertEqual([p.figures.clicked for p in points], [4, 2, 1])
        page = self.client_for(self.manager).get(reverse("phishing:results"))
        self.assertEqual(page.context["trend"].series[0].values, (67.0, 33.0, 17.0))
        for role in ("member", "staffer", "outsider", "gate", "party_officer", "admin"):
            self.assertEqual(results.trend(user=getattr(self, role)), [], role)

    def test_a_campaign_with_too_few_people_in_view_is_a_gap_in_the_trend(self) -> None:
        small = draft_campaign(
            self.security, [self.office_a], roles=("member",), profile=self.profile
        )
        SimulationCampaign.objects.filter(pk=small.pk).update(window_start=at(date(2025, 3, 4), 9))
        run(small, clicks=1)
        chart = results.trend_chart(results.trend(user=self.security))
        assert chart is not None
        self.assertEqual(chart.series[0].values[-1], None)
        self.assertEqual(len(chart.rows), 4)
