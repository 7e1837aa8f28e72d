"""Every role, inside and outside its scope, on intel's pages and API: campaigns, observables,
sightings and origins are the security team's; an alert is read as TLP allows, and its STIX
export carries sightings for the security team only."""

from __future__ import annotations

import json

from django.test import Client

from portcullis.approaches.tests.builders import make_report
from portcullis.approaches.tests.test_access import api_client
from portcullis.intel.models import Campaign, Observable, Origin, Sighting
from portcullis.intel.tests.builders import make_alert
from portcullis.intel.tlp import Tlp
from portcullis.test import BaseTestCase

EVERYONE = BaseTestCase.cast_roles
SECURITY = {"security"}


class IntelAccessTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.alert = make_alert(cls.security, tlp=Tlp.GREEN)
        cls.report = make_report(
            cls.staffer, approacher_name="Amanda Qiu", account="from amanda.qiu@br-yr.example"
        )
        make_report(cls.outsider, approacher_name="QIU Amanda")
        cls.report.refresh_from_db()
        campaign = cls.report.campaign
        assert campaign is not None
        cls.campaign = campaign

    def status(self, role: str, url: str, method: str = "get") -> int:
        client = self.client_for(getattr(self, role))
        return int(getattr(client, method)(url).status_code)

    def expect(self, url: str, allowed: set[str], denied: int, method: str = "get") -> None:
        for role in EVERYONE:
            with self.subTest(role=role, url=url):
                expected = (200 if method == "get" else 302) if role in allowed else denied
                self.assertEqual(self.status(role, url, method), expected)

    def test_campaign_pages_are_for_security_officers(self) -> None:
        url = self.campaign.get_absolute_url()
        self.expect("/intel/campaigns/", SECURITY, denied=403)
        self.expect(url, SECURITY, denied=403)
        self.expect(f"{url}stix/", SECURITY, denied=403)
        self.expect(f"{url}merge/", SECURITY, denied=403, method="post")
        self.expect(f"{url}split/", SECURITY, denied=403, method="post")

    def test_the_campaign_api_lists_and_opens_campaigns_for_security_only(self) -> None:
        for role in EVERYONE:
            client = api_client(getattr(self, role))
            with self.subTest(role=role):
                listed = client.get("/api/v1/campaigns/").json()
                detail = client.get(f"/api/v1/campaigns/{self.campaign.public_id}/")
                stix = client.get(f"/api/v1/campaigns/{self.campaign.public_id}/stix/")
                if role in SECURITY:
                    self.assertEqual(listed["count"], 1)
                    self.assertEqual(
                        set(detail.json()["origins"]),
                        set(self.campaign.origins.values_list("label", flat=True)),
                    )
                    self.assertEqual(stix.status_code, 200)
                else:
                    self.assertEqual(listed["count"], 0)
                    self.assertEqual(detail.status_code, 404)
                    self.assertEqual(stix.status_code, 404)

    def test_observables_sightings_and_origins_are_read_by_security_only(self) -> None:
        total = (Observable.objects.count(), Sighting.objects.count(), Origin.objects.count())
        self.assertTrue(all(total))
        for role in EVERYONE:
            user = getattr(self, role)
            with self.subTest(role=role):
                seen = (
                    Observable.objects.visible_to(user).count(),
                    Sighting.objects.visible_to(user).count(),
                    Origin.objects.visible_to(user).count(),
                    Campaign.objects.visible_to(user).count(),
                )
                self.assertEqual(seen, (*total, 1) if role in SECURITY else (0, 0, 0, 0))

    def test_a_reports_observables_and_related_reports_show_on_its_page_to_security_only(
        self,
    ) -> None:
        url = self.report.get_absolute_url()
        readers = {"staffer", "member", "manager", "security"}  # the reporter's office, named
        for role in EVERYONE:
            with self.subTest(role=role):
                response = self.client_for(getattr(self, role)).get(url)
                self.assertEqual(response.status_code, 200 if role in readers else 404)
                shown = b"Reports sharing an observable" in response.content
                self.assertEqual(shown, role in SECURITY)
                self.assertEqual(b"(approacher_name)" in response.content, role in SECURITY)

    def test_an_alert_from_an_origin_is_drafted_by_security_only(self) -> None:
        origin = self.report.origin
        assert origin is not None
        self.expect(f"/intel/alerts/new/?origin={origin.public_id}", SECURITY, denied=403)

    def test_an_alerts_stix_export_carries_sightings_for_security_only(self) -> None:
        url = f"{self.alert.get_absolute_url()}stix/"
        for role in EVERYONE:
            with self.subTest(role=role):
                response = self.client_for(getattr(self, role)).get(url)
                self.assertEqual(response.status_code, 200)
                types = {o["type"] for o in json.loads(response.content)["objects"]}
                self.assertEqual("sighting" in types, role in SECURITY)

    def test_anonymous_visitors_are_sent_to_sign_in(self) -> None:
        for url in ("/intel/campaigns/", self.campaign.get_absolute_url(), "/intel/alerts/"):
            with self.subTest(url=url):
                response = Client().get(url)
                self.assertEqual(response.status_code, 302)
                self.assertIn("/sign-in/", response["Location"])
