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
        blocks += [_render(kind, run) for kind, run in _runs(lines)]
    return mark_safe("".join(blocks))  # noqa: S308 - built from escaped text only


def _runs(lines: list[str]) -> list[tuple[str, list[str]]]:
    """Consecutive lines of one kind: a "## " heading, "- " list items, or paragraph text (so a
    heading or a lead-in sentence directly above a list does not turn the list into text)."""
    runs: list[tuple[str, list[str]]] = []
    for line in lines:
        kind = "heading" if line.startswith("## ") else "item" if line.startswith("- ") else "text"
        if runs and runs[-1][0] == kind and kind != "heading":
            runs[-1][1].append(line)
        else:
            runs.append((kind, [line]))
    return runs


def _render(kind: str, lines: list[str]) -> str:
    if kind == "heading":
        return f'<h3 class="govuk-heading-s">{_inline(lines[0][3:])}</h3>'
    if kind == "item":
        items = "".join(f"<li>{_inline(line[2:])}</li>" for line in lines)
        return f'<ul class="govuk-list govuk-list--bullet">{items}</ul>'
    return f'<p class="govuk-body">{_inline(" ".join(lines))}</p>'
