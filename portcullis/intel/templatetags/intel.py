"""Template helpers for intel: the TLP tag colour."""

from django import template

register = template.Library()

_TAG = {
    "red": "govuk-tag--red",
    "amber+strict": "govuk-tag--orange",
    "amber": "govuk-tag--orange",
    "green": "govuk-tag--green",
    "clear": "govuk-tag--grey",
}


@register.filter
def tlp_class(level: str) -> str:
    return _TAG.get(level, "govuk-tag--grey")
