from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import forms as auth_forms

from portcullis.lib.csvsafe import MAX_CSV_BYTES
from portcullis.lib.forms import GovukForm, NamedErrors, day_field

from .models import Office, Organisation, Role, User


class SignInForm(GovukForm):
    username = forms.EmailField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TokenForm(GovukForm):
    token = forms.CharField(
        label="Security code",
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
    )


class DirectoryImportForm(GovukForm):
    file = forms.FileField(
        label="Directory file (CSV)",
        help_text="Columns: name, emails (separate several with ;), office, role; optionally "
        "organisation, party, job_title. Nothing is imported if any row has an error.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(
                f"The directory file must be smaller than {MAX_CSV_BYTES // (1024 * 1024)} MB."
            )
        return upload


class PeopleSearchForm(GovukForm):
    q = forms.CharField(label="Search by name or e-mail", required=False, max_length=100)


class ApiTokenForm(GovukForm):
    name = forms.CharField(
        label="Name",
        help_text="What the token is for, such as the integration's name.",
        max_length=100,
        error_messages={"required": "Enter a name for the token, such as the integration's name"},
    )
    scopes = forms.MultipleChoiceField(
        label="Parts of the API it may use",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the parts of the API the integration needs"},
    )
    days = forms.TypedChoiceField(
        label="Expires after",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose when the token expires"},
    )
    write = forms.BooleanField(
        label="It may also make changes (report, screen, record decisions)",
        required=False,
    )

    def __init__(self, *args: object, max_days: int, **kwargs: object) -> None:
        from .tokens import SCOPES

        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = list(SCOPES.items())  # type: ignore[attr-defined]
        self.fields["days"].choices = [  # type: ignore[attr-defined]
            (days, f"{days} days") for days in (7, 30, 90, 365) if days <= max_days
        ]


class ApiTokenAllowanceForm(GovukForm):
    reason = forms.CharField(
        label="Why this person needs API tokens",
        help_text="For example, the integration it is for. It is recorded in the ledger.",
        max_length=300,
        error_messages={"required": "Enter why this person needs an API token"},
    )


def _required(message: str) -> dict[str, str]:
    return {"required": message}


class StarterForm(GovukForm):
    full_name = forms.CharField(
        label="Full name", max_length=200, error_messages=_required("Enter their full name")
    )
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        error_messages={
            "required": "Enter their e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.com",
        },
    )
    job_title = forms.CharField(label="Job title (optional)", max_length=200, required=False)
    role = forms.ChoiceField(
        label="Role",
        choices=[("staffer", "Staffer"), ("office_manager", "Office manager")],
        widget=forms.RadioSelect,
        initial="staffer",
        error_messages=_required("Choose their role"),
    )
    started_on = day_field("First day", "their first day")


class LeaverForm(GovukForm):
    left_on = day_field("Last day", "their last day")


class EmailChangeForm(GovukForm):
    email = forms.EmailField(
        label="New e-mail address",
        max_length=254,
        error_messages={
            "required": "Enter the new e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.com",
        },
    )


class MembershipForm(GovukForm):
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.all(),
        error_messages=_required("Choose the organisation"),
    )
    office = forms.ModelChoiceField(
        label="Office (for members, staffers and office managers)",
        queryset=Office.objects.select_related("organisation"),
        required=False,
    )
    role = forms.ChoiceField(
        label="Role", choices=Role.choices, error_messages=_required("Choose the role")
    )
    started_on = day_field("From", "the day the role starts")


class EndMembershipForm(GovukForm):
    ended_on = day_field("Last day in the role", "the last day in the role")


class PasswordChangeForm(NamedErrors, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(NamedErrors, auth_forms.PasswordResetForm):
    pass


if TYPE_CHECKING:
    _SetPasswordForm = auth_forms.SetPasswordForm[User]
else:
    _SetPasswordForm = auth_forms.SetPasswordForm


class SetPasswordForm(NamedErrors, _SetPasswordForm):
    pass


class SavedFilterForm(GovukForm):
    name = forms.CharField(
        label="Name for this filter",
        max_length=80,
        error_messages={"required": "Enter a name for this filter"},
    )
