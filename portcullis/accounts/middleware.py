"""Session rules a security team asks for: idle timeout, and MFA before anything else."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import middleware as auth_middleware
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from .services import confirmed_totp

# Paths a signed-in user who still owes a second factor may visit.
_MFA_EXEMPT_NAMES = ("accounts:mfa-setup", "accounts:mfa-verify", "accounts:sign-out")


# The last time seen is written at most once a minute: writing it on every request made every
# page a database write and a commit. A session then times out up to a minute early, never late.
IDLE_TOUCH_SECONDS = 60


class SessionIdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get("last_seen", now)
            if now - last_seen > settings.SESSION_IDLE_SECONDS:
                logout(request)
                request.session["idle_timeout"] = True
                return redirect(settings.LOGIN_URL)
            if now - last_seen >= IDLE_TOUCH_SECONDS or "last_seen" not in request.session:
                request.session["last_seen"] = now
        return self.get_response(request)


class RequireMFAMiddleware:
    """Privileged roles must be verified with TOTP; until then only enrolment is reachable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and user.requires_mfa
            and not getattr(user, "is_verified", bool)()
            and not self._exempt(request)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Second factor required."}, status=403)
            has_device = confirmed_totp(user) is not None
            return redirect("accounts:mfa-verify" if has_device else "accounts:mfa-setup")
        return self.get_response(request)

    @staticmethod
    def _exempt(request: HttpRequest) -> bool:
        if request.path.startswith(settings.STATIC_URL):
            return True
        return any(request.path == reverse(name) for name in _MFA_EXEMPT_NAMES)


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Closed by default: every page needs a signed-in user unless marked login_not_required.
    The API answers for itself (401/403 from REST framework) instead of redirecting."""

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> Any:
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
