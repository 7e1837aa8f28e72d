"""Role × scope matrix for the accounts pages and API, and the anonymous walk of every URL."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from portcullis.accounts.models import Person
from portcullis.test import BaseTestCase

# Pages anyone may open: signing in and recovering an account.
PUBLIC_URL_NAMES = {
    "accounts:sign-in",
    "accounts:mfa-verify",
    "accounts:password-reset",
    "accounts:password-reset-done",
    "accounts:password-reset-confirm",
    "accounts:password-reset-complete",
    "health",
    "admin:login",  # redirects to our sign-in page
}


def walk(patterns: list, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    found = []
    for item in patterns:
        if isinstance(item, URLResolver):
            ns = f"{namespace}{item.namespace}:" if item.namespace else namespace
            found += walk(item.url_patterns, prefix + str(item.pattern), ns)
        elif isinstance(item, URLPattern):
            found.append((prefix + str(item.pattern), f"{namespace}{item.name or ''}"))
    return found


def concrete(route: str) -> str:
    """Fill converters and regex groups with plausible values."""
    route = re.sub(r"\(\?P<format>[^)]*\)", "json", route)
    route = re.sub(r"\(\?P<[^>]+>[^)]*\)", "00000000-0000-0000-0000-000000000000", route)
    route = re.sub(r"<uuid:[^>]+>", "00000000-0000-0000-0000-000000000000", route)
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<[^>]+>", "x", route)
    return "/" + route.replace("^", "").replace("$", "").replace("\\", "").replace("/?", "/")


class AnonymousUsersAreRefusedEverywhere(BaseTestCase):
    def test_every_url_refuses_anonymous_users(self) -> None:
        routes = walk(get_resolver().url_patterns)
        self.assertGreater(len(routes), 30)
        client = Client()
        checked = 0
        for route, name in routes:
            if name in PUBLIC_URL_NAMES or route.startswith("static/"):
                continue
            url = concrete(route)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                with self.subTest(url=url, method=method, name=name):
                    if response.status_code == 302:
                        # The admin's own sign-in URL redirects to ours.
                        self.assertRegex(response["Location"], r"^/(sign-in|admin/login)/")
                    else:
                        self.assertIn(response.status_code, {401, 403, 404, 405})
                        self.assertNotIn(b"member@test.example", response.content)
                checked += 1
        self.assertGreater(checked, 40)


class DirectoryPagesByRoleAndScope(BaseTestCase):
    def person_url(self, user) -> str:  # type: ignore[no-untyped-def]
        return f"/people/{user.person.public_id}/"

    def test_a_staffer_sees_colleagues_but_not_other_offices(self) -> None:
        client = self.client_for(self.staffer)
        self.assertEqual(client.get(self.person_url(self.member)).status_code, 200)
        self.assertEqual(client.get(self.person_url(self.outsider)).status_code, 404)
        self.assertEqual(client.get(f"/offices/{self.office_a.public_id}/").status_code, 200)
        self.assertEqual(client.get(f"/offices/{self.office_b.public_id}/").status_code, 404)

    def test_the_outsider_cannot_read_office_a(self) -> None:
        client = self.client_for(self.outsider)
        for user in (self.member, self.staffer, self.manager):
            self.assertEqual(client.get(self.person_url(user)).status_code, 404)
        self.assertEqual(client.get(f"/offices/{self.office_a.public_id}/").status_code, 404)
        listing = client.get("/people/").content.decode()
        self.assertNotIn("member@test.example", listing)
        self.assertIn("outsider@test.example", listing)

    def test_a_missing_person_and_a_hidden_person_look_the_same(self) -> None:
        client = self.client_for(self.outsider)
        hidden = client.get(self.person_url(self.member))
        missing = client.get("/people/00000000-0000-0000-0000-000000000000/")
        self.assertEqual(hidden.status_code, missing.status_code)
        strip_csrf = lambda r: re.sub(rb'value="[A-Za-z0-9]{64}"', b"", r.content)  # noqa: E731
        self.assertEqual(strip_csrf(hidden), strip_csrf(missing))

    def test_security_and_administrators_see_everyone(self) -> None:
        for user in (self.security, self.admin):
            client = self.client_for(user)
            for other in (self.member, self.outsider, self.gate):
                with self.subTest(viewer=user.email, other=other.email):
                    self.assertEqual(client.get(self.person_url(other)).status_code, 200)

    def test_a_party_officer_sees_only_their_party(self) -> None:
        client = self.client_for(self.party_officer)
        self.assertEqual(client.get(self.person_url(self.member)).status_code, 200)
        self.assertEqual(client.get(self.person_url(self.staffer)).status_code, 404)
        self.assertEqual(client.get(self.person_url(self.outsider)).status_code, 404)
        self.assertEqual(client.get(f"/offices/{self.office_a.public_id}/").status_code, 200)

    def test_a_gate_officer_sees_only_themselves_in_the_directory(self) -> None:
        client = self.client_for(self.gate)
        self.assertEqual(client.get(self.person_url(self.gate)).status_code, 200)
        self.assertEqual(client.get(self.person_url(self.member)).status_code, 404)

    def test_only_security_and_admins_import_the_directory(self) -> None:
        expected = {"security": 200, "admin": 200}
        for role in self.cast_roles:
            user = getattr(self, role)
            with self.subTest(role=role):
                status = self.client_for(user).get("/people/import/").status_code
                self.assertEqual(status, expected.get(role, 403))

    def test_only_security_and_admins_read_the_ledger(self) -> None:
        expected = {"security": 200, "admin": 200}
        for role in self.cast_roles:
            with self.subTest(role=role):
                status = self.client_for(getattr(self, role)).get("/ledger/").status_code
                self.assertEqual(status, expected.get(role, 403))


class DirectoryApiByRoleAndScope(BaseTestCase):
    def visible_people(self, user) -> set[str]:  # type: ignore[no-untyped-def]
        response = self.client_for(user).get("/api/v1/people/?limit=500")
        self.assertEqual(response.status_code, 200)
        return {p["full_name"] for p in response.json()["results"]}

    def test_the_api_scopes_people_exactly_like_the_pages(self) -> None:
        for role in self.cast_roles:
            user = getattr(self, role)
            expected = set(Person.objects.visible_to(user).values_list("full_name", flat=True))
            with self.subTest(role=role):
                self.assertEqual(self.visible_people(user), expected)

    def test_matrix_of_who_sees_whom(self) -> None:
        office_a = {self.member, self.staffer, self.manager}
        expectations = {
            "member": office_a,
            "staffer": office_a,
            "manager": office_a,
            "outsider": {self.outsider},
            "party_officer": {self.party_officer, self.member},
            "gate": {self.gate},
        }
        for role, people in expectations.items():
            with self.subTest(role=role):
                names = {str(u.person) for u in people}
                self.assertEqual(self.visible_people(getattr(self, role)), names)

    def test_another_offices_person_is_404_in_the_api(self) -> None:
        client = self.client_for(self.outsider)
        response = client.get(f"/api/v1/people/{self.member.person.public_id}/")
        self.assertEqual(response.status_code, 404)
        response = client.get(f"/api/v1/offices/{self.office_a.public_id}/")
        self.assertEqual(response.status_code, 404)

    def test_only_security_and_admins_read_the_ledger_api(self) -> None:
        for role in self.cast_roles:
            status = self.client_for(getattr(self, role)).get("/api/v1/ledger/").status_code
            with self.subTest(role=role):
                self.assertEqual(status, 200 if role in {"security", "admin"} else 403)

    def test_anonymous_api_calls_are_refused(self) -> None:
        for url in ("/api/v1/people/", "/api/v1/offices/", "/api/v1/me/", "/api/v1/ledger/"):
            self.assertIn(Client().get(url).status_code, {401, 403})

    def test_a_privileged_session_without_second_factor_cannot_use_the_api(self) -> None:
        client = Client()
        client.force_login(self.security, backend="django.contrib.auth.backends.ModelBackend")
        self.assertEqual(client.get("/api/v1/people/").status_code, 403)


class NavigationTests(BaseTestCase):
    def test_only_the_most_specific_menu_item_is_current(self) -> None:
        page = self.client_for(self.security).get("/training/compliance/").content.decode()
        self.assertEqual(page.count('aria-current="page"'), 1)
        self.assertRegex(page, r'aria-current="page">Compliance<')
        self.assertEqual(page.count('aria-current="true"'), 1)
        self.assertRegex(page, r'aria-current="true">\s*<strong[^>]*>Training<')

    def test_the_menu_shows_what_the_role_can_use(self) -> None:
        staff_page = self.client_for(self.staffer).get("/").content.decode()
        self.assertNotRegex(staff_page, r">\s*Ledger\s*<")
        security_page = self.client_for(self.security).get("/").content.decode()
        self.assertRegex(security_page, r">\s*Ledger\s*<")
