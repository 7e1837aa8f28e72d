"""Dashboard panels. Apps register them in their `dashboard.py`; the dashboard shows those whose
rule (one of `portcullis.accounts.access`'s, asked of the signed-in user) lets the user through,
in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

# A panel's context gets the signed-in request (`AuthenticatedHttpRequest`); None hides the panel.
Context = Callable[[Any], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    order: int
    rule: Callable[[Any], bool] | None  # None: everyone signed in
    context: Context


PANELS: dict[str, Panel] = {}


def panel(
    name: str, *, template: str, order: int = 50, rule: Callable[[Any], bool] | None = None
) -> Callable[[Context], Context]:
    def register(func: Context) -> Context:
        PANELS[name] = Panel(name, template, order, rule, func)
        return func

    return register


def panels_for(request: HttpRequest) -> list[tuple[Panel, dict[str, Any]]]:
    shown = []
    for item in sorted(PANELS.values(), key=lambda p: (p.order, p.name)):
        if item.rule is not None and not item.rule(request.user):
            continue
        context = item.context(request)
        if context is not None:
            shown.append((item, context))
    return shown
