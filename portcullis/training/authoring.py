"""The security team writes courses and requirements in the app. Keyword-only use cases, `actor`
required, the ledger row in the same transaction. Bad input raises `AuthoringError` naming the
field it is about, so a page can show the message beside it.

A course is written as a draft (version 0, not in the catalogue) and enters the catalogue when
it is published through `services.publish_course_version`, as every later version is."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import slugify
from PIL import Image, UnidentifiedImageError

from portcullis import ledger
from portcullis.accounts.models import Office, Organisation, Role
from portcullis.lib import uploads

from . import services
from .models import Choice, Course, Module, Question, Requirement

if TYPE_CHECKING:
    from portcullis.accounts.models import User

MAX_TEXT = 20_000  # a module's body or a question; far more than any page needs
MAX_OPTIONS = 6
MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_SIDE = 4000  # pixels; more is a decompression bomb, not a picture for a course
_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}


def _picture(name: str, data: bytes) -> None:
    """Pillow reads the header: the format must be the one the name says, and not too large."""
    expected = _FORMATS[name[name.rfind(".") :].lower()]
    try:
        with Image.open(io.BytesIO(data)) as image:
            found, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise uploads.UploadError(f"{name} is not a picture that can be shown.") from None
    if found != expected:
        raise uploads.UploadError(f"{name} is not really a {expected} picture.")
    if max(width, height) > MAX_IMAGE_SIDE:
        raise uploads.UploadError(f"{name} is more than {MAX_IMAGE_SIDE} pixels wide or high.")


IMAGES = {
    ".png": uploads.Kind("image/png", (b"\x89PNG\r\n\x1a\n",), _picture),
    ".jpg": uploads.Kind("image/jpeg", (b"\xff\xd8\xff",), _picture),
    ".jpeg": uploads.Kind("image/jpeg", (b"\xff\xd8\xff",), _picture),
    ".gif": uploads.Kind("image/gif", (b"GIF87a", b"GIF89a"), _picture),
    ".webp": uploads.Kind("image/webp", (b"RIFF",), _picture),
}
IMAGE_CONTENT_TYPES = {kind.content_type for kind in IMAGES.values()}


class AuthoringError(services.TrainingError):
    """Input refused; `field` names the form field the message belongs beside."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _text(value: str, *, field: str, label: str, limit: int) -> str:
    """Stripped of what the database cannot hold (NUL) and bounded in size."""
    value = (value or "").replace("\x00", "").strip()
    if not value:
        raise AuthoringError(field, f"Enter {label}")
    if len(value) > limit:
        raise AuthoringError(
            field, f"{label[:1].upper()}{label[1:]} must be {limit:,} characters or fewer"
        )
    return value


def _number(value: int | None, *, field: str, label: str, low: int, high: int) -> int:
    if value is None or not low <= value <= high:
        raise AuthoringError(field, f"{label} must be a whole number from {low} to {high}")
    return value


# --- courses -----------------------------------------------------------------------------------


def _course_fields(
    *,
    title: str,
    summary: str,
    minutes: int | None,
    pass_mark: int | None,
    questions_per_attempt: int | None,
) -> dict[str, object]:
    return {
        "title": _text(title, field="title", label="the course title", limit=200),
        "summary": _text(summary, field="summary", label="a summary", limit=2000),
        "minutes": _number(minutes, field="minutes", label="Estimated minutes", low=1, high=600),
        "pass_mark": _number(pass_mark, field="pass_mark", label="Pass mark", low=1, high=100),
        "questions_per_attempt": _number(
            questions_per_attempt,
            field="questions_per_attempt",
            label="Questions per attempt",
            low=1,
            high=50,
        ),
    }


def _unique_slug(title: str) -> str:
    base = slugify(title)[:70] or "course"
    slug, n = base, 1
    while Course.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_course(
    *,
    title: str,
    summary: str,
    minutes: int | None,
    pass_mark: int | None,
    questions_per_attempt: int | None,
    actor: User,
) -> Course:
    """A draft: nobody but the security team sees it until it is published."""
    fields = _course_fields(
        title=title,
        summary=summary,
        minutes=minutes,
        pass_mark=pass_mark,
        questions_per_attempt=questions_per_attempt,
    )
    course = Course.objects.create(
        slug=_unique_slug(str(fields["title"])),
        version=0,
        valid_from_version=0,
        is_published=False,
        **fields,
    )
    ledger.record(actor=actor, action="course.create", target=course, data={"slug": course.slug})
    return course


@transaction.atomic
def change_course(
    *,
    course: Course,
    title: str,
    summary: str,
    minutes: int | None,
    pass_mark: int | None,
    questions_per_attempt: int | None,
    actor: User,
) -> Course:
    fields = _course_fields(
        title=title,
        summary=summary,
        minutes=minutes,
        pass_mark=pass_mark,
        questions_per_attempt=questions_per_attempt,
    )
    changed = sorted(name for name, value in fields.items() if getattr(course, name) != value)
    for name, value in fields.items():
        setattr(course, name, value)
    course.save(update_fields=list(fields))
    ledger.record(actor=actor, action="course.change", target=course, data={"fields": changed})
    return course


def check_image(upload: UploadedFile) -> uploads.CheckedFile:
    """A picture for a module: PNG, JPEG, GIF or WebP read by Pillow, at most 2 MB."""
    try:
        return uploads.check(
            upload,
            allowed=IMAGES,
            max_bytes=MAX_IMAGE_BYTES,
            refusal="a section's picture must be PNG, JPEG, GIF or WebP.",
            default_name="picture",
        )
    except uploads.UploadError as exc:
        raise AuthoringError("image", str(exc)) from None


def _set_image(
    module: Module, image: UploadedFile | None, image_alt: str, remove_image: bool
) -> dict[str, str]:
    """The module's picture replaced, removed or kept; its alt text required whenever it has
    one. Returns what the ledger row says about it."""
    checked = check_image(image) if image else None
    alt = " ".join((image_alt or "").split())[:200]
    keeps = checked is not None or (bool(module.image) and not remove_image)
    if keeps and not alt:
        raise AuthoringError(
            "image_alt", "Enter the picture's alt text: what it shows, for those who cannot see it"
        )
    if checked is not None or remove_image:
        if module.image:
            module.image.delete(save=False)
        module.image = ""
    if checked is not None:
        module.image.save(checked.stored_name, checked.upload, save=False)
    module.image_alt = alt if keeps else ""
    if checked is not None:
        return {"image": checked.original_name, "image_alt": alt}
    if remove_image:
        return {"image": "removed"}
    return {}


@transaction.atomic
def add_module(
    *,
    course: Course,
    title: str,
    body: str,
    actor: User,
    image: UploadedFile | None = None,
    image_alt: str = "",
    remove_image: bool = False,
) -> Module:
    last = course.modules.order_by("-order").values_list("order", flat=True).first()
    module = Module(
        course=course,
        order=(last or 0) + 1,
        title=_text(title, field="title", label="the section title", limit=200),
        body=_text(body, field="body", label="the section text", limit=MAX_TEXT),
    )
    about_image = _set_image(module, image, image_alt, remove_image=False)
    module.save()
    ledger.record(
        actor=actor,
        action="module.create",
        target=module,
        data={"course": course.slug, **about_image},
    )
    return module


@transaction.atomic
def change_module(
    *,
    module: Module,
    title: str,
    body: str,
    actor: User,
    image: UploadedFile | None = None,
    image_alt: str = "",
    remove_image: bool = False,
) -> Module:
    module.title = _text(title, field="title", label="the section title", limit=200)
    module.body = _text(body, field="body", label="the section text", limit=MAX_TEXT)
    about_image = _set_image(module, image, image_alt, remove_image)
    module.save(update_fields=["title", "body", "image", "image_alt"])
    ledger.record(
        actor=actor,
        action="module.change",
        target=module,
        data={"course": module.course.slug, **about_image},
    )
    return module


@transaction.atomic
def remove_module(*, module: Module, actor: User) -> None:
    ledger.record(
        actor=actor,
        action="module.remove",
        target=module,
        data={"course": module.course.slug, "title": module.title},
    )
    module.delete()


def _options(options: Sequence[tuple[str, bool]]) -> list[tuple[str, bool]]:
    cleaned = []
    for n, (text, correct) in enumerate(options[:MAX_OPTIONS], start=1):
        text = (text or "").replace("\x00", "").strip()
        if text:
            if len(text) > 300:
                raise AuthoringError(f"option_{n}", f"Option {n} must be 300 characters or fewer")
            cleaned.append((text, correct))
        elif correct:
            raise AuthoringError(f"option_{n}", f"Enter option {n}, or do not mark it correct")
    if len(cleaned) < 2:
        raise AuthoringError("option_1", "Enter at least two options")
    if not any(correct for _, correct in cleaned):
        raise AuthoringError("correct", "Select which options are correct")
    return cleaned


def _question_fields(
    text: str, explanation: str, options: Sequence[tuple[str, bool]]
) -> tuple[str, str, list[tuple[str, bool]]]:
    return (
        _text(text, field="text", label="the question", limit=2000),
        _text(explanation, field="explanation", label="an explanation", limit=MAX_TEXT),
        _options(options),
    )


def _kind(options: list[tuple[str, bool]]) -> str:
    right = sum(correct for _, correct in options)
    return Question.Kind.MULTIPLE if right > 1 else Question.Kind.SINGLE


@transaction.atomic
def add_question(
    *,
    course: Course,
    text: str,
    explanation: str,
    options: Sequence[tuple[str, bool]],
    actor: User,
) -> Question:
    """`options` are (text, correct) pairs; empty ones are left out. More than one correct
    option makes it a "choose all that apply" question."""
    text, explanation, cleaned = _question_fields(text, explanation, options)
    question = Question.objects.create(
        course=course, text=text, explanation=explanation, kind=_kind(cleaned)
    )
    Choice.objects.bulk_create(
        Choice(question=question, text=t, is_correct=correct) for t, correct in cleaned
    )
    ledger.record(
        actor=actor, action="question.create", target=question, data={"course": course.slug}
    )
    return question


@transaction.atomic
def change_question(
    *,
    question: Question,
    text: str,
    explanation: str,
    options: Sequence[tuple[str, bool]],
    actor: User,
) -> Question:
    """The options are written afresh: an attempt keeps only choice ids, and a changed question
    is marked against what it says now."""
    text, explanation, cleaned = _question_fields(text, explanation, options)
    question.text, question.explanation, question.kind = text, explanation, _kind(cleaned)
    question.save(update_fields=["text", "explanation", "kind"])
    question.choices.all().delete()
    Choice.objects.bulk_create(
        Choice(question=question, text=t, is_correct=correct) for t, correct in cleaned
    )
    ledger.record(
        actor=actor,
        action="question.change",
        target=question,
        data={"course": question.course.slug},
    )
    return question


@transaction.atomic
def retire_question(*, question: Question, actor: User) -> Question:
    """Out of the pool; kept, because past attempts name it."""
    question.is_active = False
    question.save(update_fields=["is_active"])
    ledger.record(
        actor=actor,
        action="question.retire",
        target=question,
        data={"course": question.course.slug},
    )
    return question


def publish_problems(course: Course) -> list[AuthoringError]:
    """What stops the course being published, each naming what to fix."""
    problems = []
    if not course.modules.exists():
        problems.append(AuthoringError("modules", "Add at least one section"))
    pool = course.questions.filter(is_active=True).count()
    if pool == 0:
        problems.append(AuthoringError("questions", "Add at least one question"))
    elif pool < course.questions_per_attempt:
        problems.append(
            AuthoringError(
                "questions_per_attempt",
                f"Questions per attempt ({course.questions_per_attempt}) must not be more than "
                f"the questions in the pool ({pool})",
            )
        )
    return problems


@transaction.atomic
def publish_course(*, course: Course, substantive: bool, note: str, actor: User) -> Course:
    """Publish the course as it stands: the first version of a draft, or a new version."""
    problems = publish_problems(course)
    if problems:
        raise problems[0]
    note = (note or "").replace("\x00", "").strip()
    if course.is_published and not note:
        raise AuthoringError("note", "Enter what changed")
    return services.publish_course_version(
        course=course, substantive=substantive, note=note or "First version", actor=actor
    )


# --- requirements ------------------------------------------------------------------------------


def _requirement_fields(
    *,
    name: str,
    course: Course | None,
    roles: Sequence[str],
    organisation: Organisation | None,
    office: Office | None,
    min_exposure_tier: int | None,
    every_months: int | None,
    due_within_days: int | None,
    grace_days: int | None,
    starts_on: date | None,
) -> dict[str, object]:
    if course is None or not course.is_published:
        raise AuthoringError("course", "Select a published course")
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise AuthoringError("roles", "Select roles from the list")
    if (
        office is not None
        and organisation is not None
        and office.organisation_id != organisation.pk
    ):
        raise AuthoringError(
            "office", f"{office} is not in {organisation}: choose one or the other"
        )
    if every_months is not None:
        _number(every_months, field="every_months", label="Repeat every", low=1, high=120)
    if starts_on is None:
        raise AuthoringError("starts_on", "Enter the day the requirement starts")
    return {
        "name": _text(name, field="name", label="a name for the requirement", limit=200),
        "course": course,
        "roles": sorted(set(roles)),
        "organisation": organisation,
        "office": office,
        "min_exposure_tier": min_exposure_tier or None,
        "every_months": every_months,
        "due_within_days": _number(
            due_within_days, field="due_within_days", label="Days to complete", low=1, high=365
        ),
        "grace_days": _number(grace_days, field="grace_days", label="Grace", low=0, high=365),
        "starts_on": starts_on,
    }


@transaction.atomic
def create_requirement(
    *,
    name: str,
    course: Course | None,
    roles: Sequence[str],
    organisation: Organisation | None,
    office: Office | None,
    min_exposure_tier: int | None,
    every_months: int | None,
    due_within_days: int | None,
    grace_days: int | None,
    starts_on: date | None,
    actor: User,
) -> Requirement:
    """Empty criteria match everyone. The training sync assigns it, as it does every requirement."""
    fields = _requirement_fields(
        name=name,
        course=course,
        roles=roles,
        organisation=organisation,
        office=office,
        min_exposure_tier=min_exposure_tier,
        every_months=every_months,
        due_within_days=due_within_days,
        grace_days=grace_days,
        starts_on=starts_on,
    )
    requirement = Requirement.objects.create(**fields)
    ledger.record(
        actor=actor,
        action="requirement.create",
        target=requirement,
        data={"course": requirement.course.slug},
    )
    return requirement


@transaction.atomic
def change_requirement(
    *,
    requirement: Requirement,
    name: str,
    course: Course | None,
    roles: Sequence[str],
    organisation: Organisation | None,
    office: Office | None,
    min_exposure_tier: int | None,
    every_months: int | None,
    due_within_days: int | None,
    grace_days: int | None,
    starts_on: date | None,
    actor: User,
) -> Requirement:
    if not requirement.is_active:
        raise AuthoringError("name", "This requirement has been retired")
    fields = _requirement_fields(
        name=name,
        course=course,
        roles=roles,
        organisation=organisation,
        office=office,
        min_exposure_tier=min_exposure_tier,
        every_months=every_months,
        due_within_days=due_within_days,
        grace_days=grace_days,
        starts_on=starts_on,
    )
    changed = sorted(k for k, v in fields.items() if getattr(requirement, k) != v)
    for key, value in fields.items():
        setattr(requirement, key, value)
    requirement.save(update_fields=list(fields))
    ledger.record(
        actor=actor, action="requirement.change", target=requirement, data={"fields": changed}
    )
    return requirement


@transaction.atomic
def retire_requirement(*, requirement: Requirement, actor: User) -> Requirement:
    """No longer active: the next sync retires the open assignments it made."""
    if not requirement.is_active:
        raise AuthoringError("name", "This requirement has already been retired")
    requirement.is_active = False
    requirement.save(update_fields=["is_active"])
    ledger.record(actor=actor, action="requirement.retire", target=requirement)
    return requirement
