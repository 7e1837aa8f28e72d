"""Forms for inviting, confirming, the gate, the security check, the level and roll calls. Text is
bounded and valid Unicode; errors name their field."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from portcullis.accounts.models import Office, User
from portcullis.intel.forms import valid_unicode
from portcullis.lib.forms import GovukForm, day_field

from . import services
from .models import Area
from .rules import IdType, Level

MAX_GROUP_LINES = 50


def _text(label: str, max_length: int, *, required: bool = True, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, required=required, validators=[valid_unicode], **kwargs
    )


def _time(label: str, what: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        help_text="For example, 14:30",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": f"Enter {what}",
            "invalid": f"Enter {what} as a time, for example 14:30",
        },
    )


class _People(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class InviteForm(GovukForm):
    office = forms.ModelChoiceField(label="Office", queryset=Office.objects.none())
    day = day_field("Day of the visit", "the day of the visit")
    starts = _time("Arrives at", "the time they arrive")
    ends = _time("Leaves by", "the time they leave")
    area = forms.ModelChoiceField(label="Area or office visited", queryset=Area.objects.all())
    purpose = _text("Purpose of the visit", 300)
    name = _text(
        "Visitor's name, as on their photo ID", 200, help_text="Exactly as printed on their ID."
    )
    organisation = _text("Their organisation", 200, required=False)
    email = forms.EmailField(
        label="Their e-mail address",
        max_length=254,
        help_text="We send them their QR code and a link to confirm their details.",
    )
    phone = _text("Their phone number", 40, required=False, help_text="Used in an evacuation.")
    group = _text(
        "More visitors in the same group",
        10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line: name as on ID, organisation, e-mail address.",
    )
    repeat_weeks = forms.IntegerField(
        label="Repeat every week for",
        required=False,
        min_value=0,
        max_value=12,
        help_text="Number of further weeks, for a regular visitor (at most 12). Leave empty for "
        "one visit.",
    )
    co_hosts = _People(
        label="Co-hosts (optional)",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    escorts = _People(
        label="Named escorts (optional)",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only you and the passholders named here may escort these visitors.",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offices = Office.objects.filter(pk__in=user.scope.office_ids)
        self.fields["office"].queryset = offices  # type: ignore[attr-defined]
        if len(user.scope.office_ids) == 1:
            self.fields["office"].initial = next(iter(user.scope.office_ids))
        colleagues = (
            User.objects.filter(
                is_active=True,
                person__memberships__office_id__in=user.scope.office_ids,
                person__memberships__ended_on__isnull=True,
            )
            .exclude(pk=user.pk)
            .select_related("person")
            .distinct()
            .order_by("person__full_name")
        )
        for name in ("co_hosts", "escorts"):
            self.fields[name].queryset = colleagues  # type: ignore[attr-defined]

    def clean_group(self) -> list[services.VisitorInput]:
        lines = [line for line in self.cleaned_data["group"].splitlines() if line.strip()]
        if len(lines) > MAX_GROUP_LINES:
            raise ValidationError(f"More visitors: at most {MAX_GROUP_LINES} lines")
        visitors = []
        for number, line in enumerate(lines, start=1):
            parts = [p.strip() for p in line.split(",")]
            if not parts[0] or len(parts) > 3:
                raise ValidationError(
                    f"More visitors, line {number}: give name, organisation, e-mail address"
                )
            email = parts[2] if len(parts) == 3 else ""
            if email:
                try:
                    forms.EmailField().clean(email)
                except ValidationError:
                    raise ValidationError(
                        f"More visitors, line {number}: the e-mail address is not valid"
                    ) from None
            visitors.append(
                services.VisitorInput(
                    name=parts[0][:200],
                    organisation=(parts[1] if len(parts) > 1 else "")[:200],
                    email=email,
                )
            )
        return visitors

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        starts, ends = data.get("starts"), data.get("ends")
        if data.get("day") and starts and ends and ends <= starts:
            self.add_error("ends", "Leaves by must be after the time they arrive")
        return data

    def invitation_input(self) -> services.InvitationInput:
        data = self.cleaned_data
        first = services.VisitorInput(
            name=data["name"],
            organisation=data["organisation"],
            email=data["email"],
            phone=data["phone"],
        )
        return services.InvitationInput(
            office=data["office"],
            area=data["area"],
            purpose=data["purpose"],
            starts_at=_at(data["day"], data["starts"]),
            ends_at=_at(data["day"], data["ends"]),
            visitors=[first, *data["group"]],
            co_hosts=list(data["co_hosts"]),
            escorts=list(data["escorts"]),
            repeat_weeks=data["repeat_weeks"] or 0,
        )


def _at(day: Any, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


class VisitorForm(GovukForm):
    name = _text("Name, as on photo ID", 200)
    organisation = _text("Organisation", 200, required=False)
    email = forms.EmailField(label="E-mail address", max_length=254, required=False)
    phone = _text("Phone number", 40, required=False)

    def visitor_input(self) -> services.VisitorInput:
        data = self.cleaned_data
        return services.VisitorInput(
            name=data["name"],
            organisation=data["organisation"],
            email=data["email"],
            phone=data["phone"],
        )


class ConfirmForm(VisitorForm):
    consent = forms.BooleanField(
        label="I confirm these details and agree to the security checks",
        help_text="Your name is checked against security lists before your visit and your "
        "photo ID at the entrance. The number of your ID is never recorded.",
    )


class DecideCheckForm(GovukForm):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            ("clear", "Not the person listed: the visit may go ahead"),
            ("bar", "The person listed: refuse the visit"),
        ],
        widget=forms.RadioSelect,
    )
    reason = _text("Reason for the decision", 500, widget=forms.Textarea(attrs={"rows": 3}))


class GateSearchForm(forms.Form):
    q = forms.CharField(
        label="Scan the QR code or type a name",
        max_length=100,
        required=False,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "off", "spellcheck": "false"}
        ),
    )


class CheckInForm(GovukForm):
    id_type = forms.ChoiceField(
        label="Photo ID seen", choices=IdType.choices, widget=forms.RadioSelect
    )
    name_matches = forms.ChoiceField(
        label="Does the name on the ID match the invitation?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
    )
    expires_on = day_field("ID expiry date", "the ID's expiry date", required=False)
    escort = forms.ModelChoiceField(
        label="Escort",
        queryset=User.objects.none(),
        required=False,
        help_text="The host or a named escort who is on the estate.",
    )

    def __init__(self, *args: Any, escorts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["escort"].queryset = escorts  # type: ignore[attr-defined]
        self.fields["expires_on"].help_text = "Never type the document's number."

    def id_check(self) -> services.IdCheck:
        data = self.cleaned_data
        return services.IdCheck(
            id_type=data["id_type"],
            name_matches=data["name_matches"] == "yes",
            expires_on=data["expires_on"],
        )


class RefuseForm(GovukForm):
    reason = _text("Reason for refusing entry", 500)


class WalkInForm(GovukForm):
    name = _text("Visitor's name, as on their photo ID", 200)
    organisation = _text("Their organisation", 200, required=False)
    phone = _text("Their phone number", 40, required=False)
    host_email = forms.EmailField(
        label="Their host's e-mail address",
        required=False,
        help_text="Leave empty if they cannot name a host: they will be refused.",
    )
    area = forms.ModelChoiceField(label="Area or office visited", queryset=Area.objects.all())
    purpose = _text("Purpose of the visit", 300, required=False)


class EscortForm(GovukForm):
    escort = forms.ModelChoiceField(label="New escort", queryset=User.objects.none())

    def __init__(self, *args: Any, escorts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["escort"].queryset = escorts  # type: ignore[attr-defined]


class LevelForm(GovukForm):
    level = forms.ChoiceField(
        label="Response level", choices=Level.choices, widget=forms.RadioSelect
    )
    reason = _text("Reason for the change", 300)


class ApprovalForm(GovukForm):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("approve", "Approve"), ("refuse", "Refuse")],
        widget=forms.RadioSelect,
    )
