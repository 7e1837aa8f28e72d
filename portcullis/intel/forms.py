"""The alert form: text, TLP, audience, and indicators typed one per line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from portcullis.accounts.access import security_officers
from portcullis.accounts.models import Office, Organisation, Person, User
from portcullis.intel.stix import MAX_BUNDLE_BYTES
from portcullis.lib.forms import DateInput, GovukForm, GovukModelForm, day_field

from .extract import Kind, identify
from .models import Alert, Campaign
from .services import AlertInput, IndicatorInput
from .tlp import MEANING, Tlp

MAX_LINES = 200

# (form field, kind, label, help)
INDICATOR_FIELDS = [
    (
        "people",
        Kind.PERSON,
        "People",
        "One per line; aliases after a semicolon: Amanda Qiu; 邱 Amanda",
    ),
    (
        "organisations",
        Kind.ORGANISATION,
        "Organisations",
        "One per line; aliases after a semicolon",
    ),
    ("urls", Kind.URL, "Profile and web addresses", "One per line"),
    ("emails", Kind.EMAIL, "E-mail addresses", "One per line"),
    ("domains", Kind.DOMAIN, "Domains", "One per line"),
    ("phones", Kind.PHONE, "Phone numbers", "One per line, with the country code if not UK"),
    ("handles", Kind.HANDLE, "Social handles", "One per line, like @name"),
]


def valid_unicode(value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValidationError("This contains characters that are not valid text.") from exc


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class AlertForm(GovukForm):
    title = forms.CharField(max_length=200, validators=[valid_unicode])
    summary = forms.CharField(
        max_length=5000, validators=[valid_unicode], widget=forms.Textarea(attrs={"rows": 4})
    )
    guidance = forms.CharField(
        label="Guidance: what people should do",
        max_length=5000,
        validators=[valid_unicode],
        widget=forms.Textarea(attrs={"rows": 3}),
        initial="Do not engage. Do not accept the connection. Report any contact in Portcullis; "
        "the security team has been told.",
    )
    tlp = forms.ChoiceField(
        label="TLP 2.0 marking",
        help_text="The marking decides who may read the alert and whom they may pass it to. "
        "It does not tell anyone: the audience below does.",
        choices=[(t.value, f"{t.label} – {MEANING[t]}") for t in Tlp],
        widget=forms.RadioSelect,
        initial=Tlp.AMBER,
    )
    severity = forms.ChoiceField(
        help_text="How much harm it could do if people are not warned.",
        required=False,
        choices=Alert.Severity.choices,
        widget=forms.RadioSelect,
        initial=Alert.Severity.MODERATE,
    )
    review_on = day_field(
        "Review by",
        "the date to review the alert by",
        required=False,
        widget=DateInput(),
    )
    expires_on = day_field(
        "Expires on",
        "the date the alert expires",
        required=False,
        widget=DateInput(),
    )
    audience = forms.ChoiceField(
        help_text="Who is told: each person in the audience gets an e-mail and sees the alert. "
        "Choose the offices, parties or people below.",
        choices=Alert.Audience.choices,
        widget=forms.RadioSelect,
        initial=Alert.Audience.EVERYONE,
    )
    offices = forms.ModelMultipleChoiceField(
        queryset=Office.objects.order_by("name"),
        required=False,
        label="Offices",
        help_text="For “Chosen offices”.",
        widget=forms.CheckboxSelectMultiple,
    )
    parties = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.PARTY),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Parties",
        help_text="For “Chosen parties”.",
    )
    recipients = forms.CharField(
        label="Named people",
        required=False,
        max_length=20_000,
        help_text="For “Named people”: their e-mail addresses in the directory, one per line.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, _, label, help_text in INDICATOR_FIELDS:
            self.fields[name] = forms.CharField(
                label=label,
                required=False,
                max_length=50_000,
                help_text=help_text,
                validators=[valid_unicode],
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean_recipients(self) -> list[Person]:
        people = []
        for address in _lines(self.cleaned_data["recipients"])[:MAX_LINES]:
            person = Person.objects.with_email(address).first()
            if person is None:
                raise ValidationError(f"No one in the directory has the address {address[:100]}.")
            people.append(person)
        return people

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        indicators: list[IndicatorInput] = []
        for name, kind, label, _ in INDICATOR_FIELDS:
            lines = _lines(data.get(name) or "")
            if len(lines) > MAX_LINES:
                self.add_error(name, f"At most {MAX_LINES} lines.")
                continue
            for line in lines:
                value, *aliases = [p.strip() for p in line.split(";")]
                if identify(kind, value) is None:
                    self.add_error(name, f"“{value[:80]}” is not a valid {label.lower()} entry.")
                else:
                    indicators.append(IndicatorInput(kind, value, tuple(aliases)))
        data["indicators"] = indicators
        self._check_audience(data)
        review, expires = data.get("review_on"), data.get("expires_on")
        if review and expires and expires < review:
            self.add_error("expires_on", "The expiry date must be on or after the review date")
        return data

    def _check_audience(self, data: dict[str, Any]) -> None:
        """A chosen audience with no one chosen would tell no one."""
        empty = {
            Alert.Audience.OFFICES: ("offices", "Select at least one office to tell"),
            Alert.Audience.PARTIES: ("parties", "Select at least one party to tell"),
            Alert.Audience.PEOPLE: ("recipients", "Enter at least one person’s e-mail address"),
        }.get(data.get("audience", ""))
        if empty and not data.get(empty[0]) and empty[0] not in self.errors:
            self.add_error(empty[0], empty[1])

    def alert_input(self) -> AlertInput:
        data = self.cleaned_data
        return AlertInput(
            title=data["title"],
            summary=data["summary"],
            guidance=data["guidance"],
            tlp=data["tlp"],
            audience=data["audience"],
            offices=list(data["offices"]),
            parties=list(data["parties"]),
            recipients=data["recipients"],
            indicators=data["indicators"],
            severity=data.get("severity") or Alert.Severity.MODERATE,
            review_on=data.get("review_on"),
            expires_on=data.get("expires_on"),
        )


def initial_for(alert: Alert) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "title": alert.title,
        "summary": alert.summary,
        "guidance": alert.guidance,
        "tlp": alert.tlp,
        "severity": alert.severity,
        "review_on": alert.review_on,
        "expires_on": alert.expires_on,
        "audience": alert.audience,
        "offices": list(alert.offices.all()),
        "parties": list(alert.parties.all()),
        "recipients": "\n".join(p.primary_email for p in alert.recipients.all()),
    }
    items = [IndicatorInput(i.kind, i.display, tuple(i.aliases)) for i in alert.indicators.all()]
    return initial | indicator_initial(items)


def indicator_initial(items: Sequence[IndicatorInput]) -> dict[str, str]:
    initial = {}
    for name, kind, _, _ in INDICATOR_FIELDS:
        lines = ["; ".join([i.value, *i.aliases]) for i in items if i.kind == kind]
        initial[name] = "\n".join(lines)
    return initial


class StixUploadForm(GovukForm):
    bundle = forms.FileField(label="STIX 2.1 bundle (.json)", help_text="At most 5 MB.")

    def clean_bundle(self) -> bytes:
        upload = self.cleaned_data["bundle"]
        if upload.size > MAX_BUNDLE_BYTES:
            raise ValidationError("The bundle is larger than 5 MB.")
        return bytes(upload.read())


class MergeForm(GovukForm):
    target = forms.UUIDField(label="Merge into campaign (its id)")


class SplitForm(GovukForm):
    name = forms.CharField(
        label="Name of the new campaign", max_length=200, validators=[valid_unicode]
    )
    reports = forms.MultipleChoiceField(choices=[], widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.MultipleChoiceField, self.fields["reports"])
        field.choices = choices


class OfficerField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class CampaignForm(GovukModelForm):
    """Status, owner and description: the security team's account of a campaign."""

    status = forms.ChoiceField(
        choices=[
            (Campaign.Status.ACTIVE.value, "Active: reports may still join it"),
            (Campaign.Status.CLOSED.value, "Closed: dealt with"),
        ],
        widget=forms.RadioSelect,
    )
    owner = OfficerField(
        queryset=User.objects.none(),
        required=False,
        help_text="The security officer who follows this campaign.",
    )

    class Meta:
        model = Campaign
        fields = ["status", "owner", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(OfficerField, self.fields["owner"]).queryset = security_officers()
        self.fields["summary"].validators.append(valid_unicode)


ALERT_DATES = [
    ("", "Any"),
    ("in_force", "In force"),
    ("expired", "Expired"),
    ("review", "Due for review"),
]


class AlertQueueForm(GovukForm):
    """The alert list's filters; the status filter is the security team's (others see only
    published alerts)."""

    q = forms.CharField(
        label="Search", required=False, max_length=200, help_text="Reference, title or summary"
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any"), *Alert.Status.choices]
    )
    severity = forms.ChoiceField(
        label="Severity", required=False, choices=[("", "Any"), *Alert.Severity.choices]
    )
    state = forms.ChoiceField(label="Dates", required=False, choices=ALERT_DATES)

    def __init__(self, *args: Any, security: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not security:
            del self.fields["status"]
            state = cast(forms.ChoiceField, self.fields["state"])
            state.choices = [c for c in ALERT_DATES if c[0] != "review"]
