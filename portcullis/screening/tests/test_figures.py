"""Screening figures: screenings with and without possible matches per month, in scope."""

from __future__ import annotations

from portcullis.screening import services
from portcullis.screening.tests.builders import person, query, watchlist
from portcullis.test import BaseTestCase


class ScreeningFigureTests(BaseTestCase):
    def test_hits_and_clear_screenings_are_charted_for_those_who_screen(self) -> None:
        watchlist("Figures list", person("Grigori Watchlisted"))
        services.screen_subject(
            subject=query("Grigori Watchlisted"), actor=self.security, purpose="check"
        )
        services.screen_subject(
            subject=query("Someone Else Entirely"), actor=self.security, purpose="check"
        )
        page = self.client_for(self.security).get("/screening/figures/")
        self.assertContains(page, 'role="img"', count=1)  # no decisions yet: said in words
        self.assertContains(page, "Nothing to show in these months yet.")
        self.assertContains(page, "2 in 12 months.")
        self.assertContains(page, "With possible matches 1, No possible match 1")
        self.assertEqual(self.client_for(self.staffer).get("/screening/figures/").status_code, 403)
