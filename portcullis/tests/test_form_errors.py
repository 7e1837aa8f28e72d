"""Every error names its field (GOV.UK: "Enter e-mail address", not "This field is required.")."""

from __future__ import annotations

from django import forms
from django.test import SimpleTestCase

from portcullis.accounts.forms import SignInForm
from portcullis.lib.forms import GovukForm


class Example(GovukForm):
    name = forms.CharField(label="Full name", max_length=5)
    day = forms.DateField(label="Date of the briefing")
    office = forms.ChoiceField(label="Office", choices=[("a", "A")])
    agree = forms.BooleanField(label="I have checked who will be told")
    evidence = forms.FileField(label="Evidence file")
    custom = forms.CharField(error_messages={"required": "Say what happened."})


class NamedErrorTests(SimpleTestCase):
    def test_an_empty_form_names_each_field(self) -> None:
        errors = Example({}).errors
        self.assertEqual(errors["name"], ["Enter full name"])
        self.assertEqual(errors["day"], ["Enter date of the briefing"])
        self.assertEqual(errors["office"], ["Select office"])
        self.assertEqual(errors["agree"], ["Tick “I have checked who will be told” to continue"])
        self.assertEqual(errors["evidence"], ["Select evidence file"])
        self.assertEqual(errors["custom"], ["Say what happened."])

    def test_wrong_values_are_named_too(self) -> None:
        errors = Example({"name": "Too long a name", "day": "31/02", "office": "z"}).errors
        self.assertEqual(errors["name"], ["Full name must be 5 characters or fewer (it has 15)"])
        self.assertEqual(
            errors["day"], ["Date of the briefing must be a real date, like 2026-03-27"]
        )
        self.assertEqual(errors["office"], ["Select one of the options for office"])

    def test_the_sign_in_form_asks_for_the_e_mail_address(self) -> None:
        errors = SignInForm({"username": "not an address"}).errors
        wrong = "Enter e-mail address in the correct format, like name@example.com"
        self.assertEqual(errors["username"], [wrong])
        self.assertEqual(errors["password"], ["Enter password"])
