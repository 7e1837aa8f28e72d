"""Campaigns: linked by shared observables, shown by office/timeline/kind, merged and split."""

from __future__ import annotations

from portcullis.approaches.tests.builders import make_report
from portcullis.intel.models import Campaign
from portcullis.intel.tests.builders import make_alert
from portcullis.test import BaseTestCase


class CampaignTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_alert(cls.security)
        cls.a = make_report(cls.staffer, approacher_name="Amanda Qiu", persona="recruiter")
        cls.b = make_report(cls.outsider, approacher_name="QIU Amanda", persona="academic")
        cls.c = make_report(cls.member, account="Write to ivan@think-tank.example")
        cls.d = make_report(cls.manager, account="ivan@think-tank.example again")
        for r in (cls.a, cls.b, cls.c, cls.d):
            r.refresh_from_db()

    def test_reports_sharing_observables_are_linked(self) -> None:
        self.assertEqual(self.a.campaign, self.b.campaign)
        self.assertEqual(self.c.campaign, self.d.campaign)
        self.assertNotEqual(self.a.campaign, self.c.campaign)
        self.assertEqual(self.a.campaign.name, "Approaches naming Amanda Qiu")  # type: ignore[union-attr]

    def test_the_campaign_page_shows_offices_kinds_timeline_and_shared_observables(self) -> None:
        page = self.client_for(self.security).get(self.a.campaign.get_absolute_url())  # type: ignore[union-attr]
        for text in (
            "Office A",
            "Office B",
            "Approach report: 2",
            self.a.reference,
            self.b.reference,
            "Amanda Qiu</span> – seen in 2",
        ):
            self.assertContains(page, text)

    def test_merge_and_split(self) -> None:
        client = self.client_for(self.security)
        first, second = self.a.campaign, self.c.campaign
        client.post(f"{second.get_absolute_url()}merge/", {"target": first.public_id})  # type: ignore[union-attr]
        second.refresh_from_db()  # type: ignore[union-attr]
        self.assertEqual(second.merged_into, first)  # type: ignore[union-attr]
        self.assertEqual(first.origins.count(), 4)  # type: ignore[union-attr]
        client.post(
            f"{first.get_absolute_url()}split/",  # type: ignore[union-attr]
            {
                "name": "Think-tank e-mails",
                "reports": [str(self.c.origin.public_id), str(self.d.origin.public_id)],  # type: ignore[union-attr]
            },
        )
        split = Campaign.objects.get(name="Think-tank e-mails")
        self.assertEqual(set(split.origins.all()), {self.c.origin, self.d.origin})
        self.assertEqual(first.origins.count(), 2)  # type: ignore[union-attr]

    def test_campaigns_are_for_security_only(self) -> None:
        url = self.a.campaign.get_absolute_url()  # type: ignore[union-attr]
        for user in (self.staffer, self.manager, self.party_officer, self.admin):
            self.assertEqual(self.client_for(user).get(url).status_code, 403)
        from portcullis.approaches.tests.test_access import api_client

        self.assertEqual(api_client(self.staffer).get("/api/v1/campaigns/").json()["count"], 0)
