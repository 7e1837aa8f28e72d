"""Dashboard panels. Apps register them in their `dashboard.py`; the dashboard shows those the
signed-in user's roles allow, in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    order: int
    roles: frozenset[str] | None  # None: everyone signed in
    context: Callable[[HttpRequest], dict[str, Any] | None]  # None from it hides the panel


PANELS: dict[str, Panel] = {}


def panel(
    name: str, *, template: str, order: int = 50, roles: set[str] | None = None
) -> Callable[[Callable[[HttpRequest], dict[str, Any] | None]], Callable[..., Any]]:
    def register(func: Callable[[HttpRequest], dict[str, Any] | None]) -> Callable[..., Any]:
        PANELS[name] = Panel(name, template, order, frozenset(roles) if roles else None, func)
        return func

    return register


def panels_for(request: HttpRequest) -> list[tuple[Panel, dict[str, Any]]]:
    scope = request.user.scope  # type: ignore[union-attr]
    shown = []
    for item in sorted(PANELS.values(), key=lambda p: (p.order, p.name)):
        if item.roles is not None and not scope.has(*item.roles):
            continue
        context = item.context(request)
        if context is not None:
            shown.append((item, context))
    return shown
