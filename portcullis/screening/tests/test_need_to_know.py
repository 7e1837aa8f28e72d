"""Finding 7 of the security test, as the attack: a party compliance officer reads the security
team's internal watchlist and its notes. They may screen against it; its entries and notes stay
with the security team."""

from __future__ import annotations

import dataclasses

from django.urls import reverse

from portcullis.screening.models import Screening
from portcullis.screening.tests.builders import SCREEN, person, watchlist
from portcullis.test import BaseTestCase

NOTE = "front organisation offering paid trips"


class WatchlistNotesTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        entry = person("Viktor Grebenshchikov", dob="1961-03-02", country="RU")
        cls.source = watchlist("Security team watchlist", dataclasses.replace(entry, note=NOTE))

    def screen(self, user: object) -> str:
        client = self.client_for(user)  # type: ignore[arg-type]
        page = client.post(reverse("screening:screen"), SCREEN, follow=True)
        self.assertContains(page, "Possible matches (1)")
        return page.content.decode()

    def test_a_party_officer_screens_against_the_watchlist_without_reading_its_notes(self) -> None:
        self.assertNotIn(NOTE, self.screen(self.party_officer))
        screening = Screening.objects.get()
        again = self.client_for(self.party_officer).get(
            reverse("screening:screening-detail", args=[screening.public_id])
        )
        self.assertNotContains(again, NOTE)

    def test_a_party_officer_cannot_browse_the_watchlist_or_its_versions(self) -> None:
        client = self.client_for(self.party_officer)
        detail = client.get(reverse("screening:list-detail", args=[self.source.public_id]))
        self.assertEqual(detail.status_code, 200)
        self.assertNotContains(detail, NOTE)
        self.assertNotContains(detail, "Viktor")
        version = self.source.current_version
        assert version is not None
        page = client.get(reverse("screening:version-detail", args=[version.public_id]))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "Viktor")

    def test_the_security_team_reads_the_notes(self) -> None:
        self.assertIn(NOTE, self.screen(self.security))
        detail = self.client_for(self.security).get(
            reverse("screening:list-detail", args=[self.source.public_id])
        )
        self.assertContains(detail, NOTE)
