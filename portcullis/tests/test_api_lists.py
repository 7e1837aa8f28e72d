"""Every list in the API is paginated and bounded, whatever `limit` and `offset` a client sends."""

from __future__ import annotations

from django.urls import get_resolver

from portcullis.accounts.models import Person
from portcullis.accounts.tests.test_access import concrete, walk
from portcullis.lib.api import Pagination
from portcullis.test import BaseTestCase

HOSTILE = [
    "limit=99999999999999999999",  # past bigint: was "bigint out of range", a 500
    "limit=1000000000",  # was everything in one response
    "offset=99999999999999999999",
    "limit=99999999999999999999&offset=99999999999999999999",
    "limit=-1",
    "limit=abc&offset=-5",
]


def list_urls() -> list[str]:
    """Every router list endpoint under /api/v1/ (the `*-list` routes, without a format)."""
    routes = walk(get_resolver().url_patterns)
    return sorted(
        {
            concrete(route)
            for route, name in routes
            if route.startswith("api/v1/") and name.endswith("-list") and "format" not in route
        }
    )


class EveryListIsBounded(BaseTestCase):
    def test_the_router_lists_are_found(self) -> None:
        urls = list_urls()
        self.assertGreater(len(urls), 12)
        self.assertIn("/api/v1/people/", urls)

    def test_no_limit_or_offset_is_a_server_error_or_an_unbounded_page(self) -> None:
        for user in (self.security, self.staffer):
            client = self.client_for(user)
            for url in list_urls():
                for query in HOSTILE:
                    response = client.get(f"{url}?{query}")
                    with self.subTest(user=user.email, url=url, query=query):
                        self.assertIn(response.status_code, {200, 403}, response.content[:300])
                        if response.status_code == 200:
                            body = response.json()
                            self.assertIn("results", body, "every list is paginated")
                            self.assertLessEqual(len(body["results"]), Pagination.max_limit)

    def test_a_billion_limit_is_served_as_the_maximum_page(self) -> None:
        Person.objects.bulk_create(
            Person(full_name=f"Listed Person {i}") for i in range(Pagination.max_limit + 20)
        )
        client = self.client_for(self.security)
        body = client.get("/api/v1/people/?limit=1000000000").json()
        self.assertGreater(body["count"], Pagination.max_limit)
        self.assertEqual(len(body["results"]), Pagination.max_limit)
        self.assertIn(f"limit={Pagination.max_limit}", body["next"])
