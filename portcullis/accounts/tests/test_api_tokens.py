"""Integration tokens, written as the attacks of issue 10 (findings 3 and 4): a token read from
admin or the database, a privileged role's token used to skip MFA and the idle timeout, a token
that never expires, and a token used beyond the endpoints it was made for."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from importlib import import_module
from types import SimpleNamespace
from typing import Any

from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from portcullis.accounts import services, tokens
from portcullis.accounts.models import ApiToken, ApiTokenAllowance
from portcullis.ledger.actors import WORKER
from portcullis.ledger.models import LedgerEntry
from portcullis.test import BaseTestCase, api_token_for


def token_client(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


class StoredHashedTests(BaseTestCase):
    def test_the_key_is_kept_nowhere_only_its_digest(self) -> None:
        key = api_token_for(self.staffer)
        token = ApiToken.objects.get(user=self.staffer)
        self.assertEqual(token.digest, hashlib.sha256(key.encode()).hexdigest())
        row = ApiToken.objects.filter(pk=token.pk).values().get()
        self.assertNotIn(key, [str(value) for value in row.values()])

    def test_admin_shows_an_administrator_no_key_and_no_digest(self) -> None:
        key = api_token_for(self.staffer)
        token = ApiToken.objects.get(user=self.staffer)
        self.admin.is_staff = self.admin.is_superuser = True
        self.admin.save()
        client = self.client_for(self.admin)
        for url in (
            "/admin/accounts/apitoken/",
            f"/admin/accounts/apitoken/{token.pk}/change/",
        ):
            page = client.get(url)
            self.assertEqual(page.status_code, 200, url)
            self.assertNotContains(page, key)
            self.assertNotContains(page, token.digest)
        self.assertFalse(connection.introspection.table_names().count("authtoken_token"))

    def test_the_migration_hashes_old_clear_tokens_and_drops_their_table(self) -> None:
        migration = import_module("portcullis.accounts.migrations.0002_api_tokens")
        old_key = "0" * 39 + "1"
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id bigint)"
            )
            cursor.execute(
                "INSERT INTO authtoken_token VALUES (%s, %s)", [old_key, self.outsider.pk]
            )
        # The parts of a schema editor the migration uses (SQLite cannot open one in a test).
        editor = SimpleNamespace(
            connection=connection, execute=lambda sql: connection.cursor().execute(sql)
        )
        migration.hash_old_tokens(apps, editor)
        self.assertNotIn("authtoken_token", connection.introspection.table_names())
        self.assertEqual(token_client(old_key).get("/api/v1/me/").status_code, 200)
        token = ApiToken.objects.get(user=self.outsider)
        self.assertLess(token.expires_at, timezone.now() + timedelta(days=91))


class PrivilegedRoleTests(BaseTestCase):
    def test_a_security_officer_cannot_make_a_token_without_the_teams_allowance(self) -> None:
        with self.assertRaises(services.ApiTokenError):
            services.issue_api_token(
                user=self.security, actor=self.security, name="Mine", scopes=["approaches"]
            )
        page = self.client_for(self.security).post(
            "/account/api-tokens/", {"name": "Mine", "scopes": ["approaches"], "days": "30"}
        )
        self.assertContains(page, "only if the security team allows it")
        self.assertFalse(ApiToken.objects.filter(user=self.security).exists())

    def test_a_token_of_a_privileged_role_without_allowance_opens_nothing(self) -> None:
        # A token that exists without an allowance (e.g. migrated from the old clear tokens).
        key = tokens.new_key()
        ApiToken.objects.create(
            user=self.security,
            name="old",
            digest=tokens.digest(key),
            prefix=key[:10],
            scopes=sorted(tokens.SCOPES),
            expires_at=timezone.now() + timedelta(days=30),
        )
        for url in ("/api/v1/me/", "/api/v1/approaches/", "/api/v1/ledger/"):
            self.assertEqual(token_client(key).get(url).status_code, 401, url)

    def test_an_officer_cannot_allow_themselves_and_withdrawal_stops_the_token(self) -> None:
        other = self.security
        with self.assertRaises(services.ApiTokenError):
            services.allow_api_tokens(user=other, actor=other, reason="my scripts")
        services.allow_api_tokens(user=self.gate, actor=other, reason="gate kiosk")
        self.assertTrue(
            LedgerEntry.objects.about(self.gate).filter(action="api_token.allow").exists()
        )
        _, key = services.issue_api_token(
            user=self.gate, actor=self.gate, name="Kiosk", scopes=["directory"], days=30
        )
        self.assertEqual(token_client(key).get("/api/v1/me/").status_code, 200)
        services.withdraw_api_token_allowance(user=self.gate, actor=other)
        self.assertEqual(token_client(key).get("/api/v1/me/").status_code, 401)

    def test_a_privileged_roles_token_lasts_at_most_90_days(self) -> None:
        ApiTokenAllowance.objects.create(user=self.security, reason="SIEM feed")
        with self.assertRaises(services.ApiTokenError) as raised:
            services.issue_api_token(
                user=self.security, actor=WORKER, name="SIEM", scopes=["intel"], days=365
            )
        self.assertEqual(raised.exception.field, "days")


class AllowancePageTests(BaseTestCase):
    def url(self, user: Any) -> str:
        return f"/people/{user.person.public_id}/api-tokens/"

    def test_a_security_officer_allows_another_privileged_person_on_their_page(self) -> None:
        client = self.client_for(self.security)
        page = client.get(f"/people/{self.gate.person.public_id}/")
        self.assertContains(page, "Allow API tokens")
        response = client.post(self.url(self.gate), {"reason": "Gate kiosk feed"})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(tokens.may_hold_tokens(self.gate))
        self.assertTrue(LedgerEntry.objects.about(self.gate).filter(action="api_token.allow"))
        self.assertContains(client.get(response["Location"]), "Gate kiosk feed")
        client.post(self.url(self.gate), {"withdraw": "1"})
        self.assertFalse(tokens.may_hold_tokens(self.gate))

    def test_nobody_allows_themselves_and_only_the_security_team_may_allow(self) -> None:
        own = self.client_for(self.security).post(self.url(self.security), {"reason": "mine"})
        self.assertContains(own, "Another security officer must allow this")
        self.assertFalse(tokens.may_hold_tokens(self.security))
        for user in (self.admin, self.staffer):
            response = self.client_for(user).post(self.url(self.gate), {"reason": "x"})
            self.assertIn(response.status_code, {403, 404}, user)
        self.assertFalse(tokens.may_hold_tokens(self.gate))

    def test_the_reason_is_required(self) -> None:
        page = self.client_for(self.security).post(self.url(self.gate), {"reason": ""})
        self.assertContains(page, "Enter why this person needs an API token")


class ExpiryAndRevocationTests(BaseTestCase):
    def test_an_expired_token_is_refused(self) -> None:
        key = api_token_for(self.staffer)
        ApiToken.objects.filter(user=self.staffer).update(expires_at=timezone.now())
        self.assertEqual(token_client(key).get("/api/v1/me/").status_code, 401)

    def test_the_owner_lists_and_revokes_a_token_on_the_page(self) -> None:
        client = self.client_for(self.staffer)
        made = client.post(
            "/account/api-tokens/", {"name": "Casework CRM", "scopes": ["approaches"], "days": "30"}
        )
        key = made.context["new_key"]
        self.assertTrue(key.startswith("pct_"))
        self.assertContains(made, key)
        self.assertEqual(token_client(key).get("/api/v1/approaches/").status_code, 200)
        listing = client.get("/account/api-tokens/")
        self.assertContains(listing, "Casework CRM")
        self.assertNotContains(listing, key)
        token = ApiToken.objects.get(user=self.staffer)
        client.post(f"/account/api-tokens/{token.public_id}/revoke/")
        self.assertEqual(token_client(key).get("/api/v1/approaches/").status_code, 401)
        self.assertTrue(LedgerEntry.objects.filter(action="api_token.revoke").exists())

    def test_nobody_else_can_revoke_a_token(self) -> None:
        key = api_token_for(self.staffer)
        token = ApiToken.objects.get(user=self.staffer)
        response = self.client_for(self.manager).post(
            f"/account/api-tokens/{token.public_id}/revoke/"
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(token_client(key).get("/api/v1/me/").status_code, 200)

    def test_the_form_names_each_missing_field(self) -> None:
        page = self.client_for(self.staffer).post("/account/api-tokens/", {"name": ""})
        self.assertContains(page, "Enter a name", status_code=200)
        self.assertContains(page, "Select the parts of the API the integration needs")
        self.assertContains(page, "Choose when the token expires")


class ScopeTests(BaseTestCase):
    def test_a_token_reaches_only_its_areas(self) -> None:
        client = token_client(api_token_for(self.security, scopes=["training"]))
        self.assertEqual(client.get("/api/v1/training/courses/").status_code, 200)
        for url in ("/api/v1/approaches/", "/api/v1/ledger/", "/api/v1/people/"):
            self.assertEqual(client.get(url).status_code, 403, url)
        self.assertEqual(client.get("/api/v1/schema/").status_code, 200)

    def test_a_read_only_token_cannot_write(self) -> None:
        client = token_client(api_token_for(self.security, scopes=["screening"], write=False))
        response = client.post(
            "/api/v1/screening/match",
            {"subjects": [{"name": "A"}]},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 403)

    def test_every_api_view_checks_the_token_scope(self) -> None:
        views = list(_api_views(get_resolver().url_patterns))
        self.assertGreater(len(views), 20)
        for route, view in views:
            cls = getattr(view, "cls", None)
            if cls is None or cls.__module__.startswith("drf_spectacular"):
                continue
            permissions = cls.permission_classes
            self.assertIn(tokens.TokenScope, permissions, route)
            self.assertIsNotNone(tokens.scope_of_view(cls()), route)


def _api_views(patterns: list[Any], prefix: str = "") -> Any:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _api_views(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api/"):
            yield route, pattern.callback
