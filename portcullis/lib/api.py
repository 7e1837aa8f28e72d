"""API plumbing shared by every app's API module."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import SessionAuthentication
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request


class VerifiedSessionAuthentication(SessionAuthentication):
    """Session sign-in for the browsable API, refused until a required second factor is given."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if user.requires_mfa and not user.is_verified():
            return None
        return result


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    """Describes the session cookie in the OpenAPI schema (integrations use tokens instead)."""

    target_class = "portcullis.lib.api.VerifiedSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}


class Pagination(LimitOffsetPagination):
    """Every list's pagination: PAGE_SIZE by default, never more than `max_limit` at once.

    A larger `limit` is served as `max_limit` (the response's `next` link says how to go on), so
    no number a client sends reaches the database as a slice bound it cannot hold.
    """

    max_limit = 500
