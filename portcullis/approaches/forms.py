"""Forms for reporting an approach and for triage. Text is bounded, NUL-free and valid Unicode."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone

from portcullis.accounts.access import security_officers
from portcullis.accounts.models import Office, User
from portcullis.lib.forms import GovukForm, MultipleFileField, MultipleFileInput

from . import evidence
from .models import Ask, Channel, HeldEvidence, Offer, Persona, Report, WarningSign
from .services import ReportInput

MAX_ACCOUNT = 20_000


def valid_unicode(value: str) -> None:
    """Lone surrogates survive JSON decoding but not a UTF-8 database; say so instead of failing."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValidationError("This contains characters that are not valid text.") from exc


def _text(label: str, max_length: int, help_text: str = "", **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        help_text=help_text,
        validators=[valid_unicode],
        **kwargs,
    )


class HeldFilesField(forms.ModelMultipleChoiceField):
    """The person's held files as checkboxes, each named with its size."""

    def label_from_instance(self, obj: Any) -> str:
        kilobytes = max(1, round(obj.size / 1024))
        return f"{obj.original_name} ({kilobytes:,} KB)"


class ReportForm(GovukForm):
    channel = forms.ChoiceField(
        label="How did they contact you?", choices=Channel.choices, widget=forms.RadioSelect
    )
    persona = forms.ChoiceField(
        label="Who did they say they were?", choices=Persona.choices, widget=forms.RadioSelect
    )
    approacher_name = _text("Their name, as they gave it", 200)
    approacher_organisation = _text("Their company or organisation, as they gave it", 200)
    approacher_contact = _text(
        "Their profile link, e-mail address or phone number",
        500,
        "Copy it from the message if you can, for example the LinkedIn profile address.",
    )
    asks = forms.MultipleChoiceField(
        label="What did they ask for?",
        choices=Ask.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    offers = forms.MultipleChoiceField(
        label="What did they offer?",
        choices=Offer.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    warning_signs = forms.MultipleChoiceField(
        label="Did you notice any of these warning signs?",
        choices=WarningSign.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    account = _text(
        "What happened",
        MAX_ACCOUNT,
        "Paste the message if you have it. Do not reply to them or accept the connection.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    occurred_on = forms.DateField(
        label="When did it happen?",
        help_text="For example, 18/11/2025",
        input_formats=["%d/%m/%Y", "%Y-%m-%d", "%d %m %Y"],
        widget=forms.DateInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    office = forms.ModelChoiceField(
        label="Which office were you approached as part of?",
        queryset=Office.objects.none(),
        required=False,
    )
    evidence = MultipleFileField(
        label="Screenshots, forwarded e-mails or documents",
        required=False,
        help_text=f"Up to {evidence.MAX_FILES} files, {evidence.MAX_BYTES // 1048576} MB each: "
        "PNG, JPEG, GIF, WebP, .eml, PDF or text.",
        widget=MultipleFileInput(attrs={"accept": evidence.ACCEPT}),
    )
    keep_held = HeldFilesField(
        label="Files you have already attached",
        queryset=HeldEvidence.objects.none(),
        to_field_name="public_id",
        required=False,
        help_text="Kept for you alone until you send the report, for at most "
        f"{int(HeldEvidence.HOLD_FOR.total_seconds() // 3600)} hours. Untick a file to remove it.",
        widget=forms.CheckboxSelectMultiple,
    )
    anonymous = forms.BooleanField(
        label="Do not show my name to anyone except the security team",
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        user: User,
        held: list[HeldEvidence] | None = None,
        **kw: Any,
    ):
        super().__init__(*args, **kw)
        self.accepted: list[evidence.CheckedFile] = []
        self.held = held or []
        self._held_field: forms.Field = self.fields["keep_held"]
        self._show_held(self.held)
        offices = Office.objects.filter(pk__in=user.scope.office_ids).order_by("name")
        field = cast(forms.ModelChoiceField, self.fields["office"])
        field.queryset = offices
        if len(offices) == 1:
            self.fields["office"].initial = offices[0]
        if not offices:
            del self.fields["office"]
        self.fields["occurred_on"].initial = timezone.localdate().strftime("%d/%m/%Y")

    def clean_occurred_on(self) -> Any:
        day = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise ValidationError("The date must be today or in the past.")
        return day

    def clean_evidence(self) -> list[Any]:
        files = self.cleaned_data.get("evidence") or []
        errors = []
        accepted = []
        for upload in files:
            try:
                accepted.append(evidence.check(upload))
            except evidence.EvidenceError as exc:
                errors.append(str(exc))
        kept = len(self.kept_held())
        if kept + len(files) > evidence.MAX_FILES:
            raise ValidationError(
                f"Attach at most {evidence.MAX_FILES} files"
                + (f" (you have already attached {kept})." if kept else ".")
            )
        # Those that passed are held for the next try if anything on the form is wrong.
        self.accepted = accepted
        if errors:
            raise ValidationError(errors)
        return files

    def kept_held(self) -> list[HeldEvidence]:
        """The held files the person left ticked: theirs only (the field's choices are)."""
        if not self.is_bound:
            return list(self.held)
        wanted = set(self.data.getlist("keep_held")) if hasattr(self.data, "getlist") else set()
        return [h for h in self.held if str(h.public_id) in wanted]

    def show_held(self, held: list[HeldEvidence]) -> None:
        """After holding this try's good files: list all held files, ticked, when the form is
        shown again."""
        self.held = held
        if self.is_bound:
            data = cast(QueryDict, self.data).copy()
            data.setlist("keep_held", [str(h.public_id) for h in held])
            self.data = data
        self._show_held(held)

    def _show_held(self, held: list[HeldEvidence]) -> None:
        """The "already attached" checkboxes, right after the file input, while files are held."""
        field = self.fields.pop("keep_held", None) or self._held_field
        self._held_field = field
        if not held:
            return
        choice = cast(forms.ModelMultipleChoiceField, field)
        choice.queryset = HeldEvidence.objects.filter(pk__in=[h.pk for h in held])
        choice.initial = [h.public_id for h in held]
        fields = list(self.fields.items())
        at = next(i for i, (name, _) in enumerate(fields) if name == "evidence") + 1
        self.fields = dict([*fields[:at], ("keep_held", field), *fields[at:]])

    def report_input(self) -> ReportInput:
        data = self.cleaned_data
        return ReportInput(
            channel=data["channel"],
            persona=data["persona"],
            occurred_on=data["occurred_on"],
            office=data.get("office"),
            asks=data["asks"],
            offers=data["offers"],
            warning_signs=data["warning_signs"],
            approacher_name=data["approacher_name"].strip(),
            approacher_organisation=data["approacher_organisation"].strip(),
            approacher_contact=data["approacher_contact"].strip(),
            account=data["account"],
            anonymous=data["anonymous"],
        )


class TriageForm(GovukForm):
    status = forms.ChoiceField(choices=Report.Status.choices)
    outcome = forms.ChoiceField(
        choices=[("", "Not closed")] + list(Report.Outcome.choices), required=False
    )
    assigned_to = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label="Assigned to"
    )
    reliability = forms.ChoiceField(
        label="Source reliability",
        choices=[("", "Not graded")] + list(Report.Reliability.choices),
        required=False,
    )
    credibility = forms.ChoiceField(
        label="Information credibility",
        choices=[("", "Not graded")] + list(Report.Credibility.choices),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["assigned_to"])
        field.queryset = security_officers()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == Report.Status.CLOSED and not data.get("outcome"):
            self.add_error("outcome", "Choose an outcome to close the report.")
        return data


class NoteForm(GovukForm):
    text = forms.CharField(
        label="Add a note",
        max_length=5000,
        validators=[valid_unicode],
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FeedbackForm(GovukForm):
    message = forms.CharField(
        label="Message to the reporter",
        max_length=5000,
        validators=[valid_unicode],
        help_text="The reporter reads this on their report and is told by e-mail that it is there.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class QueueFilterForm(GovukForm):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        help_text="Name, organisation, contact details or words from the account",
    )
    status = forms.ChoiceField(
        choices=[("", "Open (not closed)"), ("all", "All")] + list(Report.Status.choices),
        required=False,
    )
    channel = forms.ChoiceField(choices=[("", "Any")] + list(Channel.choices), required=False)
    persona = forms.ChoiceField(choices=[("", "Any")] + list(Persona.choices), required=False)
    assigned = forms.ChoiceField(
        choices=[("", "Anyone"), ("me", "Me"), ("nobody", "Nobody")], required=False
    )
    matched = forms.BooleanField(label="Matches an alert", required=False)


class BulkTriageForm(GovukForm):
    """What to do with the reports ticked in the queue."""

    ACTIONS = [
        ("assign", "Assign to"),
        ("unassign", "Remove the assignment"),
        ("close", "Close with the outcome"),
    ]
    selected = forms.TypedMultipleChoiceField(
        label="Reports", coerce=str, error_messages={"required": "Tick at least one report"}
    )
    action = forms.ChoiceField(
        label="Action", choices=ACTIONS, error_messages={"required": "Choose an action"}
    )
    assigned_to = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Officer",
        empty_label="Choose an officer",
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[("", "Choose an outcome")] + list(Report.Outcome.choices),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["assigned_to"])
        field.queryset = security_officers()
        # Any reference may be posted; the view keeps only reports the officer can see.
        selected = cast(forms.TypedMultipleChoiceField, self.fields["selected"])
        selected.valid_value = lambda value: True  # type: ignore[method-assign]

    def clean_selected(self) -> list[str]:
        values = self.cleaned_data["selected"]
        if len(values) > 500:
            raise ValidationError("Choose at most 500 reports at a time")
        return [str(v)[:36] for v in values]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "assign" and not data.get("assigned_to"):
            self.add_error("assigned_to", "Choose the officer to assign the reports to")
        if data.get("action") == "close" and not data.get("outcome"):
            self.add_error("outcome", "Choose an outcome to close the reports")
        return data
