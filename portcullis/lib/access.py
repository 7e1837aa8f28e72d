"""Who is asking, for views. Pages are closed to anonymous users by the login middleware, so by
the time a view runs `request.user` is a signed-in `User`."""

from __future__ import annotations

from typing import cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from portcullis.accounts.models import Role, User


def signed_in_user(request: HttpRequest) -> User:
    return cast(User, request.user)


def require_role(request: HttpRequest, *roles: str) -> User:
    """The user, if they hold one of the roles; a 403 page otherwise (the page is no secret)."""
    user = signed_in_user(request)
    if not user.scope.has(*roles):
        raise PermissionDenied
    return user


def require_security(request: HttpRequest) -> User:
    return require_role(request, Role.SECURITY_OFFICER)
