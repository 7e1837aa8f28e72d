"""Use cases that change training records. Keyword-only, `actor` required, ledger in the same
transaction. Time comes in as `today`/`now` so that tests (and catch-up runs) can move it."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Q

from portcullis import ledger
from portcullis.accounts.models import Membership, Person
from portcullis.ledger.actors import Actor, user_of
from portcullis.protection.models import ExposureProfile

from . import compliance_cache, summary
from .models import (
    Assignment,
    Completion,
    Course,
    DisclosureEntry,
    DisclosureList,
    Exemption,
    Question,
    QuizAttempt,
    Requirement,
    TrainingAccessGrant,
)

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from portcullis.accounts.models import User

# A recurring course's next cycle is opened this long before it falls due, so reminders can run.
NEXT_CYCLE_LEAD = timedelta(days=30)
REMEDIAL_DEFAULT_DAYS = 14


class TrainingError(Exception):
    """A request that breaks a rule; the message is fit to show the person."""


# --- assignments -------------------------------------------------------------------------------


@dataclass
class SyncResult:
    created: list[Assignment] = field(default_factory=list)
    retired: list[Assignment] = field(default_factory=list)


SYNC_CHUNK = 2000  # people per round of set-wise queries


def applicable_requirements(person: Person, today: date) -> dict[Requirement, date]:
    """The active requirements that apply to the person, each with the day they became covered."""
    requirements = _active_requirements(today)
    return _Facts.load([person.pk], requirements, today).applicable(person.pk, requirements, today)


def _active_requirements(today: date) -> list[Requirement]:
    return list(Requirement.objects.active().filter(starts_on__lte=today).select_related("course"))


def _covers(req: Requirement, membership: Any) -> bool:
    if req.roles and membership.role not in req.roles:
        return False
    if req.organisation_id and membership.organisation_id != req.organisation_id:
        return False
    return not (req.office_id and membership.office_id != req.office_id)


@dataclass
class _Facts:
    """What the sync reads about a set of people, in a fixed number of queries. Rows are read as
    named tuples, not model instances: a re-sync of the legislature reads some 150,000 of them."""

    ids: list[int]
    memberships: dict[int, list[Any]]  # person → (role, organisation_id, office_id, started_on)
    tiers: dict[int, int]
    open: list[Any]  # (pk, person_id, requirement_id, source) of open assignments
    latest: dict[tuple[int, int], Any]  # (person, requirement) → latest live assignment
    current: dict[tuple[int, int], list[int]]  # (person, requirement) → ids marked current
    completions: dict[tuple[int, int], list[Any]]  # (person, course) → newest first

    @classmethod
    def load(cls, ids: list[int], requirements: list[Requirement], today: date) -> _Facts:
        memberships: dict[int, list[Any]] = {}
        for m in (
            Membership.objects.active()
            .filter(person_id__in=ids)
            .values_list(
                "person_id", "role", "organisation_id", "office_id", "started_on", named=True
            )
        ):
            memberships.setdefault(m.person_id, []).append(m)
        tiers = dict(
            ExposureProfile.objects.filter(person_id__in=ids).values_list("person_id", "tier")
        )
        mine = Assignment.objects.filter(person_id__in=ids)
        latest: dict[tuple[int, int], Any] = {}
        for a in (
            mine.live()
            .filter(requirement__isnull=False)
            .order_by("-due_on", "-pk")
            .values_list(
                "person_id",
                "requirement_id",
                "status",
                "completed_on",
                "completion__course_version",
                named=True,
            )
        ):
            latest.setdefault((a.person_id, a.requirement_id), a)
        current: dict[tuple[int, int], list[int]] = {}
        for pk, person_id, req_id in mine.filter(
            is_current=True, requirement__isnull=False
        ).values_list("pk", "person_id", "requirement_id"):
            current.setdefault((person_id, req_id), []).append(pk)
        completions: dict[tuple[int, int], list[Any]] = {}
        courses = {r.course_id for r in requirements}
        for c in (
            Completion.objects.valid()
            .filter(person_id__in=ids, course_id__in=courses)
            .values_list("pk", "person_id", "course_id", "completed_on", named=True)
        ):
            completions.setdefault((c.person_id, c.course_id), []).append(c)
        return cls(
            ids=ids,
            memberships=memberships,
            tiers=tiers,
            open=list(
                mine.open().values_list("pk", "person_id", "requirement_id", "source", named=True)
            ),
            latest=latest,
            current=current,
            completions=completions,
        )

    def applicable(
        self, person_id: int, requirements: list[Requirement], today: date
    ) -> dict[Requirement, date]:
        result = {}
        memberships = self.memberships.get(person_id, [])
        for req in requirements:
            if req.min_exposure_tier and self.tiers.get(person_id, 0) < req.min_exposure_tier:
                continue
            starts = [m.started_on or today for m in memberships if _covers(req, m)]
            if starts:
                result[req] = max(min(starts), req.starts_on)
        return result

    def valid_completion(self, person_id: int, req: Requirement, today: date) -> Any:
        since = None
        if req.every_months:
            since = today - relativedelta(months=req.every_months) + NEXT_CYCLE_LEAD
        for c in self.completions.get((person_id, req.course_id), []):
            if since is None or c.completed_on > since:
                return c
        return None


@transaction.atomic
def sync_assignments(*, person: Person, actor: Actor, today: date) -> SyncResult:
    """Make the person's assignments match the requirements that apply to them today: open what
    is newly required (or due again), retire what no longer applies. Safe to run any time."""
    return sync_people_assignments(person_ids=[person.pk], actor=actor, today=today)


@transaction.atomic
def sync_people_assignments(*, person_ids: Iterable[int], actor: Actor, today: date) -> SyncResult:
    """`sync_assignments` for many people at once, worked out set-wise: a fixed number of reads
    per chunk of people, the changes written in bulk and their ledger entries as one batch. A
    sync with nothing to change writes nothing. It follows every change to the directory (the
    accounts app enqueues it by name), so it also moves the compliance figures on: a leaver or a
    change of party moves the figures by house and party even when no assignment changes."""
    requirements = _active_requirements(today)
    ids = sorted(set(person_ids))
    if ids:
        compliance_cache.changed()
    total = SyncResult()
    for start in range(0, len(ids), SYNC_CHUNK):
        chunk = ids[start : start + SYNC_CHUNK]
        result = _sync_chunk(_Facts.load(chunk, requirements, today), requirements, today)
        total.created += result.created
        total.retired += result.retired
    _write(total, actor, today)
    return total


def _sync_chunk(facts: _Facts, requirements: list[Requirement], today: date) -> SyncResult:
    result = SyncResult()
    applicable = {pid: facts.applicable(pid, requirements, today) for pid in facts.ids}
    retiring = []
    for a in facts.open:
        required = {r.pk for r in applicable.get(a.person_id, {})}
        leaver = a.person_id not in facts.memberships
        stale = a.source == Assignment.Source.REQUIREMENT and a.requirement_id not in required
        if leaver or stale:
            retiring.append(a.pk)
    for a in Assignment.objects.filter(pk__in=retiring).select_related("course", "person"):
        a.status, a.retired_on, a.is_current = Assignment.Status.RETIRED, today, False
        result.retired.append(a)
    for pid, reqs in applicable.items():
        for req, covered_since in reqs.items():
            made = _next_cycle(facts, pid, req, covered_since, today)
            if made is not None:
                made.superseded = facts.current.get((pid, req.pk), [])  # type: ignore[attr-defined]
                result.created.append(made)
    people = Person.objects.only("public_id", "full_name").in_bulk(
        {a.person_id for a in result.created}
    )
    for a in result.created:
        a.person = people[a.person_id]
    return result


def _next_cycle(
    facts: _Facts, person_id: int, req: Requirement, covered_since: date, today: date
) -> Assignment | None:
    latest = facts.latest.get((person_id, req.pk))
    if latest is not None and latest.status == Assignment.Status.OPEN:
        return None
    if latest is None:
        prior = facts.valid_completion(person_id, req, today)
        if prior is not None:
            return _new(person_id, req, today, prior.completed_on, completion=prior)
        return _new(person_id, req, today, covered_since + timedelta(days=req.due_within_days))
    version = latest.completion__course_version
    if version is not None and version < req.course.valid_from_version:
        return _new(person_id, req, today, today + timedelta(days=req.due_within_days))
    if req.every_months and latest.completed_on:
        next_due = latest.completed_on + relativedelta(months=req.every_months)
        if today >= next_due - NEXT_CYCLE_LEAD:
            return _new(person_id, req, today, next_due)
    return None


def _new(
    person_id: int,
    req: Requirement,
    today: date,
    due_on: date,
    *,
    completion: Any = None,  # (pk, completed_on, ...) of a valid earlier completion
) -> Assignment:
    return Assignment(
        person_id=person_id,
        course=req.course,
        requirement=req,
        assigned_on=today,
        due_on=due_on,
        status=Assignment.Status.COMPLETED if completion else Assignment.Status.OPEN,
        completion_id=completion.pk if completion else None,
        completed_on=completion.completed_on if completion else None,
    )


def _write(result: SyncResult, actor: Actor, today: date) -> None:
    if not (result.created or result.retired):
        return
    Assignment.objects.bulk_update(
        result.retired, ["status", "retired_on", "is_current"], batch_size=1000
    )
    superseded = [pk for a in result.created for pk in a.superseded]  # type: ignore[attr-defined]
    for start in range(0, len(superseded), SYNC_CHUNK):
        Assignment.objects.filter(pk__in=superseded[start : start + SYNC_CHUNK]).update(
            is_current=False
        )
    Assignment.objects.bulk_create(result.created, batch_size=1000)
    summary.refresh(person_ids={a.person_id for a in result.created + result.retired}, today=today)
    ledger.record_many(
        actor=actor,
        entries=[
            ledger.Entry(
                f"assignment.{'retire' if a.status == 'retired' else 'create'}",
                a,
                {"person": str(a.person.public_id), "course": a.course.slug},
            )
            for a in result.created + result.retired
        ],
    )


def sync_all_assignments(*, actor: Actor, today: date) -> SyncResult:
    """Sync everyone who holds a post or still has open assignments (to retire leavers')."""
    holding = Membership.objects.active().values_list("person_id", flat=True)
    with_open = Assignment.objects.open().values_list("person_id", flat=True)
    return sync_people_assignments(
        person_ids=set(holding) | set(with_open), actor=actor, today=today
    )


@transaction.atomic
def assign_remedial_training(
    *, person: Person, course: Course, reason: str, due_on: date | None, actor: Actor
) -> Assignment:
    """Assign a course to one person outside any requirement, e.g. after a phishing test.
    An open remedial assignment of the same course is reused (its due date brought forward)."""
    today = _today()
    due_on = due_on or today + timedelta(days=REMEDIAL_DEFAULT_DAYS)
    if due_on < today:
        raise TrainingError("The due date must not be in the past.")
    existing = Assignment.objects.open().filter(
        person=person, course=course, source=Assignment.Source.REMEDIAL
    )
    assignment = existing.first()
    if assignment is None:
        assignment = Assignment.objects.create(
            person=person,
            course=course,
            source=Assignment.Source.REMEDIAL,
            reason=reason[:300],
            assigned_on=today,
            due_on=due_on,
        )
    elif due_on < assignment.due_on:
        assignment.due_on = due_on
        assignment.save(update_fields=["due_on"])
    ledger.record(
        actor=actor,
        action="assignment.assign_remedial",
        target=assignment,
        data={"course": course.slug, "reason": reason[:300], "due_on": due_on},
    )
    return assignment


def _today() -> date:
    from django.utils import timezone

    return timezone.localdate()


# --- quizzes and completions -------------------------------------------------------------------


def attempts_left(person: Person, course: Course) -> int | None:
    if course.max_attempts is None:
        return None
    used = QuizAttempt.objects.filter(
        person=person, course=course, course_version=course.version, submitted_at__isnull=False
    ).count()
    return max(course.max_attempts - used, 0)


@transaction.atomic
def start_attempt(
    *, person: Person, course: Course, actor: User, now: datetime, rng: random.Random | None = None
) -> QuizAttempt:
    """Draw questions from the course's pool, preferring those not asked last time."""
    if attempts_left(person, course) == 0:
        raise TrainingError(
            "You have used all your attempts at this quiz. The security team can help."
        )
    rng = rng or random.SystemRandom()
    pool = list(Question.objects.filter(course=course, is_active=True))
    last = QuizAttempt.objects.filter(person=person, course=course).first()
    asked = set(last.question_ids) if last else set()
    rng.shuffle(pool)
    pool.sort(key=lambda q: str(q.public_id) in asked)
    drawn = pool[: course.questions_per_attempt]
    attempt = QuizAttempt.objects.create(
        person=person,
        course=course,
        course_version=course.version,
        question_ids=[str(q.public_id) for q in drawn],
        started_at=now,
    )
    ledger.record(actor=actor, action="quiz_attempt.start", target=attempt)
    return attempt


@transaction.atomic
def submit_attempt(
    *, attempt: QuizAttempt, answers: dict[str, list[str]], actor: User, now: datetime
) -> QuizAttempt:
    """Mark the attempt. A question counts when exactly the right choices are ticked."""
    if attempt.is_submitted:
        raise TrainingError("This attempt has already been marked. Start a new one.")
    questions = {
        str(q.public_id): q
        for q in Question.objects.filter(public_id__in=attempt.question_ids).prefetch_related(
            "choices"
        )
    }
    right = sum(
        1
        for qid in attempt.question_ids
        if qid in questions and set(answers.get(qid, [])) == questions[qid].correct_ids()
    )
    attempt.answers = answers
    attempt.score = round(100 * right / max(len(attempt.question_ids), 1))
    attempt.passed = attempt.score >= attempt.course.pass_mark
    attempt.submitted_at = now
    attempt.save(update_fields=["answers", "score", "passed", "submitted_at"])
    ledger.record(
        actor=actor,
        action="quiz_attempt.submit",
        target=attempt,
        data={"score": attempt.score, "passed": attempt.passed},
    )
    if attempt.passed:
        _complete(
            person=attempt.person,
            course=attempt.course,
            version=attempt.course_version,
            on=now.date(),
            actor=actor,
            score=attempt.score,
        )
    return attempt


def _complete(
    *,
    person: Person,
    course: Course,
    version: int,
    on: date,
    actor: Actor,
    method: str = Completion.Method.ONLINE,
    score: int | None = None,
    evidence: UploadedFile | None = None,
    evidence_note: str = "",
) -> Completion:
    completion = Completion.objects.create(
        person=person,
        course=course,
        course_version=version,
        completed_on=on,
        method=method,
        score=score,
        evidence_note=evidence_note,
        recorded_by=user_of(actor) if method == Completion.Method.EXTERNAL else None,
    )
    if evidence is not None:
        completion.evidence.save(evidence.name or "evidence", evidence, save=True)
    closed = Assignment.objects.open().filter(person=person, course=course)
    count = closed.update(
        status=Assignment.Status.COMPLETED, completed_on=on, completion=completion
    )
    summary.refresh(person_ids=[person.pk], today=_today())
    _take_off_lists(
        person=person,
        courses=Q(course=course) & (Q(due_on__lte=on) | Q(assignment__completion=completion)),
        status=DisclosureEntry.Status.COMPLETED,
    )
    ledger.record(
        actor=actor,
        action="completion.record",
        target=completion,
        data={"course": course.slug, "version": version, "method": method, "closed": count},
    )
    return completion


@transaction.atomic
def record_external_completion(
    *,
    person: Person,
    course: Course,
    completed_on: date,
    evidence_note: str,
    actor: User,
    evidence: UploadedFile | None = None,
) -> Completion:
    """An in-person briefing, recorded by a security officer with evidence."""
    if not evidence_note.strip() and evidence is None:
        raise TrainingError("Describe the evidence or attach it (for example, a signed register).")
    return _complete(
        person=person,
        course=course,
        version=course.version,
        on=completed_on,
        actor=actor,
        method=Completion.Method.EXTERNAL,
        evidence=evidence,
        evidence_note=evidence_note.strip(),
    )


@transaction.atomic
def publish_course_version(*, course: Course, substantive: bool, note: str, actor: User) -> Course:
    """Record a change to the course. A substantive change means earlier completions stop
    counting: the next sync opens a new assignment for everyone the course is required of.
    A draft written in the app (`authoring`) enters the catalogue with its first version."""
    first = not course.is_published
    course.version += 1
    if substantive or first:
        course.valid_from_version = course.version
    course.is_published = True
    course.save(update_fields=["version", "valid_from_version", "is_published"])
    ledger.record(
        actor=actor,
        action="course.publish_version",
        target=course,
        data={"version": course.version, "substantive": substantive, "note": note[:300]},
    )
    return course


@transaction.atomic
def grant_exemption(
    *,
    person: Person,
    reason: str,
    detail: str,
    starts_on: date,
    ends_on: date | None,
    actor: User,
    course: Course | None = None,
) -> Exemption:
    if ends_on and ends_on < starts_on:
        raise TrainingError("An exemption must end after it starts.")
    exemption = Exemption.objects.create(
        person=person,
        course=course,
        reason=reason,
        detail=detail,
        starts_on=starts_on,
        ends_on=ends_on,
        granted_by=actor,
    )
    summary.refresh(person_ids=[person.pk], today=_today())
    if starts_on <= _today() and (ends_on is None or ends_on >= _today()):
        _take_off_lists(
            person=person,
            courses=Q(course=course) if course else Q(),
            status=DisclosureEntry.Status.EXEMPT,
        )
    ledger.record(
        actor=actor,
        action="exemption.grant",
        target=exemption,
        data={"reason": reason, "starts_on": starts_on, "ends_on": ends_on},
    )
    return exemption


def _take_off_lists(*, person: Person, courses: Q, status: str) -> int:
    """A completion or exemption takes the person off every list not yet published, at once, so
    no page or e-mail goes on saying they have not complied."""
    return (
        DisclosureEntry.objects.filter(courses, person=person)
        .filter(status__in=[DisclosureEntry.Status.LISTED, DisclosureEntry.Status.APPEALED])
        .exclude(disclosure__status=DisclosureList.Status.PUBLISHED)
        .update(status=status)
    )


def exempt_assignment_ids(assignments: list[Assignment], today: date) -> set[int]:
    """Which of these assignments an exemption covers today."""
    people = {a.person_id for a in assignments}
    rows = Exemption.objects.covering(today).filter(person_id__in=people)
    cover: dict[int, set[int | None]] = {}
    for person_id, course_id in rows.values_list("person_id", "course_id"):
        cover.setdefault(person_id, set()).add(course_id)
    return {
        a.pk
        for a in assignments
        if None in cover.get(a.person_id, set()) or a.course_id in cover.get(a.person_id, set())
    }


@transaction.atomic
def grant_training_access(
    *, grantee: Person, party_id: int, starts_on: date, expires_on: date | None, actor: User
) -> TrainingAccessGrant:
    grant = TrainingAccessGrant.objects.create(
        grantee=grantee,
        party_id=party_id,
        starts_on=starts_on,
        expires_on=expires_on,
        granted_by=actor,
    )
    ledger.record(actor=actor, action="training_access.grant", target=grant)
    return grant


@transaction.atomic
def revoke_training_access(
    *, grant: TrainingAccessGrant, actor: User, today: date
) -> TrainingAccessGrant:
    if grant.revoked_on is not None:
        raise TrainingError("This access has already been withdrawn.")
    grant.revoked_on = today
    grant.save(update_fields=["revoked_on"])
    ledger.record(actor=actor, action="training_access.revoke", target=grant)
    return grant
