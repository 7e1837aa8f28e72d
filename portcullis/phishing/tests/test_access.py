"""Who sees what: reports (own vs security), per-person simulation results (security only),
office aggregates (their own office's managers), and 404 for what is out of scope."""

from __future__ import annotations

from django.urls import reverse

from portcullis.phishing.models import ReportedEmail, Target
from portcullis.phishing.services import reports, simulations
from portcullis.test import BaseTestCase

from .app_builders import MONDAY, add_staff, at, draft_campaign, impersonation

SECURITY_ONLY = (
    "phishing:queue",
    "phishing:campaigns",
    "phishing:campaign-new",
    "phishing:templates",
    "phishing:do-not-test",
    "phishing:profiles",
)


class AccessTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.report = reports.file_report(raw=impersonation(), actor=cls.staffer, source="upload")
        add_staff(cls.office_a, 4, "Extra")
        add_staff(cls.office_b, 5, "Other")
        cls.campaign = draft_campaign(cls.security, [cls.office_a, cls.office_b])
        simulations.schedule_campaign(campaign=cls.campaign, actor=cls.security, now=at(MONDAY, 8))

    def test_security_only_pages_refuse_every_other_role(self) -> None:
        for role in self.cast_roles:
            client = self.client_for(getattr(self, role))
            for name in SECURITY_ONLY:
                expected = 200 if role == "security" else 403
                self.assertEqual(client.get(reverse(name)).status_code, expected, (role, name))

    def test_a_report_is_seen_by_its_reporter_and_the_security_team_only(self) -> None:
        url = reverse("phishing:report-detail", args=[self.report.public_id])
        for role in self.cast_roles:
            expected = 200 if role in {"staffer", "security"} else 404
            self.assertEqual(
                self.client_for(getattr(self, role)).get(url).status_code, expected, role
            )

    def test_the_reports_api_lists_only_what_the_caller_may_see(self) -> None:
        for role, count in (("staffer", 1), ("member", 0), ("security", 1), ("admin", 0)):
            response = self.client_for(getattr(self, role)).get("/api/v1/phishing/reports/")
            self.assertEqual(response.json()["count"], count, role)

    def test_only_security_officers_see_per_person_results(self) -> None:
        detail = reverse("phishing:campaign-detail", args=[self.campaign.public_id])
        api = f"/api/v1/phishing/campaigns/{self.campaign.public_id}/targets/"
        security = self.client_for(self.security)
        self.assertContains(security.get(detail), self.staffer.person.full_name)
        self.assertEqual(len(security.get(api).json()), Target.objects.count())
        self.assertEqual(self.client_for(self.manager).get(detail).status_code, 403)
        self.assertEqual(self.client_for(self.manager).get(api).status_code, 403)
        for role in ("member", "staffer", "outsider", "gate", "party_officer", "admin"):
            client = self.client_for(getattr(self, role))
            self.assertEqual(client.get(detail).status_code, 404, role)
            self.assertEqual(client.get(api).status_code, 404, role)

    def test_office_managers_see_their_own_offices_aggregate_only(self) -> None:
        url = reverse("phishing:campaign-results", args=[self.campaign.public_id])
        page = self.client_for(self.manager).get(url)
        self.assertEqual([f.label for f in page.context["offices"]], ["Office A"])
        self.assertEqual(page.context["houses"], [])
        self.assertNotContains(page, self.staffer.person.full_name)
        self.assertNotContains(page, "Office B")
        api = self.client_for(self.manager).get(
            f"/api/v1/phishing/campaigns/{self.campaign.public_id}/results/"
        )
        self.assertEqual([row["label"] for row in api.json()["offices"]], ["Office A"])
        self.assertEqual(api.json()["houses"], [])
        everyone = self.client_for(self.security).get(url)
        self.assertEqual([f.label for f in everyone.context["offices"]], ["Office A", "Office B"])

    def test_other_people_cannot_open_results(self) -> None:
        url = reverse("phishing:campaign-results", args=[self.campaign.public_id])
        for role in ("member", "staffer", "outsider", "gate", "party_officer", "admin"):
            self.assertEqual(self.client_for(getattr(self, role)).get(url).status_code, 404, role)
        self.assertEqual(
            self.client_for(self.staffer).get(reverse("phishing:results")).status_code, 403
        )

    def test_only_security_can_triage(self) -> None:
        for role in ("staffer", "manager"):
            client = self.client_for(getattr(self, role))
            response = client.post(
                reverse("phishing:report-override", args=[self.report.public_id]),
                {"verdict": "clean", "reason": "mine"},
            )
            self.assertIn(response.status_code, {403, 404}, role)
        self.report.refresh_from_db()
        self.assertEqual(self.report.override_verdict, "")

    def test_anonymous_visitors_reach_only_the_simulation_links(self) -> None:
        from django.test import Client

        anonymous = Client()
        self.assertEqual(anonymous.get(reverse("phishing:report-new")).status_code, 302)
        self.assertEqual(anonymous.get("/api/v1/phishing/reports/").status_code, 401)
        self.assertEqual(anonymous.get("/l/not-a-real-token-at-all-xx/").status_code, 404)
        target = Target.objects.first()
        assert target is not None
        self.assertEqual(
            anonymous.get(f"/l/{target.token}/", HTTP_USER_AGENT="Mozilla/5.0").status_code, 200
        )
        self.assertEqual(ReportedEmail.objects.count(), 1)

    def test_the_dashboard_and_lure_pages_render_for_the_security_team(self) -> None:
        client = self.client_for(self.security)
        self.assertContains(client.get(reverse("dashboard")), 'id="triage-count"')
        self.assertNotContains(
            self.client_for(self.staffer).get(reverse("dashboard")), "triage-count"
        )
        template = self.campaign.template
        page = client.get(reverse("phishing:template-detail", args=[template.public_id]))
        self.assertContains(page, "What should give it away")
        self.assertContains(client.get(reverse("phishing:campaigns")), "Spring test")
        auth = client.get(reverse("phishing:campaign-authorise", args=[self.campaign.public_id]))
        self.assertEqual(auth.status_code, 200)

    def test_counting_results_without_a_scope_counts_no_one(self) -> None:
        """The attack on the old `campaign_targets(campaign_id, office_ids=None)`: leaving the
        office list out returned every target ("None means everyone"). Now the figures come
        from the caller's scope, and a caller with none counts nobody."""
        from portcullis.phishing import results

        everyone = Target.objects.filter(campaign=self.campaign).count()
        self.assertGreater(everyone, 10)
        for role in ("member", "staffer", "outsider", "gate", "party_officer", "admin"):
            with self.subTest(role=role):
                targets = results.campaign_targets(self.campaign, user=getattr(self, role))
                self.assertEqual(targets.count(), 0)
                self.assertEqual(results.repeat_clickers(user=getattr(self, role)), [])
        managed = results.campaign_targets(self.campaign, user=self.manager)
        self.assertEqual(set(managed.values_list("office", flat=True)), {self.office_a.pk})
        self.assertEqual(
            results.campaign_targets(self.campaign, user=self.security).count(), everyone
        )
