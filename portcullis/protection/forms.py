from django import forms

from portcullis.lib.forms import GovukForm

from .models import Clearance, ExposureProfile


class ClearanceForm(GovukForm):
    level = forms.ChoiceField(choices=Clearance.Level.choices, widget=forms.RadioSelect)
    status = forms.ChoiceField(choices=Clearance.Status.choices)
    applied_on = forms.DateField(help_text="For example, 2026-03-27")
    granted_on = forms.DateField(required=False)
    expires_on = forms.DateField(required=False)
    reference = forms.CharField(max_length=60, required=False)


class DeviceForm(GovukForm):
    serial = forms.CharField(max_length=60, label="Serial number")


class ExposureForm(GovukForm):
    tier = forms.TypedChoiceField(
        label="Exposure tier",
        choices=ExposureProfile.Tier.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the exposure tier"},
    )
    reason = forms.CharField(
        label="Why",
        max_length=300,
        help_text="Recorded with the change, for example a committee role or a recent threat.",
        error_messages={"required": "Enter why the tier changes"},
    )
