"""Browsing and searching a list's entries, and one entry's page with its history."""

from django.urls import reverse

from portcullis.ledger.actors import WORKER
from portcullis.screening.imports import import_list, source_for
from portcullis.screening.tests.builders import person, watchlist
from portcullis.test import BaseTestCase

from .test_uk_sanctions_list import BANK, PUTIN, SHIP, listing


class ListBrowseTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.uk = source_for(kind="uk-sanctions-list", name=None, actor=WORKER)
        import_list(source=cls.uk, data=listing(PUTIN, BANK), actor=WORKER)
        cls.internal = watchlist("Local watchlist", person("Viktor Grebenshchikov", dob="1961"))

    def browse(self, user, source, **query):
        url = reverse("screening:list-entries", args=[source.public_id])
        return self.client_for(user).get(url, query)

    def test_a_name_is_found_in_another_script_and_an_identifier_by_substring(self):
        cyrillic = self.browse(self.security, self.uk, q="Владимир Путин")
        self.assertContains(cyrillic, "Vladimir Vladimirovich PUTIN")
        self.assertNotContains(cyrillic, "Moscow Industrial Bank")
        by_reference = self.browse(self.security, self.uk, q="RUS1445")
        self.assertContains(by_reference, "Moscow Industrial Bank")
        nothing = self.browse(self.security, self.uk, q="Zebedee Quartermaine")
        self.assertContains(nothing, "Nothing in this list matches")

    def test_browsing_pages_through_every_entry(self):
        page = self.browse(self.security, self.uk)
        self.assertContains(page, "Vladimir Vladimirovich PUTIN")
        self.assertContains(page, "Moscow Industrial Bank")
        self.assertContains(page, "Entries in force")

    def test_an_entry_page_shows_every_name_identifier_and_its_history(self):
        import_list(source=self.uk, data=listing(PUTIN, SHIP), actor=WORKER)  # bank removed
        changed = PUTIN.replace(
            "<DOB>07/10/1952</DOB>", "<DOB>07/10/1952</DOB><DOB>dd/mm/1953</DOB>"
        )
        import_list(source=self.uk, data=listing(changed, SHIP, BANK), actor=WORKER)
        client = self.client_for(self.security)
        putin = client.get(
            reverse("screening:list-entity", args=[self.uk.public_id, "uk-sanctions-list:RUS0264"])
        )
        self.assertContains(putin, "Владимир Владимирович Путин")
        self.assertContains(putin, "100000001 (passport)")
        self.assertContains(putin, "Asset freeze")
        self.assertContains(putin, "Version 3: Changed")
        self.assertContains(putin, "Version 2: Unchanged")
        self.assertContains(putin, "Version 1: First listed")
        bank = client.get(
            reverse("screening:list-entity", args=[self.uk.public_id, "uk-sanctions-list:RUS1445"])
        )
        self.assertContains(bank, "Version 2: Removed")
        self.assertContains(bank, "Version 3: Listed again")
        missing = client.get(
            reverse("screening:list-entity", args=[self.uk.public_id, "uk-sanctions-list:NOPE"])
        )
        self.assertEqual(missing.status_code, 404)

    def test_a_party_officer_cannot_read_the_internal_watchlist_entries(self):
        hidden = self.browse(self.party_officer, self.internal, q="Viktor")
        self.assertEqual(hidden.status_code, 404)
        entity = self.internal.current_version.entities.get()
        url = reverse("screening:list-entity", args=[self.internal.public_id, entity.external_id])
        self.assertEqual(self.client_for(self.party_officer).get(url).status_code, 404)
        self.assertContains(self.browse(self.security, self.internal, q="Viktor"), "Grebenshchikov")
        published = self.browse(self.party_officer, self.uk, q="PUTIN")
        self.assertContains(published, "Vladimir Vladimirovich PUTIN")
