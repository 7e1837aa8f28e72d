"""Listing approach reports runs a fixed number of queries, however many reports and matches
there are: pages and API alike (the alert matches a reader may see are fetched once)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from portcullis.accounts.models import User
from portcullis.approaches.tests.builders import make_report
from portcullis.approaches.tests.test_access import api_client
from portcullis.intel.tests.builders import make_alert
from portcullis.intel.tlp import Tlp
from portcullis.test import BaseTestCase


class ListQueryCountTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_alert(cls.security)
        make_alert(cls.security, tlp=Tlp.RED, audience="people", recipients=[cls.member.person])

    def _add_reports(self, count: int) -> None:
        for n in range(count):
            reporter = (self.staffer, self.member)[n % 2]
            make_report(
                reporter,
                approacher_name="QIU Amanda" if n % 3 else f"Bertram Quill {n}",
                account="Mail me at amanda.qiu@br-yr.example" if n % 2 else "",
                anonymous=n % 4 == 1,
            )

    def _queries(self, user: User, url: str, *, api: bool) -> int:
        client = api_client(user) if api else self.client_for(user)
        client.get(url)  # sessions, tokens and caches warmed
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_the_same_number_of_queries_for_few_and_many_reports(self) -> None:
        cases = [
            (self.staffer, "/api/v1/approaches/", True),
            (self.security, "/api/v1/approaches/", True),
            (self.staffer, "/approaches/", False),
            (self.security, "/approaches/triage/", False),
        ]
        self._add_reports(3)
        few = {(user.email, url): self._queries(user, url, api=api) for user, url, api in cases}
        self._add_reports(9)
        many = {(user.email, url): self._queries(user, url, api=api) for user, url, api in cases}
        self.assertEqual(many, few)
