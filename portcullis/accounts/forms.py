from django import forms


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


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label="Search by name or e-mail", required=False, max_length=100)
