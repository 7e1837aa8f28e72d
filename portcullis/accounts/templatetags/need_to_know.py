"""`{% may_read "screening.watchlist" as reads_notes %}`: templates ask the need-to-know rule."""

from __future__ import annotations

from typing import Any

from django import template

from portcullis.accounts.need_to_know import Sensitive
from portcullis.accounts.need_to_know import may_read as _may_read

register = template.Library()


@register.simple_tag(takes_context=True)
def may_read(context: dict[str, Any], field: str, about: int | None = None) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    return user is not None and _may_read(user, Sensitive(field), about_person_id=about)
