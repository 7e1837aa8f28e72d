"""Template helpers for GOV.UK Design System markup."""

from typing import Any

from django import forms, template

from portcullis.lib.forms import widget_kind as _widget_kind

register = template.Library()


@register.filter
def widget_kind(field: forms.BoundField) -> str:
    return _widget_kind(field)


@register.filter
def max_characters(field: forms.BoundField) -> int | None:
    return getattr(field.field, "max_length", None)


@register.filter
def govuk_widget(field: forms.BoundField, css_class: str) -> Any:
    """Render the widget with the GOV.UK class, its error modifier and its hint/error ids."""
    classes = [css_class, field.field.widget.attrs.get("class", "")]
    if field.errors:
        classes.append(f"{css_class}--error")
    described = [f"{field.auto_id}-hint"] if field.help_text else []
    if field.errors:
        described.append(f"{field.auto_id}-error")
    counted = css_class == "govuk-textarea" and bool(max_characters(field))
    if counted:
        # A character count, not the browser's maxlength: that cuts pasted text off silently.
        classes.append("govuk-js-character-count")
        described.append(f"{field.auto_id}-info")
    attrs: dict[str, str | bool] = {"class": " ".join(c for c in classes if c)}
    if counted:
        attrs["maxlength"] = False
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def page_link(context: dict[str, Any], number: int) -> str:
    """`?<this page's query>&page=N`: filters kept, any earlier `page` replaced, not repeated."""
    query = context["request"].GET.copy()
    query["page"] = str(number)
    return "?" + query.urlencode()
