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
