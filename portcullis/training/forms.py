from __future__ import annotations

import random
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile

from portcullis.accounts.models import Membership, Office, Organisation, Role
from portcullis.lib import uploads
from portcullis.lib.forms import GovukForm, day_field
from portcullis.protection.models import ExposureProfile

from .models import Course, Exemption, Question, Requirement


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
    evidence = forms.FileField(
        label="Evidence file",
        required=False,
        help_text="Up to 10 MB: a screenshot, PDF, forwarded e-mail (.eml) or text.",
        widget=forms.ClearableFileInput(attrs={"accept": uploads.accept(uploads.EVIDENCE)}),
    )

    def clean_evidence(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("evidence")
        if not upload:
            return None
        try:
            checked = uploads.check_evidence(upload)
        except uploads.UploadError as exc:
            raise forms.ValidationError(str(exc)) from exc
        upload.name = checked.stored_name  # stored under a name of ours, of the checked type
        return upload


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


# --- authoring: the security team writes courses and requirements ------------------------------


class CourseForm(GovukForm):
    title = forms.CharField(max_length=200, label="Course title")
    summary = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or two sentences: who it is for and what they will learn.",
    )
    minutes = forms.IntegerField(label="Estimated minutes", min_value=1, max_value=600, initial=20)
    pass_mark = forms.IntegerField(
        label="Pass mark", min_value=1, max_value=100, initial=80, help_text="Per cent"
    )
    questions_per_attempt = forms.IntegerField(
        label="Questions per attempt",
        min_value=1,
        max_value=50,
        initial=4,
        help_text="Drawn from the pool each time, so a retake asks different ones.",
    )


class ModuleForm(GovukForm):
    title = forms.CharField(max_length=200, label="Section title")
    body = forms.CharField(
        label="Section text",
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text='Leave a blank line between paragraphs. Start a line with "## " for a heading '
        'and "- " for a list item; put **two stars** around words to make them bold.',
    )
    image = forms.FileField(
        label="Picture (optional)",
        required=False,
        help_text="PNG, JPEG, GIF or WebP, at most 2 MB; shown above the section's text. "
        "Choosing one replaces the current picture.",
        widget=forms.ClearableFileInput(attrs={"accept": ".png,.jpg,.jpeg,.gif,.webp"}),
    )
    image_alt = forms.CharField(
        label="What the picture shows (alt text)",
        required=False,
        max_length=200,
        help_text="Read aloud to those who cannot see it; required with a picture",
    )
    remove_image = forms.BooleanField(label="Remove the current picture", required=False)


OPTION_FIELDS = [f"option_{n}" for n in range(1, 7)]


class QuestionForm(GovukForm):
    text = forms.CharField(
        label="Question", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    option_1 = forms.CharField(label="Option 1", max_length=300)
    option_2 = forms.CharField(label="Option 2", max_length=300)
    option_3 = forms.CharField(label="Option 3 (optional)", max_length=300, required=False)
    option_4 = forms.CharField(label="Option 4 (optional)", max_length=300, required=False)
    option_5 = forms.CharField(label="Option 5 (optional)", max_length=300, required=False)
    option_6 = forms.CharField(label="Option 6 (optional)", max_length=300, required=False)
    correct = forms.MultipleChoiceField(
        label="Which options are correct",
        choices=[(str(n), f"Option {n}") for n in range(1, 7)],
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick more than one to make it a “choose all that apply” question.",
        error_messages={"required": "Select which options are correct"},
    )
    explanation = forms.CharField(
        label="Explanation",
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown after answering: why the right answer is right.",
    )

    @classmethod
    def initial_for(cls, question: Question) -> dict[str, Any]:
        choices = list(question.choices.all())
        initial: dict[str, Any] = {"text": question.text, "explanation": question.explanation}
        for name, choice in zip(OPTION_FIELDS, choices, strict=False):
            initial[name] = choice.text
        initial["correct"] = [str(n) for n, c in enumerate(choices, start=1) if c.is_correct]
        return initial

    def options(self) -> list[tuple[str, bool]]:
        correct = set(self.cleaned_data.get("correct", []))
        return [
            (self.cleaned_data.get(name, ""), str(n) in correct)
            for n, name in enumerate(OPTION_FIELDS, start=1)
        ]


class PublishForm(GovukForm):
    note = forms.CharField(
        max_length=300, label="What changed", required=False, help_text="Empty for a first version"
    )
    substantive = forms.BooleanField(
        required=False,
        label="Substantive change: everyone must complete it again",
    )


class RequirementForm(GovukForm):
    name = forms.CharField(
        max_length=200, label="Name", help_text="For example, Security essentials for staff"
    )
    course = forms.ModelChoiceField(
        queryset=Course.objects.published(), to_field_name="public_id", label="Course"
    )
    roles = forms.MultipleChoiceField(
        label="Roles (optional)",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="None ticked: any role.",
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.order_by("name"),
        to_field_name="public_id",
        required=False,
        label="Organisation (optional)",
        empty_label="Any organisation",
    )
    office = forms.ModelChoiceField(
        queryset=Office.objects.order_by("name"),
        to_field_name="public_id",
        required=False,
        label="Office (optional)",
        empty_label="Any office",
    )
    min_exposure_tier = forms.TypedChoiceField(
        label="Exposure tier (optional)",
        choices=[
            ("", "Any exposure"),
            *[(str(v), f"{label} or above") for v, label in ExposureProfile.Tier.choices],
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )
    every_months = forms.IntegerField(
        label="Repeat every (months, optional)",
        min_value=1,
        max_value=120,
        required=False,
        help_text="Empty: once",
    )
    due_within_days = forms.IntegerField(
        label="Days to complete",
        min_value=1,
        max_value=365,
        initial=30,
        help_text="Days a new starter, or someone newly covered, has to complete it.",
    )
    grace_days = forms.IntegerField(
        label="Grace (days)",
        min_value=0,
        max_value=365,
        initial=30,
        help_text="Days overdue before someone can be put on the disclosure list.",
    )
    starts_on = day_field("Starts on", "the day the requirement starts")

    @classmethod
    def initial_for(cls, requirement: Requirement) -> dict[str, Any]:
        return {
            "name": requirement.name,
            "course": requirement.course,
            "roles": requirement.roles,
            "organisation": requirement.organisation,
            "office": requirement.office,
            "min_exposure_tier": requirement.min_exposure_tier,
            "every_months": requirement.every_months,
            "due_within_days": requirement.due_within_days,
            "grace_days": requirement.grace_days,
            "starts_on": requirement.starts_on,
        }
