"""Forms for recording and deciding donations, referring people, briefing parties and keeping the
register of interests. Text is bounded and valid Unicode; amounts are positive pounds."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from portcullis.accounts.models import Organisation
from portcullis.intel.forms import valid_unicode
from portcullis.intel.tlp import Tlp
from portcullis.lib.forms import GovukForm, day_field

from .models import Donation, DonorType, Interest, Method, Recipient, Referral
from .services.donations import DonationInput
from .services.interests import InterestInput
from .services.referrals import ReferralInput

MAX_OFFICERS = 50


def _text(label: str, max_length: int, *, required: bool = False, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        validators=[valid_unicode],
        **kwargs,
    )


def _money(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal("0.01"),
        max_value=Decimal("9999999999"),
        decimal_places=2,
        help_text="In pounds, for example 2500 or 2500.50",
    )


class DonationForm(GovukForm):
    party = forms.ModelChoiceField(label="Party", queryset=Organisation.objects.none())
    kind = forms.ChoiceField(
        label="Donation or loan", choices=Donation.Kind.choices, widget=forms.RadioSelect
    )
    recipient = forms.ChoiceField(
        label="Who received it", choices=Recipient.choices, widget=forms.RadioSelect
    )
    accounting_unit = _text("Accounting unit", 200, help_text="For a local party, its name")
    recipient_name = _text("Member or candidate who received it", 200)
    method = forms.ChoiceField(label="How it was given", choices=Method.choices)
    nature = _text("What was given, if not money", 500)
    value = _money("Value")
    received_on = day_field("Date received", "the date received")
    donor_type = forms.ChoiceField(label="Type of donor", choices=DonorType.choices)
    donor_name = _text("Donor's full name", 300)
    donor_address = _text("Donor's address", 500, help_text="As on the electoral register")
    donor_postcode = _text("Postcode", 12)
    company_number = _text("Company number", 12, help_text="From Companies House, like 01234567")
    on_register = forms.BooleanField(
        label="The donor was on a UK electoral register on the day it arrived", required=False
    )
    register_evidence = _text("Evidence of the register entry", 500)
    incorporated_in_uk = forms.BooleanField(label="Incorporated in the UK", required=False)
    trading_in_uk = forms.BooleanField(label="Carries on business in the UK", required=False)
    company_evidence = _text("Evidence for the company", 500)
    officers = _text(
        "Directors and beneficial owners",
        10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One name a line: each is screened",
    )
    is_bequest = forms.BooleanField(label="A bequest", required=False)
    is_sponsorship = forms.BooleanField(label="Sponsorship", required=False)

    def __init__(self, *args: Any, parties: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["party"]
        field.queryset = parties  # type: ignore[attr-defined]
        field.empty_label = None  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("recipient") == Recipient.UNIT and not data.get("accounting_unit", "").strip():
            self.add_error("accounting_unit", "Enter the accounting unit that received it")
        if data.get("method") == Method.IN_KIND and not data.get("nature", "").strip():
            self.add_error("nature", "Enter what was given")
        if len(data.get("officers", "").splitlines()) > MAX_OFFICERS:
            self.add_error("officers", f"Give at most {MAX_OFFICERS} directors and owners")
        return data

    def donation_input(self) -> DonationInput:
        data = dict(self.cleaned_data)
        data["officers"] = [o for o in data.get("officers", "").splitlines() if o.strip()]
        return DonationInput(**data)


class DecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[
            (Donation.Status.ACCEPTED, "Accept it"),
            (Donation.Status.RETURNED, "Return it to the donor (or whoever transferred it)"),
            (Donation.Status.FORFEITED, "Send it to the Electoral Commission"),
        ],
    )
    decided_on = day_field("Date of the decision", "the date of the decision")
    evidence = _text(
        "Evidence for the decision", 4000, required=True, widget=forms.Textarea(attrs={"rows": 3})
    )
    return_method = _text("How it was returned or sent", 300)


class ReferralForm(GovukForm):
    party = forms.ModelChoiceField(label="Party", queryset=Organisation.objects.none())
    subject = forms.ChoiceField(
        label="Who are they", choices=Referral.Subject.choices, widget=forms.RadioSelect
    )
    name = _text("Full name", 300, required=True)
    birth_date = _text("Date or year of birth", 10, help_text="For example 1975 or 1975-04-02")
    country = _text("Country (two letters)", 2, help_text="For example GB")
    organisation = _text("Company or organisation", 300)
    what_party_knows = _text(
        "What the party knows",
        10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="How you met them, what they offered, anything that worries you",
    )

    def __init__(self, *args: Any, parties: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["party"]
        field.queryset = parties  # type: ignore[attr-defined]
        field.empty_label = None  # type: ignore[attr-defined]

    def referral_input(self) -> ReferralInput:
        return ReferralInput(**self.cleaned_data)


class BriefingForm(GovukForm):
    recommendation = forms.ChoiceField(
        label="Recommendation", choices=Referral.Recommendation.choices, widget=forms.RadioSelect
    )
    tlp = forms.ChoiceField(
        label="TLP marking",
        choices=[(t.value, t.label) for t in (Tlp.AMBER_STRICT, Tlp.AMBER, Tlp.RED)],
        initial=Tlp.AMBER_STRICT,
        help_text="TLP:AMBER+STRICT: the party only",
    )
    briefing = _text(
        "Briefing for the party (above the tear-line)",
        10_000,
        required=True,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    basis = _text(
        "Basis (below the tear-line: stays with the security team)",
        20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class InterestForm(GovukForm):
    category = forms.ChoiceField(label="Category", choices=Interest.Category.choices)
    house = forms.ChoiceField(
        label="House", choices=Interest.House.choices, widget=forms.RadioSelect
    )
    donor_name = _text("Who gave it", 300, required=True)
    donor_status = forms.ChoiceField(label="Type of giver", choices=DonorType.choices)
    description = _text(
        "What it was", 1000, required=True, widget=forms.Textarea(attrs={"rows": 3})
    )
    value = _money("Value")
    received_on = day_field("Date received", "the date received")
    accepted_on = day_field("Date accepted", "the date accepted")
    new_member = forms.BooleanField(
        label="I am a new member registering within a month of my election", required=False
    )
    destination = _text("Country visited (two letters)", 2)
    foreign_state_funded = forms.BooleanField(
        label="Paid for by a foreign state or its agencies", required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        received, accepted = data.get("received_on"), data.get("accepted_on")
        if received and accepted and accepted < received:
            self.add_error("accepted_on", "Date accepted must be on or after the date received")
        return data

    def interest_input(self) -> InterestInput:
        return InterestInput(**self.cleaned_data)


class RegisteredForm(GovukForm):
    registered_on = day_field("Date registered", "the date registered")


class SwitchForm(GovukForm):
    reason = _text("Reason", 500, required=True)
