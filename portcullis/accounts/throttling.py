"""API rates sized by who calls: an integration token has its own budget, a person's depends on
their role (the security team's pages and tools make far more calls than an office's), and an
anonymous caller is counted by address. Rates are `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken, Role, scope_of

# Roles whose work is reading and triaging at volume: the "security" rate.
HEAVY_ROLES = (Role.SECURITY_OFFICER,)


def rate_scope(request: Request) -> str:
    """The rate that applies: `integration`, `security`, `user` or `anon`."""
    if isinstance(request.auth, ApiToken):
        return "integration"
    if not request.user or not request.user.is_authenticated:
        return "anon"
    return "security" if scope_of(request.user).has(*HEAVY_ROLES) else "user"


class RoleRateThrottle(SimpleRateThrottle):
    """One throttle for every view; it picks the caller's rate and key on each request."""

    def __init__(self) -> None:
        # The rate depends on the request, so it is chosen in `allow_request`, not here.
        self.scope = "anon"
        self.rate = None

    def allow_request(self, request: Request, view: Any) -> bool:
        self.scope = rate_scope(request)
        self.rate = self.THROTTLE_RATES.get(self.scope)
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.key_for(self.scope or "anon", self.ident_for(request))

    def ident_for(self, request: Request) -> str:
        if isinstance(request.auth, ApiToken):
            return f"token-{request.auth.pk}"
        if self.scope == "anon":
            return self.get_ident(request)
        return f"user-{request.user.pk}"

    @classmethod
    def key_for(cls, scope: str, ident: str) -> str:
        return cls.cache_format % {"scope": scope, "ident": ident}


def check_shared_cache(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """`check --deploy`: rates are counted in the cache, so with a cache per process each of
    gunicorn's workers would allow the whole rate again."""
    if settings.CACHE_URL:
        return []
    return [
        checks.Warning(
            "Each process keeps its own cache, so every web worker allows the whole API rate "
            "again and counts its own.",
            hint="Set PORTCULLIS_CACHE_URL to a Redis server every process reaches, e.g. "
            "redis://127.0.0.1:6379/1.",
            id="portcullis.W002",
        )
    ]
