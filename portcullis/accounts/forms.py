from typing import Any

from django import forms

from portcullis.lib.csvsafe import MAX_CSV_BYTES


class SignInForm(forms.Form):
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


class TokenForm(forms.Form):
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


class DirectoryImportForm(forms.Form):
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


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label="Search by name or e-mail", required=False, max_length=100)


class ApiTokenForm(forms.Form):
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

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["scopes"].choices = list(SCOPES.items())  # type: ignore[attr-defined]
        self.fields["days"].choices = [  # type: ignore[attr-defined]
            (days, f"{days} days") for days in (7, 30, 90, 365) if days <= max_days
        ]


class ApiTokenAllowanceForm(forms.Form):
    reason = forms.CharField(
        label="Why this person needs API tokens",
        help_text="For example, the integration it is for. It is recorded in the ledger.",
        max_length=300,
        error_messages={"required": "Enter why this person needs an API token"},
    )
