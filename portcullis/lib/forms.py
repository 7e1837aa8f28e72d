"""GOV.UK Design System rendering for every Django form, through Django's own form templates."""

from typing import Any

from django import forms
from django.core import validators
from django.forms.renderers import TemplatesSetting
from django.forms.utils import pretty_name


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"


class DateInput(forms.DateInput):
    """A browser date picker. Its value must be ISO (2026-03-27): given the locale's 27/03/2026,
    the browser shows an empty field, and an edited record loses its dates."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


DAY_FORMATS = ["%d %m %Y", "%d/%m/%Y", "%Y-%m-%d"]


def day_field(label: str, what: str, **kwargs: Any) -> forms.DateField:
    """A day typed as people write it (27 3 2026, 27/03/2026 or 2026-03-27); `what` names it in
    the errors: "Enter <what>", "Enter <what> as a date, for example 27 3 2026"."""
    return forms.DateField(
        label=label,
        help_text="For example, 27 3 2026 or 2026-03-27",
        input_formats=DAY_FORMATS,
        error_messages={
            "required": f"Enter {what}",
            "invalid": f"Enter {what} as a date, for example 27 3 2026",
        },
        **kwargs,
    )


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


class NamedErrors:
    """Error messages that name their field, as GOV.UK asks ("Enter e-mail address", not "This
    field is required."). A message a form sets itself is kept; Django's generic ones are replaced.
    Project forms derive from `GovukForm` or `GovukModelForm`."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            name_errors(field, str(field.label or pretty_name(name)))

    def error_sentences(self) -> list[str]:
        """Every error message, for a one-line notice when the form is not shown again."""
        errors: Any = getattr(self, "errors", {})
        return [str(e) for messages in errors.values() for e in messages]


class GovukForm(NamedErrors, forms.Form):
    pass


class GovukModelForm(NamedErrors, forms.ModelForm):
    pass


def name_errors(field: forms.Field, label: str) -> None:
    """Give `field` messages naming `label` wherever it still has Django's generic ones."""
    label = label.rstrip("?:. ").replace("%", "%%")
    first_word = label.split(" ", 1)[0]
    acronym = sum(c.isalpha() for c in first_word) > 1 and first_word.isupper()  # TLP, STIX
    name = label if acronym else label[:1].lower() + label[1:]
    named = {
        "required": _required(field, name, label),
        "invalid": _invalid(field, name, label),
        "invalid_choice": f"Select one of the options for {name}",
        "invalid_list": f"Select one of the options for {name}",
        "max_length": f"{label} must be %(limit_value)d characters or fewer "
        "(it has %(show_value)d)",
        "min_length": f"{label} must be at least %(limit_value)d characters",
        "max_value": f"{label} must be %(limit_value)s or less",
        "min_value": f"{label} must be %(limit_value)s or more",
        "empty": f"The file chosen for {name} is empty",
        "missing": f"Select a file for {name}",
        "invalid_image": f"The file chosen for {name} must be an image",
    }
    generic = _generic_messages(type(field))
    for code, message in named.items():
        current = field.error_messages.get(code)
        if current is None or str(current) in generic:
            field.error_messages[code] = message


def _required(field: forms.Field, name: str, label: str) -> str:
    if isinstance(field, forms.BooleanField):
        return f"Tick “{label}” to continue"
    if isinstance(field, forms.FileField):
        return f"Select {name}"
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return f"Select {name}"
    return f"Enter {name}"


def _invalid(field: forms.Field, name: str, label: str) -> str:
    if isinstance(field, forms.EmailField):
        return f"Enter {name} in the correct format, like name@example.com"
    if isinstance(field, forms.URLField):
        return f"Enter {name} as a full web address, like https://example.org/"
    if isinstance(field, forms.DateTimeField):
        return f"{label} must be a real date and time"
    if isinstance(field, forms.DateField):
        return f"{label} must be a real date, like 2026-03-27"
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return f"{label} must be a number"
    if isinstance(field, forms.UUIDField):
        return f"Select one of the options for {name}"
    return f"Enter {name} in the correct format"


_GENERIC: dict[type[forms.Field], frozenset[str]] = {}


def _generic_messages(field_class: type[forms.Field]) -> frozenset[str]:
    """Django's own messages for this kind of field, and those of its validators."""
    if field_class not in _GENERIC:
        _GENERIC[field_class] = _collect_generic(field_class)
    return _GENERIC[field_class]


def _collect_generic(field_class: type[forms.Field]) -> frozenset[str]:
    messages: set[str] = set()
    for klass in field_class.__mro__:
        messages |= {str(m) for m in getattr(klass, "default_error_messages", {}).values()}
    for validator in (
        validators.MaxLengthValidator,
        validators.MinLengthValidator,
        validators.MaxValueValidator,
        validators.MinValueValidator,
        validators.EmailValidator,
        validators.URLValidator,
    ):
        messages.add(str(validator.message))
    return frozenset(messages)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]
