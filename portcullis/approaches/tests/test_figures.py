"""The security team's figures: reports by channel and persona per month, counted by the
database; nobody else reaches the page."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from portcullis.approaches.models import Report
from portcullis.approaches.tests.builders import make_report
from portcullis.intel.tests.builders import media_in_tmp
from portcullis.lib.charts import monthly_counts
from portcullis.test import BaseTestCase


@media_in_tmp()
class FigureTests(BaseTestCase):
    def test_reports_are_counted_per_month_and_channel_in_one_query(self) -> None:
        today = timezone.localdate()
        old = make_report(self.staffer, channel="email")
        Report.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
        make_report(self.staffer, channel="email")
        make_report(self.staffer, channel="phone")
        ancient = make_report(self.staffer, channel="phone")
        Report.objects.filter(pk=ancient.pk).update(created_at=timezone.now() - timedelta(days=800))
        with self.assertNumQueries(1):
            ends, counts = monthly_counts(
                Report.objects.all(), when="created_at", by="channel", today=today
            )
        self.assertEqual(len(ends), 12)
        self.assertEqual(counts["email"][-1], 1)
        self.assertEqual(sum(counts["email"]), 2)
        self.assertEqual(sum(counts["phone"]), 1)

    def test_the_page_draws_both_charts_for_the_security_team_only(self) -> None:
        make_report(self.staffer, channel="email", persona="journalist")
        page = self.client_for(self.security).get("/approaches/figures/")
        self.assertContains(page, 'role="img"', count=2)
        self.assertContains(page, "Reports by how they came")
        self.assertContains(
            page,
            'govuk-table__header--numeric">Journalist</th>',
            html=False,
        )
        for user in (self.staffer, self.manager, self.member):
            self.assertEqual(self.client_for(user).get("/approaches/figures/").status_code, 403)
