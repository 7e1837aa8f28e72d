"""Course text: plain text with blank-line paragraphs, "- " bullet lists, "## " headings and
**bold**. Everything is escaped first, so authors cannot inject markup."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _inline(text: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", escape(text))


@register.filter
def course_text(value: str) -> SafeString:
    blocks = []
    for block in re.split(r"\n\s*\n", value.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines and all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{_inline(line[2:])}</li>" for line in lines)
            blocks.append(f'<ul class="govuk-list govuk-list--bullet">{items}</ul>')
        elif lines and lines[0].startswith("## "):
            blocks.append(f'<h3 class="govuk-heading-s">{_inline(lines[0][3:])}</h3>')
            if lines[1:]:
                blocks.append(f'<p class="govuk-body">{_inline(" ".join(lines[1:]))}</p>')
        elif lines:
            blocks.append(f'<p class="govuk-body">{_inline(" ".join(lines))}</p>')
    return mark_safe("".join(blocks))  # noqa: S308 - built from escaped text only
