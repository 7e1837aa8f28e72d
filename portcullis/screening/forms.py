from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from portcullis.accounts.models import Organisation
from portcullis.lib.forms import GovukForm

from . import matching
from .batch import MAX_BYTES as MAX_BATCH_BYTES
from .imports import WatchlistEntry
from .models import BatchHit, Decision, EntityType, Screening

DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$|^\d{4}\.\.\d{4}$")
MAX_LIST_BYTES = 200 * 1024 * 1024


def _lines(value: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in value.splitlines() if line.strip())


def _dates(value: str) -> tuple[str, ...]:
    found = tuple(part.strip() for part in value.split(";") if part.strip())
    for part in found:
        if not DATE.match(part):
            raise ValidationError(f"{part!r} is not a date: use 1961-03-02, 1961-03 or 1961.")
    return found


class SubjectFields(GovukForm):
    name = forms.CharField(max_length=300, help_text="In any script, any order.")
    aliases = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Other names or spellings, one per line.",
    )
    birth_date = forms.CharField(
        label="Date of birth",
        required=False,
        max_length=60,
        help_text="For example 1961-03-02, 1961-03 or 1961. Separate several with ;",
    )
    country = forms.CharField(
        required=False,
        max_length=200,
        help_text="Nationality or country, as a name or a code like GB. Separate several with ;",
    )
    entity_type = forms.ChoiceField(
        label="Type",
        choices=EntityType.choices,
        initial=EntityType.UNKNOWN,
        widget=forms.RadioSelect,
    )

    def clean_birth_date(self) -> tuple[str, ...]:
        return _dates(self.cleaned_data["birth_date"])

    def clean_country(self) -> tuple[str, ...]:
        return tuple(c.strip() for c in self.cleaned_data["country"].split(";") if c.strip())

    def query(self) -> matching.Subject:
        data = self.cleaned_data
        return matching.Subject(
            name=data["name"],
            aliases=_lines(data["aliases"]),
            birth_dates=data["birth_date"],
            countries=data["country"],
            entity_type=matching.EntityType(data["entity_type"]),
        )


class PartyChoice(GovukForm):
    """Party officers of more than one party say which party the work is for."""

    def __init__(self, *args: Any, parties: list[Organisation] | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if parties and len(parties) > 1:
            self.fields["party"] = forms.ModelChoiceField(
                queryset=Organisation.objects.filter(pk__in=[p.pk for p in parties]),
                empty_label=None,
            )


class ScreenForm(SubjectFields, PartyChoice):
    purpose = forms.CharField(
        max_length=200, help_text="Why you are screening, for example: donor check, new staffer."
    )
    monitor = forms.BooleanField(
        label="Keep monitoring: re-screen when a list changes and tell me of any change",
        required=False,
    )


class DecisionForm(GovukForm):
    verdict = forms.ChoiceField(choices=Decision.Verdict.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        help_text="What you checked, for example: date of birth on the passport differs.",
    )


class BatchDecisionForm(GovukForm):
    verdict = forms.ChoiceField(
        label="Decision", choices=BatchHit.Verdict.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        help_text="What you checked, for example: the donor's passport shows another birth date.",
    )


class ListUploadForm(GovukForm):
    file = forms.FileField(label="List file")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_LIST_BYTES:
            raise ValidationError("The file is larger than 200 MB.")
        return upload


class DownloadForm(GovukForm):
    download_url = forms.URLField(
        label="Publisher's download address",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="The file's address on the publisher's site. Fetched once a day; an unchanged "
        "file makes no new version. Leave empty to import by upload only.",
        error_messages={"invalid": "Enter the download address as a full web address"},
    )


class WatchlistForm(GovukForm):
    name = forms.CharField(label="Watchlist name", max_length=120)
    description = forms.CharField(required=False, max_length=500)


class WatchlistEntryForm(SubjectFields):
    note = forms.CharField(
        required=False, max_length=500, help_text="Why this entry is on the watchlist."
    )

    def entry(self) -> WatchlistEntry:
        query = self.query()
        return WatchlistEntry(
            name=query.name,
            aliases=query.aliases,
            birth_dates=query.birth_dates,
            countries=query.countries,
            entity_type=query.entity_type.value,
            note=self.cleaned_data["note"],
        )


class BatchForm(PartyChoice):
    file = forms.FileField(
        label="CSV or XLSX file",
        help_text="First row: column names. Needed: name. Optional: reference, aliases, "
        "birth_date, country, type (person or organisation). Up to 100,000 rows.",
    )
    purpose = forms.CharField(max_length=200)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError("Upload a .csv or .xlsx file.")
        if upload.size > MAX_BATCH_BYTES:
            raise ValidationError("The file is larger than 60 MB.")
        return upload


class ScreeningQueueForm(GovukForm):
    q = forms.CharField(
        label="Search", required=False, max_length=200, help_text="Name screened or purpose"
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        required=False,
        choices=[
            ("", "Any"),
            ("review", "Hits to review"),
            ("confirmed", "Confirmed hits"),
            ("clear", "No open hits"),
        ],
    )
    trigger = forms.ChoiceField(
        label="Started by",
        required=False,
        choices=[("", "Any")] + list(Screening.Trigger.choices),
    )
