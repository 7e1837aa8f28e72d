from __future__ import annotations

import random
from typing import Any, cast

from django import forms

from portcullis.accounts.models import Membership, Role
from portcullis.lib.forms import GovukForm

from .models import Course, Exemption, Question


class QuizForm(GovukForm):
    """One field per drawn question; choices shuffled, values are choice public ids."""

    def __init__(self, *args: Any, questions: list[Question], seed: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rng = random.Random(seed)  # noqa: S311 - choice order, not a secret
        for n, question in enumerate(questions, start=1):
            choices = [(str(c.public_id), c.text) for c in question.choices.all()]
            rng.shuffle(choices)
            multiple = question.kind == Question.Kind.MULTIPLE
            field_class = forms.MultipleChoiceField if multiple else forms.ChoiceField
            widget = forms.CheckboxSelectMultiple if multiple else forms.RadioSelect
            self.fields[str(question.public_id)] = field_class(
                label=f"{n}. {question.text}",
                choices=choices,
                widget=widget,
                help_text="Choose all that apply." if multiple else "",
                error_messages={"required": f"Answer question {n}."},
            )

    def answers(self) -> dict[str, list[str]]:
        return {
            key: value if isinstance(value, list) else [value]
            for key, value in self.cleaned_data.items()
        }


class ExternalCompletionForm(GovukForm):
    course = forms.ModelChoiceField(queryset=Course.objects.published(), to_field_name="slug")
    completed_on = forms.DateField(
        label="Date of the briefing", help_text="For example, 2026-03-27"
    )
    evidence_note = forms.CharField(
        label="Evidence",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Who gave the briefing, where, and how attendance was recorded.",
    )
    evidence = forms.FileField(label="Evidence file", required=False)


class ExemptionForm(GovukForm):
    reason = forms.ChoiceField(choices=Exemption.Reason.choices, widget=forms.RadioSelect)
    detail = forms.CharField(max_length=300, help_text="Enough for a colleague to understand it.")
    starts_on = forms.DateField(label="From", help_text="For example, 2026-03-27")
    ends_on = forms.DateField(label="Until", required=False, help_text="Leave empty if not known")
    course = forms.ModelChoiceField(
        queryset=Course.objects.published(),
        to_field_name="slug",
        required=False,
        empty_label="All courses",
    )


class RemedialForm(GovukForm):
    course = forms.ModelChoiceField(queryset=Course.objects.published(), to_field_name="slug")
    reason = forms.CharField(max_length=300)
    due_on = forms.DateField(required=False, help_text="Empty: in 14 days")


class CourseVersionForm(GovukForm):
    note = forms.CharField(max_length=300, label="What changed")
    substantive = forms.BooleanField(
        required=False,
        label="Substantive change: everyone must complete it again",
    )


class AppealForm(GovukForm):
    text = forms.CharField(
        label="Why your name should not be published",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
    )


class AppealDecisionForm(GovukForm):
    upheld = forms.TypedChoiceField(
        choices=[("yes", "Uphold: remove from the list"), ("no", "Reject: keep on the list")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        label="Decision",
    )
    note = forms.CharField(max_length=300, required=False)


class NoticeForm(GovukForm):
    """Confirms a notice preview: the people shown are carried so that notice never tells anyone
    the officer did not see."""

    people = forms.MultipleChoiceField(widget=forms.MultipleHiddenInput, required=False)
    confirm = forms.BooleanField(
        label="I have checked who will be told",
        error_messages={"required": "Confirm that you have checked who will be told"},
    )

    def __init__(self, *args: Any, people: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.MultipleChoiceField, self.fields["people"])
        field.choices = [(key, key) for key in people]
        field.initial = people


def _party_officers() -> Any:
    return (
        Membership.objects.active()
        .filter(role=Role.PARTY_COMPLIANCE_OFFICER)
        .select_related("person", "organisation")
    )


class PartyOfficerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.person.full_name}, {obj.organisation.name}"


class AccessGrantForm(GovukForm):
    officer = PartyOfficerChoice(
        label="Party compliance officer",
        queryset=Membership.objects.none(),
        to_field_name="public_id",
        help_text="They will see the training records of their own party's members.",
        error_messages={"required": "Choose the party compliance officer"},
    )
    starts_on = forms.DateField(
        label="From",
        help_text="For example, 2026-03-27",
        error_messages={
            "required": "Enter the day access starts",
            "invalid": "Enter the day access starts as a date, for example 2026-03-27",
        },
    )
    expires_on = forms.DateField(
        label="Until (optional)",
        required=False,
        help_text="Leave empty for access until it is withdrawn",
        error_messages={"invalid": "Enter the day access ends as a date, for example 2026-03-27"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = _party_officers()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("expires_on")
        if starts and ends and ends < starts:
            self.add_error("expires_on", "The end must be on or after the start")
        return data
