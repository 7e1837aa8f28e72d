"""Words for people's roles in templates: `{{ campaign.roles|role_names }}` reads
"Office manager, Staffer", not "office_manager, staffer"."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from portcullis.accounts.models import Role

register = template.Library()


@register.filter
def role_names(codes: Iterable[str]) -> str:
    return ", ".join(str(Role(code).label) if code in Role.values else code for code in codes)
