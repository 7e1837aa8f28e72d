"""Issue 15's permission point, as the attack: every role but the security team POSTs to every
authoring page of the simulations (lures, landing pages, sending profiles, campaigns, the
do-not-test list) and to the API; each is refused (403 for a page of the security team, 404 for
a campaign the caller cannot see) and nothing is written, not even a ledger row."""

from __future__ import annotations

from django.urls import reverse

from portcullis.ledger.models import LedgerEntry
from portcullis.phishing.models import (
    DoNotTest,
    EmailTemplate,
    LandingPage,
    SendingProfile,
    SimulationCampaign,
)
from portcullis.phishing.services import simulations
from portcullis.test import BaseTestCase, api_client_for

from .app_builders import MONDAY, add_staff, at, draft_campaign

OTHER_ROLES = ("member", "staffer", "manager", "outsider", "gate", "party_officer", "admin")


class AuthoringIsForTheSecurityTeamOnly(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        add_staff(cls.office_a, 4, "Extra")
        cls.scheduled = draft_campaign(cls.security, [cls.office_a])
        simulations.schedule_campaign(campaign=cls.scheduled, actor=cls.security, now=at(MONDAY, 8))
        cls.draft = draft_campaign(cls.security, [cls.office_a], profile=cls.scheduled.profile)
        cls.lure = EmailTemplate.objects.first()
        cls.page = LandingPage.objects.first()
        cls.profile = SendingProfile.objects.first()
        cls.entry = simulations.add_do_not_test(
            person=cls.member.person, reason="bereavement", until=None, actor=cls.security
        )

    def posts(self) -> list[tuple[str, dict[str, object], SimulationCampaign | None]]:
        """(URL, data, the campaign the URL names if any) for every authoring action."""
        lure, page, profile = self.lure, self.page, self.profile
        assert lure is not None and page is not None and profile is not None
        office = str(self.office_a.pk)
        pages: list[tuple[str, dict[str, object], SimulationCampaign | None]] = [
            (reverse("phishing:templates-install"), {}, None),
            (reverse("phishing:template-new"), {"name": "Mine", "subject": "x"}, None),
            (reverse("phishing:template-edit", args=[lure.public_id]), {"name": "Mine"}, None),
            (
                reverse("phishing:template-test-send", args=[lure.public_id]),
                {"profile": profile.pk},
                None,
            ),
            (reverse("phishing:landing-new"), {"name": "Mine", "field_labels": "x"}, None),
            (reverse("phishing:landing-edit", args=[page.public_id]), {"name": "Mine"}, None),
            (reverse("phishing:profiles"), {"name": "Mine", "host": "evil.example"}, None),
            (
                reverse("phishing:profile-edit", args=[profile.public_id]),
                {"name": "Mine", "host": "evil.example", "port": 25},
                None,
            ),
            (reverse("phishing:profile-test", args=[profile.public_id]), {}, None),
            (reverse("phishing:do-not-test"), {"email": "staffer@test.example"}, None),
            (reverse("phishing:do-not-test-remove", args=[self.entry.public_id]), {}, None),
            (
                reverse("phishing:campaign-new"),
                {"name": "Mine", "offices": [office], "roles": ["staffer"]},
                None,
            ),
        ]
        for campaign, names in (
            (self.draft, ("authorise", "targets", "schedule", "test-send", "cancel")),
            (self.scheduled, ("pause", "resume", "cancel")),
        ):
            for name in names:
                url = reverse(f"phishing:campaign-{name}", args=[campaign.public_id])
                data: dict[str, object] = {"remove": [str(self.staffer.person.public_id)]}
                pages.append((url, data, campaign))
        return pages

    def state(self) -> tuple[object, ...]:
        return (
            LedgerEntry.objects.count(),
            list(SimulationCampaign.objects.values_list("name", "status").order_by("pk")),
            list(EmailTemplate.objects.values_list("name", "subject").order_by("pk")),
            list(LandingPage.objects.values_list("name", flat=True).order_by("pk")),
            list(SendingProfile.objects.values_list("name", "host").order_by("pk")),
            DoNotTest.objects.count(),
            self.draft.excluded_people.count(),
        )

    def test_attack_other_roles_posting_to_authoring_pages_are_refused_and_change_nothing(
        self,
    ) -> None:
        before = self.state()
        for role in OTHER_ROLES:
            client = self.client_for(getattr(self, role))
            for url, data, campaign in self.posts():
                # A campaign that tested an office is visible to its manager (for its figures):
                # they are refused the action; anyone else is told it does not exist.
                seen = campaign is None or (role == "manager" and campaign == self.scheduled)
                expected = 403 if seen else 404
                with self.subTest(role=role, url=url):
                    self.assertEqual(client.post(url, data).status_code, expected)
        self.assertEqual(self.state(), before)

    def test_attack_the_api_has_no_way_to_write_a_campaign(self) -> None:
        roles = (*OTHER_ROLES, "security")
        clients = {role: api_client_for(getattr(self, role)) for role in roles}
        before = self.state()
        campaign = f"/api/v1/phishing/campaigns/{self.draft.public_id}/"
        for role, api in clients.items():
            for method, url in (
                ("post", "/api/v1/phishing/campaigns/"),
                ("put", campaign),
                ("patch", campaign),
                ("delete", campaign),
                ("post", f"{campaign}results/"),
                ("post", f"{campaign}targets/"),
            ):
                with self.subTest(role=role, method=method, url=url):
                    answer = getattr(api, method)(
                        url,
                        {"name": "Mine", "status": "cancelled"},
                        content_type="application/json",
                    )
                    self.assertEqual(answer.status_code, 405)
        self.assertEqual(self.state(), before)

    def test_through_the_api_a_manager_reads_their_offices_aggregate_and_no_person(self) -> None:
        base = f"/api/v1/phishing/campaigns/{self.scheduled.public_id}/"
        manager = api_client_for(self.manager)
        figures = manager.get(f"{base}results/").json()
        self.assertEqual([row["label"] for row in figures["offices"]], ["Office A"])
        self.assertEqual(figures["houses"], [])
        self.assertEqual(manager.get(f"{base}targets/").status_code, 403)
        for role in ("member", "staffer", "outsider", "gate", "party_officer", "admin"):
            with self.subTest(role=role):
                self.assertEqual(api_client_for(getattr(self, role)).get(base).status_code, 404)
