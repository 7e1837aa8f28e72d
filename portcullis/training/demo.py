"""Demo data for training and protection: the catalogue, requirements, and a year of history made
through the real services (sync, completions, exemptions), plus vetting and SOS devices."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from portcullis.accounts.models import Membership, Person, Role
from portcullis.ledger.actors import DEMO
from portcullis.lib.demo import demo_loader
from portcullis.protection.models import Clearance, ExposureProfile, SosDevice

from . import catalogue, summary
from .disclosure import draft_disclosure_list
from .models import (
    Assignment,
    Choice,
    Course,
    DisclosureList,
    Exemption,
    Module,
    Question,
    Requirement,
)
from .services import _complete, sync_all_assignments

DEMO_STAFFER = "staff@demo.test"


@demo_loader("training", order=30)
@transaction.atomic
def load() -> str:
    today = timezone.localdate()
    courses = [_course(spec) for spec in catalogue.COURSES]
    _requirements(today)
    if Assignment.objects.exists():
        return f"{len(courses)} courses (history already loaded)"
    rng = random.Random(6)  # noqa: S311 - demo data, not secrets
    _exposure(rng, today)
    _history(rng, today)
    _vetting_and_devices(rng, today)
    if not DisclosureList.objects.exists():
        draft_disclosure_list(actor=DEMO, today=today)
    summary.rebuild(today=today)  # the history above was written partly outside the services
    return (
        f"{len(courses)} courses, {Requirement.objects.count()} requirements, "
        f"{Assignment.objects.count()} assignments, {Clearance.objects.count()} clearances, "
        f"{SosDevice.objects.count()} SOS devices"
    )


def _course(spec: dict[str, Any]) -> Course:
    course, _ = Course.objects.get_or_create(
        slug=spec["slug"],
        defaults={
            "title": spec["title"],
            "summary": spec["summary"],
            "minutes": spec["minutes"],
            "questions_per_attempt": spec["per_attempt"],
        },
    )
    for order, (title, body, filename, guidance) in enumerate(spec["modules"], start=1):
        module, _ = Module.objects.get_or_create(
            course=course, order=order, defaults={"title": title, "body": body}
        )
        if filename and not module.guidance:
            module.guidance_title = title + " (text file)"
            module.guidance.save(filename, ContentFile(guidance.encode()), save=True)
    for text, kind, explanation, choices in spec["questions"]:
        question, made = Question.objects.get_or_create(
            course=course, text=text, defaults={"kind": kind, "explanation": explanation}
        )
        if made:
            Choice.objects.bulk_create(
                Choice(question=question, text=c, is_correct=ok) for c, ok in choices
            )
    return course


def _requirements(today: date) -> None:
    for name, slug, roles, every, within, tier in catalogue.REQUIREMENTS:
        Requirement.objects.get_or_create(
            name=name,
            defaults={
                "course": Course.objects.get(slug=slug),
                "roles": roles,
                "every_months": every,
                "due_within_days": within,
                "min_exposure_tier": tier,
                "starts_on": today - timedelta(days=730),
            },
        )


def _office_people() -> list[Person]:
    return list(
        Person.objects.filter(
            memberships__ended_on__isnull=True, memberships__office__isnull=False
        ).distinct()
    )


def _exposure(rng: random.Random, today: date) -> None:
    members = Person.objects.filter(memberships__role=Role.MEMBER, memberships__ended_on=None)
    for person in members:
        tier = rng.choice([1, 1, 2, 2, 3])
        ExposureProfile.objects.get_or_create(
            person=person,
            defaults={
                "tier": tier,
                "reason": "Demo: committee and media profile",
                "updated_on": today,
            },
        )


def _history(rng: random.Random, today: date) -> None:
    """A year ago everyone was covered; most completed, some late, some never."""
    start = today - timedelta(days=420)
    sync_all_assignments(actor=DEMO, today=start)
    staffer = Person.objects.filter(emails__address=DEMO_STAFFER).first()
    for assignment in Assignment.objects.open().select_related("course", "person"):
        if assignment.person == staffer or rng.random() < 0.12:
            continue  # the demo staffer and a few others never did it
        done = assignment.due_on + timedelta(days=rng.randint(-25, 40))
        _complete(
            person=assignment.person,
            course=assignment.course,
            version=assignment.course.version,
            on=min(done, today),
            actor=DEMO,
        )
    sync_all_assignments(actor=DEMO, today=today - timedelta(days=40))
    for assignment in Assignment.objects.open().filter(assigned_on__gt=start):
        if assignment.person != staffer and rng.random() < 0.7:
            done = min(assignment.due_on + timedelta(days=rng.randint(-20, 10)), today)
            _complete(
                person=assignment.person,
                course=assignment.course,
                version=assignment.course.version,
                on=done,
                actor=DEMO,
            )
    sync_all_assignments(actor=DEMO, today=today)
    _exemptions(rng, today, exclude=staffer)


def _exemptions(rng: random.Random, today: date, exclude: Person | None) -> None:
    overdue = list(
        Assignment.objects.open()
        .filter(due_on__lt=today)
        .exclude(person=exclude)
        .values_list("person_id", flat=True)
        .distinct()
    )
    for person_id, reason, detail in zip(
        rng.sample(overdue, min(4, len(overdue))),
        [
            Exemption.Reason.ILLNESS,
            Exemption.Reason.LEAVE,
            Exemption.Reason.LEAVE,
            Exemption.Reason.ILLNESS,
        ],
        ["Long-term sick leave", "Parental leave", "Sabbatical", "Hospital treatment"],
        strict=False,
    ):
        Exemption.objects.create(
            person_id=person_id,
            reason=reason,
            detail=detail,
            starts_on=today - timedelta(days=60),
            ends_on=today + timedelta(days=90),
        )


def _vetting_and_devices(rng: random.Random, today: date) -> None:
    staff = Membership.objects.active().filter(role__in=[Role.STAFFER, Role.OFFICE_MANAGER])
    for n, person in enumerate(Person.objects.filter(memberships__in=staff).distinct()):
        _clearance(rng, person, today, n)
    members = Person.objects.filter(memberships__role=Role.MEMBER, memberships__ended_on=None)
    for n, person in enumerate(members.distinct()):
        if rng.random() < 0.85:
            issued = today - timedelta(days=rng.randint(100, 900))
            tested = today - timedelta(days=rng.choice([10, 30, 60, 80, 150, 400]))
            SosDevice.objects.create(
                person=person,
                serial=f"SOS-M{n:04d}",
                issued_on=issued,
                last_tested_on=max(tested, issued),
            )
    for n, person in enumerate(Person.objects.filter(memberships__in=staff).distinct()[:60:4]):
        returned = today - timedelta(days=20) if n % 5 == 0 else None
        SosDevice.objects.create(
            person=person,
            serial=f"SOS-S{n:04d}",
            issued_on=today - timedelta(days=300),
            last_tested_on=today - timedelta(days=45),
            returned_on=returned,
        )


def _clearance(rng: random.Random, person: Person, today: date, n: int) -> None:
    roll = rng.random()
    if roll < 0.05:
        return  # never applied: shows as not cleared
    level = Clearance.Level.SC if roll > 0.9 else Clearance.Level.CTC
    applied = today - timedelta(days=rng.randint(60, 1900))
    if roll < 0.15:
        Clearance.objects.create(
            person=person,
            level=level,
            status=Clearance.Status.IN_PROGRESS,
            applied_on=today - timedelta(days=rng.randint(5, 50)),
        )
        return
    granted = applied + timedelta(days=rng.randint(20, 60))
    years = 5 if level == Clearance.Level.CTC else 7
    expires = granted + timedelta(days=365 * years)
    if roll < 0.2:
        expires = today - timedelta(days=rng.randint(5, 90))  # lapsed
    Clearance.objects.create(
        person=person,
        level=level,
        status=Clearance.Status.CLEARED,
        applied_on=applied,
        granted_on=granted,
        expires_on=expires,
        reference=f"PV-{n:05d}",
    )
