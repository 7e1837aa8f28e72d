"""GOV.UK Design System rendering for every Django form, through Django's own form templates."""

from django import forms
from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"


def widget_kind(field: forms.BoundField) -> str:
    widget = field.field.widget
    for kind, classes in (
        ("checkboxes", (forms.CheckboxSelectMultiple,)),
        ("radios", (forms.RadioSelect,)),
        ("checkbox", (forms.CheckboxInput,)),
        ("select", (forms.Select, forms.SelectMultiple)),
        ("textarea", (forms.Textarea,)),
        ("file", (forms.ClearableFileInput, forms.FileInput)),
    ):
        if isinstance(widget, classes):
            return kind
    return "input"
