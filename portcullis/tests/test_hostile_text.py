"""Issue 10 finding 8, as the attack: NUL and other characters PostgreSQL cannot hold, sent in
paths, URL parameters, form fields, cookies and headers, are a 404 or are removed; never a 500.
Run on PostgreSQL (`DATABASE_URL=...`): SQLite stores NUL and so hides the failure."""

from __future__ import annotations

from django.test import Client
from django.urls import get_resolver

from portcullis.accounts.tests.test_access import concrete, walk
from portcullis.ledger.models import LedgerEntry
from portcullis.lib.safetext import clean_data, clean_text
from portcullis.test import PASSWORD, BaseTestCase, api_client_for

NUL_QUERY = "action=%00&q=%00&status=%00&search=%00&kind=%00&page=%00&limit=%00&offset=%00"


class CleanerTests(BaseTestCase):
    def test_it_removes_nul_controls_and_surrogates_but_keeps_tabs_and_line_breaks(self) -> None:
        self.assertEqual(clean_text("a\x00b\x07c\x1b\x7f\ud800d\te\r\nf"), "abcd\te\r\nf")
        self.assertEqual(clean_data({"k\x00": ["v\x00", ("w\x00",)]}), {"k": ["v", ["w"]]})


class EdgeTests(BaseTestCase):
    def test_a_nul_in_a_public_simulation_link_is_a_404(self) -> None:
        for url in ("/l/%00/", "/l/abc%00def/", "/l/%00/continue/"):
            self.assertEqual(Client().get(url).status_code, 404, url)

    def test_a_nul_in_an_api_path_is_a_404(self) -> None:
        client = api_client_for(self.security)
        self.assertEqual(client.get("/api/v1/training/courses/%00/").status_code, 404)

    def test_a_nul_in_an_api_filter_is_removed(self) -> None:
        client = api_client_for(self.security)
        response = client.get("/api/v1/ledger/?action=%00")
        self.assertEqual(response.status_code, 200)

    def test_no_route_answers_a_nul_with_a_server_error(self) -> None:
        routes = [route for route, _ in walk(get_resolver().url_patterns)]
        security = self.client_for(self.security)
        checked = 0
        for route in routes:
            if route.startswith(("static/", "admin/")):
                continue
            url = concrete(route)
            for attempt in (f"{url}?{NUL_QUERY}", url.replace("/x/", "/%00/")):
                response = security.get(attempt)
                checked += 1
                with self.subTest(url=attempt):
                    self.assertLess(response.status_code, 500)
        self.assertGreater(checked, 100)

    def test_a_nul_in_a_form_field_is_removed_before_the_form_reads_it(self) -> None:
        client = Client()
        response = client.post(
            "/sign-in/", {"username": "staffer\x00@test.example", "password": PASSWORD}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(client.get("/api/v1/me/").json()["email"], "staffer@test.example")

    def test_a_nul_in_a_cookie_or_a_header_is_removed(self) -> None:
        client = Client(HTTP_USER_AGENT="evil\x00agent")
        client.cookies["sessionid"] = "\x00abcdefghijkl"
        response = client.post("/sign-in/", {"username": "nobody@test.example", "password": "x"})
        self.assertEqual(response.status_code, 200)
        failure = LedgerEntry.objects.filter(action="session.sign_in_failed").get()
        self.assertEqual(failure.data["user_agent"], "evilagent")
