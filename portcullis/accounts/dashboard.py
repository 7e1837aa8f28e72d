"""Dashboard panels owned by accounts: the person's own offices, and the directory figures."""

from __future__ import annotations

from typing import Any

from portcullis.lib.dashboard import panel

from .access import READS_DIRECTORY, AuthenticatedHttpRequest
from .models import Membership, Office, Person, Role
from .services import confirmed_totp


@panel("accounts.my_offices", template="accounts/panels/my_offices.html", order=20)
def my_offices(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    person = request.user.person
    if person is None:
        return None
    return {"memberships": list(person.active_memberships())}


@panel("accounts.account_security", template="accounts/panels/account_security.html", order=90)
def account_security(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    return {"has_totp": confirmed_totp(request.user) is not None}


@panel(
    "accounts.directory",
    template="accounts/panels/directory.html",
    order=30,
    rule=READS_DIRECTORY,
)
def directory(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    people = Person.objects.visible_to(request.user)
    return {
        "people": people.count(),
        "offices": Office.objects.visible_to(request.user).count(),
        "without_login": people.filter(user__isnull=True).count(),
        "staff": Membership.objects.visible_to(request.user)
        .active()
        .filter(role=Role.STAFFER)
        .count(),
    }
