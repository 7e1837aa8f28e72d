"""The service navigation: a few sections, each with its own sub-navigation. An item is shown when
the rule that guards its page (`portcullis.accounts.access`) lets the user through, so a link is
never offered that answers 403; a section appears when any of its items does."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from portcullis.accounts.access import (
    INVITES_VISITORS,
    KEEPS_DONATIONS,
    KEEPS_REGISTER,
    READS_DIRECTORY,
    READS_DONATION_RULES,
    READS_LEDGER,
    SCREENS,
    SECURITY_TEAM,
    SEES_OFFICE_FIGURES,
    SEES_VISITS,
    SIGNED_IN,
    WORKS_THE_GATE,
    Rule,
)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    rule: Rule = SIGNED_IN
    prefixes: tuple[str, ...] = ()  # besides its own URL, the paths that belong to this item


@dataclass(frozen=True)
class NavSection:
    label: str
    items: tuple[NavItem, ...]
    prefixes: tuple[str, ...] = ()  # paths in this section that no single item owns


SECTIONS: list[NavSection] = [
    NavSection("Dashboard", (NavItem("Dashboard", "dashboard"),)),
    NavSection(
        "People",
        (
            NavItem("Directory", "accounts:people", READS_DIRECTORY, ("/people/",)),
            NavItem("Offices", "accounts:offices", READS_DIRECTORY, ("/offices/",)),
        ),
    ),
    NavSection(
        "Approaches",
        (
            NavItem("Triage", "approaches:queue", SECURITY_TEAM, ("/approaches/triage/",)),
            NavItem("Figures", "approaches:figures", SECURITY_TEAM, ("/approaches/figures/",)),
            NavItem("Report an approach", "approaches:report", SIGNED_IN, ("/approaches/report/",)),
            NavItem("Your reports", "approaches:mine"),
        ),
        ("/approaches/",),
    ),
    NavSection(
        "Alerts",
        (
            NavItem("Alerts", "intel:alerts", SIGNED_IN, ("/intel/alerts/",)),
            NavItem("Campaigns", "intel:campaigns", SECURITY_TEAM, ("/intel/campaigns/",)),
        ),
        ("/intel/",),
    ),
    NavSection(
        "Training",
        (
            NavItem("Your training", "training:mine"),
            NavItem(
                "Courses",
                "training:courses",
                SIGNED_IN,
                ("/training/courses/", "/training/attempts/", "/training/certificates/"),
            ),
            NavItem(
                "Compliance",
                "training:compliance",
                SEES_OFFICE_FIGURES,
                ("/training/compliance/",),
            ),
            NavItem(
                "Write courses",
                "training:author-courses",
                SECURITY_TEAM,
                ("/training/authoring/",),
            ),
            NavItem(
                "Requirements",
                "training:requirements",
                SECURITY_TEAM,
                ("/training/requirements/",),
            ),
            NavItem(
                "Party access", "training:access-grants", SECURITY_TEAM, ("/training/access/",)
            ),
            NavItem(
                "Disclosure lists",
                "training:disclosure-lists",
                SECURITY_TEAM,
                ("/training/disclosure/",),
            ),
        ),
        ("/training/",),
    ),
    NavSection(
        "Phishing",
        (
            NavItem("Reported e-mails", "phishing:queue", SECURITY_TEAM, ("/phishing/reports/",)),
            NavItem(
                "Simulations", "phishing:campaigns", SECURITY_TEAM, ("/phishing/simulations/",)
            ),
            NavItem("Lures", "phishing:templates", SECURITY_TEAM, ("/phishing/lures/",)),
            NavItem("Do-not-test list", "phishing:do-not-test", SECURITY_TEAM),
            NavItem("Sending profiles", "phishing:profiles", SECURITY_TEAM),
            NavItem("Report phishing", "phishing:report-new", SIGNED_IN, ("/phishing/report/",)),
            NavItem(
                "Phishing tests",
                "phishing:results",
                SEES_OFFICE_FIGURES,
                ("/phishing/simulations/results/",),
            ),
        ),
        ("/phishing/",),
    ),
    NavSection(
        "Screening",
        (
            NavItem("Screen", "screening:screen", SCREENS),
            NavItem("Screenings", "screening:screenings", SCREENS, ("/screening/screenings/",)),
            NavItem("Batch screening", "screening:batches", SCREENS, ("/screening/batches/",)),
            NavItem("Monitoring", "screening:monitoring", SCREENS, ("/screening/monitoring/",)),
            NavItem("Figures", "screening:figures", SCREENS, ("/screening/figures/",)),
            NavItem(
                "Lists",
                "screening:lists",
                SCREENS,
                ("/screening/lists/", "/screening/imports/", "/screening/versions/"),
            ),
        ),
        ("/screening/",),
    ),
    NavSection(
        "Donations and interests",
        (
            NavItem("Donations", "donations:list", KEEPS_DONATIONS),
            NavItem("Reports", "donations:reports", KEEPS_DONATIONS, ("/donations/reports/",)),
            NavItem("Party desk", "donations:referrals", KEEPS_DONATIONS, ("/donations/desk/",)),
            NavItem("Interests", "donations:interests", KEEPS_REGISTER, ("/donations/interests/",)),
            NavItem("Rules", "donations:rules", READS_DONATION_RULES, ("/donations/rules/",)),
        ),
        ("/donations/",),
    ),
    NavSection(
        "Visitors",
        (
            NavItem("Gate", "visitors:gate", WORKS_THE_GATE, ("/visitors/gate/",)),
            NavItem("Visits", "visitors:visits", SEES_VISITS, ("/visitors/invitations/",)),
            NavItem("Invite a visitor", "visitors:invite", INVITES_VISITORS),
            NavItem("Waiting for a decision", "visitors:approvals", SEES_VISITS),
            NavItem("On site", "visitors:on-site", WORKS_THE_GATE),
            NavItem(
                "Roll calls", "visitors:roll-calls", WORKS_THE_GATE, ("/visitors/roll-calls/",)
            ),
            NavItem("Response level", "visitors:level", SECURITY_TEAM),
        ),
        ("/visitors/",),
    ),
    NavSection(
        "Ledger",
        (NavItem("Ledger", "ledger:entries", READS_LEDGER),),
        ("/ledger/",),
    ),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_sections": [], "nav_sub": None}
    if user.requires_mfa and not user.is_verified():
        return {"nav_sections": [], "nav_sub": None}
    visible = [(section, [i for i in section.items if i.rule(user)]) for section in SECTIONS]
    visible = [(section, items) for section, items in visible if items]
    current_section, current_item = _current(request.path, visible)
    sections = [
        {"label": s.label, "url": reverse(items[0].url_name), "current": s is current_section}
        for s, items in visible
    ]
    sub = None
    for section, items in visible:
        if section is current_section and len(items) > 1:
            sub = {
                "label": section.label,
                "items": [
                    {"label": i.label, "url": reverse(i.url_name), "current": i is current_item}
                    for i in items
                ],
            }
    return {"nav_sections": sections, "nav_sub": sub}


def _current(
    path: str, visible: list[tuple[NavSection, list[NavItem]]]
) -> tuple[NavSection | None, NavItem | None]:
    """The item whose URL or prefix matches the path most specifically, and its section; else the
    section one of whose own prefixes matches."""
    best: tuple[NavSection | None, NavItem | None] = (None, None)
    best_length = -1
    for section, items in visible:
        for item in items:
            url = reverse(item.url_name)
            lengths = [len(url)] if path == url else []
            lengths += [len(p) for p in item.prefixes if path.startswith(p)]
            if lengths and max(lengths) > best_length:
                best, best_length = (section, item), max(lengths)
    if best[0] is not None:
        return best
    for section, _items in visible:
        if any(path.startswith(p) for p in section.prefixes):
            return section, None
    return None, None
