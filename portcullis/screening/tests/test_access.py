"""Every role × inside/outside its scope, for pages and the API."""

import json

from django.urls import reverse

from portcullis.accounts.models import Role
from portcullis.ledger.actors import WORKER
from portcullis.screening.batch import start_batch
from portcullis.screening.models import BatchScreening, MonitoredSubject, OutcomeChange, Screening
from portcullis.screening.services import monitor_subject, screen_subject
from portcullis.screening.tests.builders import person, query, watchlist
from portcullis.test import BaseTestCase, make_user

SCREENERS = ("security", "party_officer")
NON_SCREENERS = ("member", "staffer", "manager", "outsider", "gate", "admin")


class AccessTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party_b_officer = make_user(
            "party.b@test.example", Role.PARTY_COMPLIANCE_OFFICER, organisation=cls.party_b
        )
        cls.source = watchlist("Local watchlist", person("Viktor Grebenshchikov"))
        cls.mine = cls.screening(cls.party_officer, cls.party_a)
        cls.theirs = cls.screening(cls.party_b_officer, cls.party_b)
        cls.security_own = cls.screening(cls.security, None)
        cls.monitored_theirs = monitor_subject(
            subject=cls.theirs.subject, owner=cls.party_b_officer, purpose="x", actor=WORKER
        )
        cls.batch_theirs = BatchScreening.objects.create(
            party=cls.party_b, purpose="donors", file_name="b.csv", created_by=cls.party_b_officer
        )

    @classmethod
    def screening(cls, actor, party):
        return screen_subject(
            subject=query("Viktor Grebenshchikov"), actor=actor, purpose="donor", party=party
        )

    def get(self, role, url):
        return self.client_for(getattr(self, role)).get(url)

    # --- pages --------------------------------------------------------------------------------

    def test_only_security_and_party_officers_can_open_the_screening_pages(self):
        urls = [
            reverse("screening:screen"),
            reverse("screening:screenings"),
            reverse("screening:batches"),
            reverse("screening:monitoring"),
            reverse("screening:lists"),
            reverse("screening:list-detail", args=[self.source.public_id]),
            reverse("screening:version-detail", args=[self.source.current_version.public_id]),
        ]
        for url in urls:
            for role in SCREENERS:
                with self.subTest(url=url, role=role):
                    self.assertEqual(self.get(role, url).status_code, 200)
            for role in NON_SCREENERS:
                with self.subTest(url=url, role=role):
                    self.assertEqual(self.get(role, url).status_code, 403)

    def test_non_screeners_cannot_screen_by_posting_either(self):
        for role in NON_SCREENERS:
            with self.subTest(role=role):
                response = self.client_for(getattr(self, role)).post(
                    reverse("screening:screen"),
                    {"name": "Viktor Grebenshchikov", "entity_type": "unknown", "purpose": "x"},
                )
                self.assertEqual(response.status_code, 403)
        self.assertEqual(Screening.objects.count(), 3)

    def test_a_party_officer_sees_only_their_partys_screenings(self):
        detail = "screening:screening-detail"
        self.assertEqual(
            self.get("party_officer", reverse(detail, args=[self.mine.public_id])).status_code, 200
        )
        for other in (self.theirs, self.security_own):
            self.assertEqual(
                self.get("party_officer", reverse(detail, args=[other.public_id])).status_code, 404
            )
        listing = self.get("party_officer", reverse("screening:screenings")).content.decode()
        self.assertEqual(listing.count(reverse(detail, args=[self.mine.public_id])), 1)
        self.assertNotIn(str(self.theirs.public_id), listing)
        self.assertNotIn(str(self.security_own.public_id), listing)

    def test_the_security_team_sees_every_partys_screenings(self):
        for screening in (self.mine, self.theirs, self.security_own):
            url = reverse("screening:screening-detail", args=[screening.public_id])
            self.assertEqual(self.get("security", url).status_code, 200)

    def test_a_party_officer_cannot_decide_monitor_or_download_for_another_party(self):
        client = self.client_for(self.party_officer)
        result = self.theirs.results.first()
        posts = [
            (
                reverse("screening:result-decide", args=[result.public_id]),
                {"verdict": "false_match", "reason": "x"},
            ),
            (reverse("screening:screening-monitor", args=[self.theirs.public_id]), {}),
            (reverse("screening:monitoring-stop", args=[self.monitored_theirs.public_id]), {}),
        ]
        for url, data in posts:
            with self.subTest(url=url):
                self.assertEqual(client.post(url, data).status_code, 404)
        for url in (
            reverse("screening:batch-detail", args=[self.batch_theirs.public_id]),
            reverse("screening:batch-result", args=[self.batch_theirs.public_id]),
        ):
            self.assertEqual(client.get(url).status_code, 404)
        self.assertFalse(result.decisions.exists())
        self.assertTrue(MonitoredSubject.objects.get(pk=self.monitored_theirs.pk).is_active)

    def test_only_security_officers_change_lists(self):
        client = self.client_for(self.party_officer)
        posts = [
            reverse("screening:watchlist-create"),
            reverse("screening:list-entry-add", args=[self.source.public_id]),
            reverse("screening:list-entry-remove", args=[self.source.public_id]),
            reverse("screening:list-import", args=[self.source.public_id]),
        ]
        for url in posts:
            with self.subTest(url=url):
                self.assertEqual(client.post(url, {"name": "X"}).status_code, 403)
        self.assertEqual(self.source.versions.count(), 1)

    def panel(self, role):
        """The screening dashboard panel as `role` sees it (rendered alone: other apps' panels
        are not this app's business)."""
        from django.template.loader import render_to_string
        from django.test import RequestFactory

        from portcullis.lib.dashboard import PANELS

        request = RequestFactory().get("/")
        request.user = getattr(self, role)
        item = PANELS["screening.monitoring"]
        if item.rule is not None and not item.rule(request.user):
            return ""
        return render_to_string(item.template, {"panel_context": item.context(request)})

    def test_the_dashboard_panel_shows_only_the_viewers_partys_changes(self):
        OutcomeChange.objects.create(
            monitored=self.monitored_theirs,
            screening=self.theirs,
            kind=OutcomeChange.Kind.NEW_HIT,
            source=self.source,
            external_id="x",
            caption="Secret Party B Hit",
        )
        figure = '<p class="pc-figure">{}</p>'
        self.assertIn(figure.format(1), self.panel("party_b_officer"))
        self.assertIn(figure.format(1), self.panel("security"))
        mine = self.panel("party_officer")
        self.assertIn("Open monitoring", mine)
        self.assertIn(figure.format(0), mine)
        self.assertNotIn("Secret Party B Hit", mine + self.panel("security"))
        for role in NON_SCREENERS:
            self.assertEqual(self.panel(role), "")

    # --- API ----------------------------------------------------------------------------------

    def post_json(self, role, url, data):
        return self.client_for(getattr(self, role)).post(
            url, json.dumps(data), content_type="application/json"
        )

    def test_only_screeners_may_call_the_match_api(self):
        body = {"subjects": [{"name": "Viktor Grebenshchikov"}], "purpose": "donor check"}
        url = reverse("api-screening-match")
        for role in NON_SCREENERS:
            with self.subTest(role=role):
                self.assertEqual(self.post_json(role, url, body).status_code, 403)
        for role in SCREENERS:
            with self.subTest(role=role):
                self.assertEqual(self.post_json(role, url, body).status_code, 200)
        made = Screening.objects.filter(trigger="api")
        self.assertEqual(sorted(str(s.party) for s in made), ["None", "Party A"])

    def test_a_party_officer_cannot_screen_for_another_party(self):
        body = {
            "subjects": [{"name": "Viktor Grebenshchikov"}],
            "purpose": "donor check",
            "party": str(self.party_b.public_id),
        }
        response = self.post_json("party_officer", reverse("api-screening-match"), body)
        self.assertEqual(response.status_code, 400)
        self.assertIn("party", response.json())

    def test_the_api_lists_only_visible_screenings(self):
        url = reverse("screening-screening-list")
        ids = {r["id"] for r in self.get("party_officer", url).json()["results"]}
        self.assertEqual(ids, {str(self.mine.public_id)})
        all_ids = {r["id"] for r in self.get("security", url).json()["results"]}
        self.assertEqual(len(all_ids), 3)
        other = reverse("screening-screening-detail", args=[self.theirs.public_id])
        self.assertEqual(self.get("party_officer", other).status_code, 404)
        for role in NON_SCREENERS:
            with self.subTest(role=role):
                self.assertEqual(self.get(role, url).status_code, 403)
                self.assertEqual(self.get(role, reverse("screening-list-list")).status_code, 403)

    def test_a_decision_on_another_partys_result_is_not_found(self):
        result = self.theirs.results.first()
        body = {"result": str(result.public_id), "verdict": "false_match", "reason": "x"}
        url = reverse("api-screening-decisions")
        self.assertEqual(self.post_json("party_officer", url, body).status_code, 404)
        self.assertEqual(self.post_json("staffer", url, body).status_code, 403)
        self.assertEqual(self.post_json("party_b_officer", url, body).status_code, 201)

    def test_anonymous_callers_are_turned_away(self):
        from django.test import Client

        client = Client()
        page = client.get(reverse("screening:screen"))
        self.assertEqual(page.status_code, 302)
        api = client.post(reverse("api-screening-match"), {}, content_type="application/json")
        self.assertIn(api.status_code, (401, 403))

    def test_start_batch_keeps_the_party(self):
        from django.core.files.base import ContentFile

        batch = start_batch(
            upload=ContentFile(b"name\nX\n"),
            file_name="x.csv",
            purpose="p",
            party=self.party_a,
            actor=self.party_officer,
        )
        self.assertEqual(list(BatchScreening.objects.visible_to(self.party_officer)), [batch])
