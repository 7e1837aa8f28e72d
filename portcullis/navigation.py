"""The service navigation: one list, each item shown to the roles that can use it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None = None  # None: everyone signed in
    prefix: str = ""


SECURITY = frozenset({"security_officer"})
DIRECTORY_READERS = frozenset(
    {"security_officer", "administrator", "office_manager", "party_compliance_officer"}
)

ITEMS: list[NavItem] = [
    NavItem("Dashboard", "dashboard"),
    NavItem("Directory", "accounts:people", DIRECTORY_READERS, "/people/"),
    NavItem("Offices", "accounts:offices", DIRECTORY_READERS, "/offices/"),
    NavItem("Report an approach", "approaches:report", None, "/approaches/report/"),
    NavItem("Alerts", "intel:alerts", None, "/intel/alerts/"),
    NavItem("Triage", "approaches:queue", SECURITY, "/approaches/triage/"),
    NavItem("Campaigns", "intel:campaigns", SECURITY, "/intel/campaigns/"),
    NavItem("Training", "training:mine", None, "/training/"),
    NavItem(
        "Compliance",
        "training:compliance",
        frozenset({"security_officer", "office_manager"}),
        "/training/compliance/",
    ),
    NavItem("Report phishing", "phishing:report-new", None, "/phishing/report/"),
    NavItem("Phishing", "phishing:queue", SECURITY, "/phishing/reports/"),
    NavItem("Simulations", "phishing:campaigns", SECURITY, "/phishing/simulations/"),
    NavItem(
        "Phishing tests",
        "phishing:results",
        frozenset({"office_manager"}),
        "/phishing/simulations/results/",
    ),
    NavItem(
        "Screening",
        "screening:screen",
        frozenset({"security_officer", "party_compliance_officer"}),
        "/screening/",
    ),
    NavItem(
        "Ledger", "ledger:entries", frozenset({"security_officer", "administrator"}), "/ledger/"
    ),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    if user.requires_mfa and not user.is_verified():
        return {"nav_items": []}
    scope = user.scope
    visible = [i for i in ITEMS if i.roles is None or scope.has(*i.roles)]
    current = _current(request.path, visible)
    return {
        "nav_items": [
            {"label": i.label, "url": reverse(i.url_name), "current": i is current} for i in visible
        ]
    }


def _current(path: str, items: list[NavItem]) -> NavItem | None:
    """The item whose URL or prefix matches the path most specifically."""
    best, best_length = None, -1
    for item in items:
        url = reverse(item.url_name)
        for candidate in (url, item.prefix):
            matches = path == url if candidate == url else path.startswith(candidate)
            if candidate and matches and len(candidate) > best_length:
                best, best_length = item, len(candidate)
    return best
