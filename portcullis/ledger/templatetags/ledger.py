"""The ledger on other apps' pages: `{% load ledger %}{% ledger_about person as history %}`.

A template tag rather than an import, so that accounts (a lower layer) can show a person's
history without depending on the ledger; the entries shown follow `visible_to`.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model

from portcullis.ledger.models import LedgerEntry, LedgerEntryQuerySet

register = template.Library()


@register.simple_tag(takes_context=True)
def ledger_about(context: dict[str, Any], target: Model, limit: int = 20) -> LedgerEntryQuerySet:
    """The newest entries about `target` that the signed-in reader may read."""
    user = context["request"].user
    return LedgerEntry.objects.visible_to(user).about(target)[:limit]


@register.simple_tag(takes_context=True)
def own_sign_ins(context: dict[str, Any], limit: int = 10) -> LedgerEntryQuerySet:
    """The reader's own newest sign-ins, sign-outs and failures recorded against them."""
    user = context["request"].user
    return LedgerEntry.objects.filter(actor=user, action__startswith="session.")[:limit]


# Words for the actions people meet outside the ledger page; any other `noun.verb` reads as
# "Noun: verb" (the ledger page shows the code beside it for analysts).
ACTION_WORDS = {
    "session.sign_in": "Signed in",
    "session.sign_in_failed": "Failed sign-in",
    "session.sign_out": "Signed out",
    "mfa.enrol": "Turned on two-step sign-in",
    "mfa.recovery_codes_replace": "Got new recovery codes",
    "user.password_reset": "Reset the password",
}


@register.filter
def action_words(action: str) -> str:
    if action in ACTION_WORDS:
        return ACTION_WORDS[action]
    noun, _, verb = action.partition(".")
    words = f"{noun.replace('_', ' ')}: {verb.replace('_', ' ')}" if verb else noun
    return words[:1].upper() + words[1:]


@register.filter
def in_words(value: Any) -> str:
    """A detail's value as a person reads it: no None, [], True or {'a': 1}."""
    if value is None or value == "" or value == [] or value == {}:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(in_words(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key.replace('_', ' ')} {in_words(item)}" for key, item in value.items())
    return str(value)


@register.filter
def details_in_words(data: dict[str, Any]) -> str:
    """An entry's details, each value in words and at most 60 characters."""
    parts = []
    for key, value in (data or {}).items():
        text = in_words(value)
        parts.append(f"{key.replace('_', ' ')}: {text[:59] + '…' if len(text) > 60 else text}")
    return "; ".join(parts)
