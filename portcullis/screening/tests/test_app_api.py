import json

from django.urls import reverse

from portcullis.screening.api import MATCH_BATCH_LIMIT
from portcullis.screening.models import MonitoredSubject, Screening
from portcullis.screening.tests.builders import person, watchlist
from portcullis.test import BaseTestCase


class MatchApiTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.source = watchlist(
            "Local watchlist", person("Viktor Grebenshchikov", dob="1961-03-02", country="RU")
        )

    def post(self, url, body, user=None):
        client = self.client_for(user or self.security)
        return client.post(url, json.dumps(body), content_type="application/json")

    def match(self, **extra):
        body = {
            "subjects": [
                {"name": "Grebenshchikov Viktor", "birth_dates": ["1961"], "type": "person"},
                {"name": "Jonah Whitcombe"},
            ],
            "purpose": "candidate vetting",
        } | extra
        return self.post(reverse("api-screening-match"), body)

    def test_a_batch_of_subjects_comes_back_in_order_with_explained_results(self):
        response = self.match()
        self.assertEqual(response.status_code, 200, response.content)
        first, second = response.json()["results"]
        self.assertEqual(first["subject"]["name"], "Grebenshchikov Viktor")
        self.assertEqual((first["hit_count"], first["new_hit_count"]), (1, 1))
        hit = next(r for r in first["results"] if r["is_match"])
        self.assertEqual(hit["list"], "local-watchlist")
        self.assertEqual(hit["list_version"], 1)
        self.assertEqual(hit["status"], "new")
        self.assertTrue(all(f["explanation"] for f in hit["features"]))
        self.assertEqual(hit["entity"]["birth_dates"], ["1961-03-02"])
        self.assertEqual(second["hit_count"], 0)
        self.assertEqual(Screening.objects.filter(trigger="api").count(), 2)

    def test_a_decision_through_the_api_is_applied_to_the_next_match(self):
        first = self.match().json()["results"][0]
        hit = next(r for r in first["results"] if r["is_match"])
        decided = self.post(
            reverse("api-screening-decisions"),
            {"result": hit["id"], "verdict": "false_match", "reason": "born in Leeds in 1990"},
        )
        self.assertEqual(decided.status_code, 201, decided.content)
        again = self.match().json()["results"][0]
        hit = next(r for r in again["results"] if r["is_match"])
        self.assertEqual(hit["status"], "cleared")
        self.assertEqual(hit["prior_decision"]["reason"], "born in Leeds in 1990")
        self.assertEqual(again["new_hit_count"], 0)

    def test_bad_requests_are_refused_and_nothing_is_screened(self):
        too_many = [{"name": f"Person {n}"} for n in range(MATCH_BATCH_LIMIT + 1)]
        cases = [
            {"subjects": too_many, "purpose": "x"},
            {"subjects": [], "purpose": "x"},
            {"subjects": [{"name": "A", "birth_dates": ["March 1961"]}], "purpose": "x"},
            {"subjects": [{"name": "A", "type": "ship"}], "purpose": "x"},
            {"subjects": [{"name": "A"}]},
        ]
        for body in cases:
            with self.subTest(body=str(body)[:60]):
                response = self.post(reverse("api-screening-match"), body)
                self.assertEqual(response.status_code, 400)
        self.assertFalse(Screening.objects.exists())

    def test_a_decision_needs_a_valid_verdict(self):
        first = self.match().json()["results"][0]
        body = {"result": first["results"][0]["id"], "verdict": "maybe", "reason": "x"}
        self.assertEqual(self.post(reverse("api-screening-decisions"), body).status_code, 400)

    def test_monitor_true_starts_monitoring_and_the_monitored_list_shows_it(self):
        self.match(monitor=True)
        self.assertEqual(MonitoredSubject.objects.filter(owner=self.security).count(), 2)
        listed = self.client_for(self.security).get(reverse("screening-monitored-list")).json()
        self.assertEqual(listed["count"], 2)

    def test_the_lists_endpoint_shows_versions_in_force_with_their_diff(self):
        listed = self.client_for(self.party_officer).get(reverse("screening-list-list")).json()
        (source,) = listed["results"]
        self.assertEqual(source["slug"], "local-watchlist")
        self.assertEqual((source["version"], source["entities"]), (1, 1))
        self.assertEqual(source["diff"], {"added": 1, "removed": 0, "changed": 0})
