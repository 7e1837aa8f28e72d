"""Integration tokens at the API's door: who a key belongs to, and which endpoints it may reach.

A key is `pct_` and 43 URL-safe characters; only its SHA-256 digest is stored. Each token is
scoped to API areas (one per app's `api.py`) and may be read-only; `TokenScope` checks both on
every request. A token of someone whose role needs MFA works only while the security team's
allowance for that person stands: the allowance is the recorded exception to MFA and the idle
timeout, and the token's expiry and scope bound it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from .models import ApiToken, ApiTokenAllowance, User

KEY_PREFIX = "pct_"

# API areas a token may be scoped to: the app whose api.py serves the endpoint.
SCOPES: dict[str, str] = {
    "directory": "Directory: you, people, offices and organisations",
    "approaches": "Approach reports",
    "intel": "Alerts and campaigns",
    "screening": "Screening",
    "phishing": "Phishing reports and simulations",
    "training": "Training and compliance",
    "protection": "Vetting and SOS devices",
    "visitors": "Visitors: invitations, today's expected visitors, check-in and check-out",
    "donations": "Donations, registers of interests and the party desk",
    "ledger": "The ledger",
}
_APP_SCOPE = {"accounts": "directory"}
# Views outside the apps that any token may read: the OpenAPI schema, its docs, the API root.
_OPEN_TO_ANY_TOKEN = ("drf_spectacular.", "rest_framework.routers")

DEFAULT_DAYS = 90
MAX_DAYS = 365
# Someone whose role needs MFA holds a token for at most this long.
MAX_DAYS_MFA_ROLE = 90
# A token's last use is written at most this often, not on every request.
_TOUCH_EVERY = timedelta(minutes=5)


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


def max_days_for(user: User) -> int:
    return MAX_DAYS_MFA_ROLE if user.requires_mfa else MAX_DAYS


def has_allowance(user: User) -> bool:
    return ApiTokenAllowance.objects.filter(user=user, withdrawn_at__isnull=True).exists()


def may_hold_tokens(user: User) -> bool:
    return user.is_active and (not user.requires_mfa or has_allowance(user))


def scope_of_view(view: Any) -> str | None:
    """The API area a view belongs to; `""` for views any token may read; None if unknown."""
    module = type(view).__module__
    if module.startswith(_OPEN_TO_ANY_TOKEN):
        return ""
    declared = getattr(view, "token_scope", None)
    if declared is not None:
        return str(declared)
    parts = module.split(".")
    if len(parts) >= 3 and parts[0] == "portcullis":
        app = parts[1]
        area = _APP_SCOPE.get(app, app)
        return area if area in SCOPES else None
    return None


class IntegrationTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`: a live token of an active user who may hold tokens."""

    def authenticate_credentials(self, key: str) -> tuple[User, ApiToken]:
        token = ApiToken.objects.live().select_related("user").filter(digest=digest(key)).first()
        if token is None or not may_hold_tokens(token.user):
            raise exceptions.AuthenticationFailed("The token is wrong, expired or revoked.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > _TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token


class TokenScope(BasePermission):
    """A request made with a token reaches only the token's areas, and reads only if read-only."""

    message = "This token may not be used here: its scope does not include this endpoint."

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return True
        if token.read_only and request.method not in SAFE_METHODS:
            return False
        area = scope_of_view(view)
        return area == "" or (area is not None and area in token.scopes)
