"""Campaigns: linked by shared observables, shown by office/timeline/kind, merged and split."""

from __future__ import annotations

from portcullis.approaches.tests.builders import make_report
from portcullis.intel.models import Campaign
from portcullis.intel.tests.builders import make_alert
from portcullis.ledger.models import LedgerEntry
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


class CampaignAccountTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.alert = make_alert(cls.security)
        cls.a = make_report(cls.staffer, approacher_name="Amanda Qiu")
        cls.b = make_report(cls.outsider, approacher_name="QIU Amanda")
        cls.a.refresh_from_db()
        cls.campaign = cls.a.campaign

    def test_status_owner_and_description_are_changed_with_a_ledger_row(self) -> None:
        url = self.campaign.get_absolute_url()  # type: ignore[union-attr]
        response = self.client_for(self.security).post(
            f"{url}edit/",
            {"status": "closed", "owner": self.security.pk, "summary": "Recruiter lure, closed."},
        )
        self.assertRedirects(response, url)
        self.campaign.refresh_from_db()  # type: ignore[union-attr]
        self.assertEqual(
            (self.campaign.status, self.campaign.owner, self.campaign.summary),  # type: ignore[union-attr]
            ("closed", self.security, "Recruiter lure, closed."),
        )
        entry = LedgerEntry.objects.get(action="campaign.update")
        self.assertEqual(
            entry.data, {"changed": ["owner", "status", "summary"], "status": "closed"}
        )
        page = self.client_for(self.security).get(url)
        self.assertContains(page, "Recruiter lure, closed.")
        self.assertContains(page, self.security.display_name)

    def test_only_a_security_officer_may_own_it_and_only_they_may_change_it(self) -> None:
        url = f"{self.campaign.get_absolute_url()}edit/"  # type: ignore[union-attr]
        self.client_for(self.security).post(url, {"status": "active", "owner": self.staffer.pk})
        self.campaign.refresh_from_db()  # type: ignore[union-attr]
        self.assertIsNone(self.campaign.owner)  # type: ignore[union-attr]
        for user in (self.staffer, self.manager, self.admin):
            response = self.client_for(user).post(url, {"status": "closed", "summary": "x"})
            self.assertEqual(response.status_code, 403)
        self.assertFalse(LedgerEntry.objects.filter(action="campaign.update").exists())

    def test_the_page_names_the_alerts_matched_and_draws_reports_and_what_they_share(self) -> None:
        page = self.client_for(self.security).get(self.campaign.get_absolute_url())  # type: ignore[union-attr]
        html = page.content.decode()
        matched = html.split('id="campaign-matched"')[1].split("</ul>")[0]
        self.assertIn(self.alert.title, matched)
        drawing = html.split('<svg class="pc-chart__svg"')[1].split("</svg>")[0]
        self.assertIn('role="img"', drawing)
        self.assertEqual(drawing.count("<line"), 2)  # two reports, one shared name
        links = html.split('id="campaign-links"')[1].split("</table>")[0]
        self.assertIn("Amanda Qiu", links)
        self.assertIn(self.a.reference, links)
        self.assertIn(self.b.reference, links)
