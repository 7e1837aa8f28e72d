"""Small explicit builders for training tests."""

from __future__ import annotations

from datetime import date

from portcullis.accounts.models import Membership, Office, Person, Role
from portcullis.training.models import Choice, Course, Question, Requirement

OFFICE_ROLES = [Role.MEMBER, Role.STAFFER, Role.OFFICE_MANAGER]


def make_course(
    slug: str = "essentials", *, questions: int = 6, per_attempt: int = 3, pass_mark: int = 100
) -> Course:
    course = Course.objects.create(
        slug=slug,
        title=slug.replace("-", " ").title(),
        summary="A test course.",
        questions_per_attempt=per_attempt,
        pass_mark=pass_mark,
    )
    for n in range(questions):
        q = Question.objects.create(course=course, text=f"{slug} question {n}")
        Choice.objects.create(question=q, text="right", is_correct=True)
        Choice.objects.create(question=q, text="wrong", is_correct=False)
    return course


def make_requirement(
    course: Course,
    *,
    roles: list[str] | None = None,
    every_months: int | None = 12,
    due_within_days: int = 30,
    grace_days: int = 30,
    starts_on: date = date(2024, 1, 1),
    office: Office | None = None,
    min_exposure_tier: int | None = None,
) -> Requirement:
    return Requirement.objects.create(
        name=f"{course.title} for {roles or 'everyone'}",
        course=course,
        roles=roles if roles is not None else list(OFFICE_ROLES),
        every_months=every_months,
        due_within_days=due_within_days,
        grace_days=grace_days,
        starts_on=starts_on,
        office=office,
        min_exposure_tier=min_exposure_tier,
    )


def right_answers(question_ids: list[str]) -> dict[str, list[str]]:
    return {
        qid: [
            str(c.public_id)
            for c in Choice.objects.filter(question__public_id=qid, is_correct=True)
        ]
        for qid in question_ids
    }


def wrong_answers(question_ids: list[str]) -> dict[str, list[str]]:
    return {
        qid: [
            str(c.public_id)
            for c in Choice.objects.filter(question__public_id=qid, is_correct=False)
        ]
        for qid in question_ids
    }


def set_started(person: Person, started_on: date) -> None:
    Membership.objects.filter(person=person).update(started_on=started_on)
