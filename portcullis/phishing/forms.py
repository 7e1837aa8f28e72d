"""Forms for reports, triage and simulations. Each view validates here, then calls a service."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from portcullis.accounts.models import OFFICE_ROLES, Office, Person, Role
from portcullis.lib.forms import (
    DateInput,
    GovukForm,
    GovukModelForm,
    MultipleFileField,
    MultipleFileInput,
)
from portcullis.lib.uploads import UploadError, accept
from portcullis.training.models import Course

from . import authoring
from .analysis import looks_like_email
from .models import Authorisation, EmailTemplate, LandingPage, LureAttachment, SendingProfile
from .models.reports import MAX_RAW_BYTES, NOT_AN_EMAIL, Verdict

ROLE_CHOICES = [(r.value, r.label) for r in Role if r in OFFICE_ROLES]
REMEDIAL_DEFAULT = "phishing-account-security"


def read_upload(upload: UploadedFile) -> bytes:
    if upload.size is not None and upload.size > MAX_RAW_BYTES:
        raise forms.ValidationError(
            f"The file is larger than {MAX_RAW_BYTES // (1024 * 1024)} MB. "
            "Forward the e-mail to the report mailbox instead."
        )
    data = upload.read(MAX_RAW_BYTES + 1)
    if len(data) > MAX_RAW_BYTES:
        raise forms.ValidationError("The file is too large.")
    if not looks_like_email(data):
        raise forms.ValidationError(NOT_AN_EMAIL)
    return data


class ReportUploadForm(GovukForm):
    message = forms.FileField(
        label="The suspicious e-mail",
        help_text="Save the e-mail as a file (.eml, or .msg from Outlook) and choose it here, "
        "or drag it onto this box. Do not open its attachments first.",
        error_messages={"empty": NOT_AN_EMAIL},
    )

    def clean_message(self) -> bytes:
        return read_upload(self.cleaned_data["message"])


class OverrideForm(GovukForm):
    verdict = forms.ChoiceField(choices=Verdict.choices, widget=forms.RadioSelect)
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class AlertRequestForm(GovukForm):
    note = forms.CharField(
        label="What the alert should say",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class CampaignForm(GovukForm):
    name = forms.CharField(max_length=160)
    template = forms.ModelChoiceField(EmailTemplate.objects.all(), label="Lure")
    profile = forms.ModelChoiceField(SendingProfile.objects.all(), label="Sending profile")
    offices = forms.ModelMultipleChoiceField(
        Office.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    roles = forms.MultipleChoiceField(
        choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple, initial=[Role.STAFFER]
    )
    window_start = forms.DateTimeField(label="Send from", widget=DateTimeLocal())
    window_end = forms.DateTimeField(label="Send until", widget=DateTimeLocal())
    day_starts = forms.TimeField(
        label="Working day starts", initial="09:30", widget=forms.TimeInput(attrs={"type": "time"})
    )
    day_ends = forms.TimeField(
        label="Working day ends", initial="16:30", widget=forms.TimeInput(attrs={"type": "time"})
    )
    remedial_course = forms.ModelChoiceField(
        Course.objects.published(),
        required=False,
        label="Remedial training for people who submit details",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        default = Course.objects.published().filter(slug=REMEDIAL_DEFAULT).first()
        if default is not None:
            self.fields["remedial_course"].initial = default.pk


class AuthorisationForm(GovukModelForm):
    class Meta:
        model = Authorisation
        fields = [
            "approver_name",
            "approver_position",
            "approved_on",
            "scope",
            "valid_from",
            "valid_until",
            "reference",
        ]
        widgets = {
            "approved_on": DateInput(),
            "valid_from": DateInput(),
            "valid_until": DateInput(),
            "scope": forms.Textarea(attrs={"rows": 3}),
        }


class DoNotTestForm(GovukForm):
    email = forms.EmailField(label="The person's e-mail address")
    reason = forms.CharField(max_length=300)
    until = forms.DateField(
        required=False,
        label="Until",
        help_text="Leave empty to keep them off until removed",
        widget=DateInput(),
    )

    def clean_email(self) -> Person:
        person = Person.objects.with_email(self.cleaned_data["email"]).first()
        if person is None:
            raise forms.ValidationError("No one in the directory has this address.")
        return person

    def clean_until(self) -> Any:
        until = self.cleaned_data.get("until")
        if until and until < timezone.localdate():
            raise forms.ValidationError("The date must not be in the past.")
        return until


class SendingProfileForm(GovukModelForm):
    password = forms.CharField(
        label="SMTP password",
        required=False,
        max_length=500,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Sealed when saved and never shown again. Leave empty to keep the saved one",
    )
    forget_password = forms.BooleanField(label="Remove the saved password", required=False)

    class Meta:
        model = SendingProfile
        fields = [
            "name",
            "host",
            "port",
            "username",
            "password_env",
            "use_tls",
            "use_ssl",
            "envelope_from",
        ]


class EmailQueueForm(GovukForm):
    q = forms.CharField(
        label="Search", required=False, max_length=200, help_text="Subject or sender"
    )
    show = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "Awaiting triage"), ("all", "All reports")],
    )
    verdict = forms.ChoiceField(
        label="Analyser's verdict",
        required=False,
        choices=[("", "Any")] + list(Verdict.choices),
    )
    matched = forms.BooleanField(label="Matches an alert", required=False)


class BulkVerdictForm(GovukForm):
    """The team's verdict on the messages ticked in the queue."""

    selected = forms.MultipleChoiceField(
        label="Messages", error_messages={"required": "Tick at least one message"}
    )
    verdict = forms.ChoiceField(
        label="Verdict",
        choices=[("", "Choose a verdict")] + list(Verdict.choices),
        error_messages={"required": "Choose a verdict"},
    )
    reason = forms.CharField(
        label="Why",
        max_length=500,
        error_messages={"required": "Say why the verdict is changed"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any reference may be posted; the view keeps only messages the officer can see.
        selected = cast(forms.MultipleChoiceField, self.fields["selected"])
        selected.valid_value = lambda value: True  # type: ignore[method-assign]

    def clean_selected(self) -> list[str]:
        values = self.cleaned_data["selected"]
        if len(values) > 200:
            raise forms.ValidationError("Choose at most 200 messages at a time")
        return [str(v)[:36] for v in values]


class AttachmentChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.size // 1024 + 1} KB)"


class LureForm(GovukModelForm):
    """A lure written or corrected by a security officer; placeholders are checked here."""

    signs = forms.CharField(
        label="What should give it away",
        help_text="One per line; shown to whoever falls for it, on the teaching page",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        error_messages={"required": "Enter what should give the lure away"},
    )
    attachments = MultipleFileField(
        label="Attachments",
        required=False,
        help_text=f"Up to {authoring.MAX_ATTACHMENTS} files, "
        f"{authoring.MAX_ATTACHMENT_BYTES // 1048576} MB each: PDF, Word (.docx), Excel (.xlsx), "
        "PNG, JPEG, text or calendar (.ics); sent with every copy and with the test. A lure "
        "drafted from a reported e-mail never carries that message's attachments: they may be "
        "live malware.",
        widget=MultipleFileInput(attrs={"accept": accept(authoring.ATTACHMENTS)}),
    )
    remove_attachments = AttachmentChoices(
        LureAttachment.objects.none(),
        label="Remove attachments",
        required=False,
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick a file to stop sending it",
    )

    class Meta:
        model = EmailTemplate
        fields = [
            "name",
            "from_name",
            "from_address",
            "subject",
            "text_body",
            "html_body",
            "landing_page",
        ]
        labels = {
            "name": "Name (for the security team)",
            "from_name": "Sender's name",
            "from_address": "Sender's address",
            "text_body": "Text version",
            "html_body": "HTML version",
        }
        help_texts = {
            "subject": "Placeholders: {{ first_name }}, {{ full_name }}, {{ office }}",
            "text_body": "Use {{ link }} for the tracking link; {{ first_name }}, {{ office }}",
            "html_body": "Links become {{ link }}; {{ pixel }} adds the tracking image",
        }
        widgets = {
            "text_body": forms.Textarea(attrs={"rows": 10}),
            "html_body": forms.Textarea(attrs={"rows": 10}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["html_body"].required = False
        cast(
            forms.ModelChoiceField, self.fields["landing_page"]
        ).empty_label = "Choose a landing page"
        if self.instance.pk and not self.is_bound:
            self.initial["signs"] = "\n".join(self.instance.tell_tale_signs)
        self.existing = list(self.instance.attachments.all()) if self.instance.pk else []
        if self.existing:
            remove = cast(forms.ModelMultipleChoiceField, self.fields["remove_attachments"])
            remove.queryset = LureAttachment.objects.filter(template=self.instance)
        else:
            del self.fields["remove_attachments"]
        self.checked: list[Any] = []

    def clean_attachments(self) -> list[Any]:
        files = self.cleaned_data.get("attachments") or []
        errors, checked = [], []
        for upload in files:
            try:
                checked.append(authoring.check_attachment(upload))
            except UploadError as exc:
                errors.append(str(exc))
        if errors:
            raise forms.ValidationError(errors)
        self.checked = checked
        return files

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        removed = len(data.get("remove_attachments") or [])
        if len(self.existing) - removed + len(self.checked) > authoring.MAX_ATTACHMENTS:
            self.add_error(
                "attachments", f"A lure can carry at most {authoring.MAX_ATTACHMENTS} attachments"
            )
        return data

    def _placeholders(self, name: str) -> str:
        value = str(self.cleaned_data.get(name) or "")
        problems = authoring.placeholder_errors(value)
        if problems:
            raise forms.ValidationError(problems)
        return value

    def clean_subject(self) -> str:
        return self._placeholders("subject")

    def clean_text_body(self) -> str:
        value = self._placeholders("text_body")
        if "{{ link }}" not in value.replace("{{link}}", "{{ link }}"):
            raise forms.ValidationError("Put {{ link }} in the text version: it is what is tested")
        return value

    def clean_html_body(self) -> str:
        return self._placeholders("html_body")

    def clean_signs(self) -> list[str]:
        signs = [line.strip() for line in self.cleaned_data["signs"].splitlines() if line.strip()]
        if not signs:
            raise forms.ValidationError("Enter what should give the lure away")
        return signs[:12]


class LureTestForm(GovukForm):
    profile = forms.ModelChoiceField(
        SendingProfile.objects.all(),
        label="Sending profile",
        empty_label=None,
        error_messages={"required": "Choose the sending profile to send the test over"},
    )


OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")


class LureImportForm(GovukForm):
    message = forms.FileField(
        label="A reported e-mail (.eml)",
        help_text="Its links become the tracking link; addresses and remote images are removed. "
        "Its attachments are not carried over: they may be live malware.",
        error_messages={"required": "Choose the .eml file to start the lure from"},
    )

    def clean_message(self) -> bytes:
        upload = self.cleaned_data["message"]
        if upload.size > MAX_RAW_BYTES:
            raise forms.ValidationError("The file is too large.")
        data = upload.read()
        if data.startswith(OLE_MAGIC):
            raise forms.ValidationError(
                "This is an Outlook .msg file: for a lure, forward the message as an attachment "
                "or save it as .eml"
            )
        if not looks_like_email(data):
            raise forms.ValidationError(NOT_AN_EMAIL)
        return bytes(data)


class LandingPageForm(GovukModelForm):
    """A landing page as people see it. Its fields are only labels: the product draws them
    with no name, so nothing typed is ever sent, whatever a page asks for."""

    field_labels = forms.CharField(
        label="Fields the page asks for",
        help_text="One label per line, e.g. E-mail address, Password",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Enter at least one field label"},
    )

    class Meta:
        model = LandingPage
        fields = ["name", "kind", "brand", "heading", "intro", "continue_label", "submit_label"]
        labels = {
            "name": "Name (for the security team)",
            "brand": "Name shown at the top of the page",
            "continue_label": "Button of the confirming step",
            "submit_label": "Button under the fields",
        }
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["field_labels"] = "\n".join(self.instance.fields)

    def clean_field_labels(self) -> list[str]:
        labels = [line.strip()[:60] for line in self.cleaned_data["field_labels"].splitlines()]
        labels = [label for label in labels if label]
        if not labels:
            raise forms.ValidationError("Enter at least one field label")
        if len(labels) > 6:
            raise forms.ValidationError("A landing page asks for at most 6 fields")
        return labels
