from typing import Any

from django import forms
from django.db.models import Q

from portcullis.lib.forms import DateInput, GovukForm

from .models import LedgerEntryQuerySet


class LedgerFilterForm(GovukForm):
    action = forms.CharField(
        label="Action",
        required=False,
        max_length=80,
        help_text="For example session.sign_in_failed or directory.",
    )
    actor = forms.CharField(label="Who", required=False, max_length=254)
    target = forms.CharField(label="About", required=False, max_length=200)
    since = forms.DateField(label="From", required=False, widget=DateInput())
    until = forms.DateField(label="To", required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "govuk-input--width-10")

    def filter(self, qs: LedgerEntryQuerySet) -> LedgerEntryQuerySet:
        if not self.is_valid():
            return qs.none()
        data = self.cleaned_data
        if data["action"]:
            qs = qs.filter(action__startswith=data["action"])
        if data["actor"]:
            qs = qs.filter(actor_label__icontains=data["actor"])
        if data["target"]:
            qs = qs.filter(
                Q(target_label__icontains=data["target"]) | Q(target_type=data["target"])
            )
        if data["since"]:
            qs = qs.filter(at__date__gte=data["since"])
        if data["until"]:
            qs = qs.filter(at__date__lte=data["until"])
        return qs
