"""Issue 10 finding 13, as the attack: a busy security officer was throttled at 2,000 API calls
an hour. Rates are per role and per token; the hour is simulated by filling the throttle's own
history (timestamps of now), so nothing waits."""

from __future__ import annotations

from django.core.cache import cache

from portcullis.accounts.models import ApiToken
from portcullis.accounts.throttling import RoleRateThrottle
from portcullis.test import BaseTestCase, api_client_for


def spend(scope: str, ident: str, calls: int) -> None:
    """Record `calls` requests made just now against the budget of `scope`/`ident`."""
    now = RoleRateThrottle().timer()
    cache.set(RoleRateThrottle.key_for(scope, ident), [now] * calls, 3600)


class ThrottleTests(BaseTestCase):
    def tearDown(self) -> None:
        cache.clear()

    def test_a_security_officer_is_not_throttled_after_2001_calls_in_an_hour(self) -> None:
        spend("security", f"user-{self.security.pk}", 2001)
        response = self.client_for(self.security).get("/api/v1/me/")
        self.assertEqual(response.status_code, 200)

    def test_a_staffer_is_still_throttled_at_2000_an_hour(self) -> None:
        client = self.client_for(self.staffer)
        spend("user", f"user-{self.staffer.pk}", 1999)
        self.assertEqual(client.get("/api/v1/me/").status_code, 200)
        response = client.get("/api/v1/me/")
        self.assertEqual(response.status_code, 429)
        self.assertIn("Retry-After", response)

    def test_each_integration_token_has_its_own_budget(self) -> None:
        first = api_client_for(self.staffer)
        second = api_client_for(self.staffer)
        spent, fresh = ApiToken.objects.order_by("pk")
        spend("integration", f"token-{spent.pk}", 10_000)
        self.assertEqual(first.get("/api/v1/me/").status_code, 429)
        self.assertEqual(second.get("/api/v1/me/").status_code, 200)
        # and the person's own pages are not spent by their integrations
        self.assertEqual(self.client_for(self.staffer).get("/api/v1/me/").status_code, 200)
