"""Who may do what: every role rule, once.

A `Rule` is one predicate about the signed-in user. The same rule guards the page
(`@requires(rule)`), the API (`rule.permission`, a DRF permission class) and the navigation and
dashboard (`rule(user)`), so a link is shown exactly when its page opens. What a rule lets
through is then narrowed object by object by `Model.objects.visible_to(user)`; a rule never
widens what a queryset shows.

Pages are closed to anonymous users by the login middleware, so a view typed with
`AuthenticatedHttpRequest` may use `request.user` as a `User` without a cast. API viewsets read
the caller as `self.user` (`accounts/viewsets.py`); function endpoints as `check(request, rule)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, wraps
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.settings import api_settings

from .models import Role, Scope, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_htmx.middleware import HtmxDetails


class AuthenticatedHttpRequest(HttpRequest):
    """A request from a signed-in user (every page behind the login middleware)."""

    user: User
    htmx: HtmxDetails


@dataclass(frozen=True)
class Rule:
    name: str
    test: Callable[[Scope], bool]
    why: str  # the 403's words, for people

    def __call__(self, user: User | AnonymousUser | None) -> bool:
        return isinstance(user, User) and user.is_active and self.test(user.scope)

    @cached_property
    def permission(self) -> type[BasePermission]:
        """The DRF permission class for this rule."""
        rule = self

        class RulePermission(BasePermission):
            message = rule.why

            def has_permission(self, request: Any, view: Any) -> bool:
                return rule(request.user)

        RulePermission.__name__ = RulePermission.__qualname__ = f"Requires{rule.name.title()}"
        return RulePermission

    @property
    def permissions(self) -> list[type[BasePermission]]:
        """An endpoint's `permission_classes`: the defaults every endpoint has (signed in, the
        token's scope) and this rule."""
        defaults = cast(list[type[BasePermission]], api_settings.DEFAULT_PERMISSION_CLASSES)
        return [*defaults, self.permission]


def _roles(*roles: str) -> Callable[[Scope], bool]:
    return lambda scope: scope.has(*roles)


SIGNED_IN = Rule("signed_in", lambda scope: True, "Sign in first.")
SECURITY_TEAM = Rule(
    "security_team", _roles(Role.SECURITY_OFFICER), "This is for the security team only."
)
READS_DIRECTORY = Rule(
    "reads_directory",
    _roles(
        Role.SECURITY_OFFICER,
        Role.ADMINISTRATOR,
        Role.OFFICE_MANAGER,
        Role.PARTY_COMPLIANCE_OFFICER,
    ),
    "The directory is for the security team, administrators, office managers and party "
    "compliance officers.",
)
IMPORTS_DIRECTORY = Rule(
    "imports_directory",
    _roles(Role.SECURITY_OFFICER, Role.ADMINISTRATOR),
    "Only the security team and administrators import the directory.",
)
READS_LEDGER = Rule(
    "reads_ledger",
    _roles(Role.SECURITY_OFFICER, Role.ADMINISTRATOR),
    "Only the security team and administrators read the ledger.",
)
SCREENS = Rule(
    "screens",
    _roles(Role.SECURITY_OFFICER, Role.PARTY_COMPLIANCE_OFFICER),
    "Screening is for the security team and party compliance officers.",
)
MANAGES_AN_OFFICE = Rule(
    "manages_an_office",
    lambda scope: bool(scope.managed_office_ids),
    "This is for office managers.",
)
SEES_OFFICE_FIGURES = Rule(
    "sees_office_figures",
    lambda scope: scope.has(Role.SECURITY_OFFICER) or bool(scope.managed_office_ids),
    "Office figures are for the security team and office managers.",
)
MANAGES_PEOPLE = Rule(
    "manages_people",
    lambda scope: scope.has(Role.SECURITY_OFFICER) or bool(scope.managed_office_ids),
    "Starters, leavers and address changes are recorded by office managers and the security team.",
)
IS_MEMBER = Rule("is_member", _roles(Role.MEMBER), "This is for members.")
KEEPS_DONATIONS = Rule(
    "keeps_donations",
    _roles(Role.PARTY_COMPLIANCE_OFFICER, Role.SECURITY_OFFICER),
    "Donations and the party desk are for party compliance officers and the security team.",
)
READS_DONATION_RULES = Rule(
    "reads_donation_rules",
    _roles(Role.PARTY_COMPLIANCE_OFFICER, Role.SECURITY_OFFICER, Role.ADMINISTRATOR),
    "The donation rules are for party compliance officers, the security team and administrators.",
)
SWITCHES_RULES = Rule(
    "switches_rules", _roles(Role.ADMINISTRATOR), "Only administrators switch rules on or off."
)
KEEPS_REGISTER = Rule(
    "keeps_register",
    _roles(Role.MEMBER, Role.SECURITY_OFFICER),
    "The register of interests is for members and the security team.",
)
INVITES_VISITORS = Rule(
    "invites_visitors",
    lambda scope: bool(scope.office_ids),
    "Visitors are invited by members and the staff of their offices.",
)
WORKS_THE_GATE = Rule(
    "works_the_gate",
    _roles(Role.GATE_OFFICER, Role.SECURITY_OFFICER),
    "This is for gate officers and the security team.",
)
SEES_VISITS = Rule(
    "sees_visits",
    lambda scope: bool(scope.office_ids) or scope.has(Role.GATE_OFFICER, Role.SECURITY_OFFICER),
    "Visits are for their hosts, office managers, gate officers and the security team.",
)


P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)


def security_officers() -> Any:
    """Active users who hold a current security officer post (for "assign to" and "owner")."""
    return User.objects.filter(
        is_active=True,
        person__memberships__role=Role.SECURITY_OFFICER,
        person__memberships__ended_on__isnull=True,
    ).distinct()


def requires(
    rule: Rule,
) -> Callable[
    [Callable[Concatenate[AuthenticatedHttpRequest, P], R]],
    Callable[Concatenate[AuthenticatedHttpRequest, P], R],
]:
    """A page for those the rule lets through; a 403 for anyone else (which pages exist is no
    secret; which objects exist is, and `visible_to` answers that with a 404)."""

    def decorate(
        view: Callable[Concatenate[AuthenticatedHttpRequest, P], R],
    ) -> Callable[Concatenate[AuthenticatedHttpRequest, P], R]:
        @wraps(view)
        def guarded(request: AuthenticatedHttpRequest, *args: P.args, **kwargs: P.kwargs) -> R:
            check(request, rule)
            return view(request, *args, **kwargs)

        guarded.rule = rule  # type: ignore[attr-defined]
        return cast(Callable[Concatenate[AuthenticatedHttpRequest, P], R], guarded)

    return decorate


def check(request: HttpRequest | Request, rule: Rule) -> User:
    """The signed-in user if the rule lets them through; a 403 otherwise. For a view that
    decides which rule applies only after reading its object."""
    user = request.user
    if not rule(user):
        raise PermissionDenied(rule.why)
    return cast(User, user)  # rule() is False for anyone but a User
