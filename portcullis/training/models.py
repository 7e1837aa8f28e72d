"""Courses (modules, question pools), requirements, assignments, completions, exemptions,
reminders and access grants. The disclosure list lives in `disclosure_models.py`."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from portcullis.accounts.models import Office, Organisation, Person, Role
from portcullis.accounts.need_to_know import Sensitive, readable_q
from portcullis.protection.models import ExposureProfile
from portcullis.protection.scoping import protected_people

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portcullis.accounts.models import PersonQuerySet, User


def training_people(user: User | AnonymousUser) -> PersonQuerySet:
    """Whose training records the user may see: protection's rule plus party grants."""
    if not user.is_authenticated:
        return Person.objects.none()
    parties: list[int] = []
    if user.scope.party_ids and user.person_id:
        parties = list(
            TrainingAccessGrant.objects.active(timezone.localdate())
            .filter(grantee_id=user.person_id, party_id__in=user.scope.party_ids)
            .values_list("party_id", flat=True)
        )
    return protected_people(user, party_ids=parties)


class CourseQuerySet(models.QuerySet["Course"]):
    def published(self) -> CourseQuerySet:
        return self.filter(is_published=True)

    def visible_to(self, user: User | AnonymousUser) -> CourseQuerySet:
        """The published catalogue is open to everyone signed in."""
        return self.published() if user.is_authenticated else self.none()

    def readable_by(self, user: User | AnonymousUser) -> CourseQuerySet:
        """Whose pages (and images) a person may read: the catalogue, and for the security team
        also the drafts they preview."""
        from portcullis.accounts.access import SECURITY_TEAM

        return self.all() if SECURITY_TEAM(user) else self.visible_to(user)


class Course(models.Model):
    """A course. `version` goes up with every published change; completions of versions older
    than `valid_from_version` no longer count (a substantive change requires re-completion)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField()
    minutes = models.PositiveSmallIntegerField(default=20, help_text="Time it takes, roughly")
    version = models.PositiveIntegerField(default=1)
    valid_from_version = models.PositiveIntegerField(default=1)
    pass_mark = models.PositiveSmallIntegerField(default=80, help_text="Per cent")
    questions_per_attempt = models.PositiveSmallIntegerField(default=5)
    max_attempts = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Attempts allowed per version; empty for unlimited"
    )
    is_published = models.BooleanField(default=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Module(models.Model):
    """One page of a course. `body` is plain text with light markup (see templatetags)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    body = models.TextField()
    image = models.ImageField(upload_to="training/images/", blank=True)
    image_alt = models.CharField(max_length=200, blank=True)
    video_url = models.URLField(blank=True, help_text="A short video, opened in a new tab")
    guidance = models.FileField(upload_to="training/guidance/", blank=True)
    guidance_title = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["course", "order"]

    def __str__(self) -> str:
        return f"{self.course}: {self.title}"


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "Choose one"
        MULTIPLE = "multiple", "Choose all that apply"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    explanation = models.TextField(blank=True, help_text="Shown after the attempt")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["course", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def correct_ids(self) -> set[str]:
        return {str(c.public_id) for c in self.choices.all() if c.is_correct}


class Choice(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=300)
    is_correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["question", "pk"]

    def __str__(self) -> str:
        return self.text


class RequirementQuerySet(models.QuerySet["Requirement"]):
    def active(self) -> RequirementQuerySet:
        return self.filter(is_active=True)


class Requirement(models.Model):
    """Who must complete which course, and how often. Empty criteria match everyone."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="requirements")
    roles = models.JSONField(default=list, blank=True, help_text="Role values; empty: any role")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    min_exposure_tier = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=ExposureProfile.Tier.choices
    )
    every_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Repeat every N months; empty: once"
    )
    due_within_days = models.PositiveSmallIntegerField(
        default=30, help_text="Days a new starter (or a newly covered person) has to complete it"
    )
    grace_days = models.PositiveSmallIntegerField(
        default=30, help_text="Days overdue before a person can be put on the disclosure list"
    )
    starts_on = models.DateField()
    is_active = models.BooleanField(default=True)

    objects = RequirementQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def recurrence_label(self) -> str:
        return f"every {self.every_months} months" if self.every_months else "once"

    def role_labels(self) -> list[str]:
        return [Role(r).label for r in self.roles]


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def visible_to(self, user: User | AnonymousUser) -> AssignmentQuerySet:
        """Assignments of people whose records the user sees; a remedial one only when the
        need-to-know rule lets them read it (the person and the security team)."""
        remedial = readable_q(user, Sensitive.REMEDIAL, person_field="person_id")
        return self.filter(person__in=training_people(user)).filter(
            Q(source=Assignment.Source.REQUIREMENT) | remedial
        )

    def for_requirements(self) -> AssignmentQuerySet:
        return self.filter(source=Assignment.Source.REQUIREMENT)

    def live(self) -> AssignmentQuerySet:
        return self.exclude(status=Assignment.Status.RETIRED)

    def open(self) -> AssignmentQuerySet:
        return self.filter(status=Assignment.Status.OPEN)

    def current(self) -> AssignmentQuerySet:
        return self.filter(is_current=True).exclude(status=Assignment.Status.RETIRED)


class Assignment(models.Model):
    """One person's obligation to complete one course by a date.

    For a recurring requirement each cycle is a new row; `is_current` marks the latest cycle, the
    one compliance counts. Remedial assignments (requirement empty) carry their reason."""

    class Status(models.TextChoices):
        OPEN = "open", "To do"
        COMPLETED = "completed", "Completed"
        RETIRED = "retired", "No longer required"

    class Source(models.TextChoices):
        REQUIREMENT = "requirement", "Requirement"
        REMEDIAL = "remedial", "Remedial"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assignments")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="assignments")
    requirement = models.ForeignKey(
        Requirement, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments"
    )
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.REQUIREMENT)
    reason = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    is_current = models.BooleanField(default=True)
    assigned_on = models.DateField()
    due_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    completion = models.ForeignKey(
        "Completion", null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments"
    )
    retired_on = models.DateField(null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "requirement"],
                condition=Q(status="open", requirement__isnull=False),
                name="assignment_one_open_per_requirement",
            )
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.course} by {self.due_on}"

    def is_overdue(self, today: date) -> bool:
        return self.status == self.Status.OPEN and self.due_on < today

    def days_overdue(self, today: date) -> int:
        return (today - self.due_on).days if self.is_overdue(today) else 0


class CompletionQuerySet(models.QuerySet["Completion"]):
    def visible_to(self, user: User | AnonymousUser) -> CompletionQuerySet:
        return self.filter(person__in=training_people(user))

    def valid(self) -> CompletionQuerySet:
        """Completions of a version that still counts."""
        return self.filter(course_version__gte=models.F("course__valid_from_version"))

    def with_renewal(self) -> CompletionQuerySet:
        """Each completion's renewal interval in months (`renew_months`), in the same query."""
        return self.annotate(
            renew_months=models.Min(
                "course__requirements__every_months",
                filter=Q(course__requirements__is_active=True),
            )
        )


_UNANNOTATED = object()


class Completion(models.Model):
    class Method(models.TextChoices):
        ONLINE = "online", "Online course and quiz"
        EXTERNAL = "external", "Briefing delivered in person"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="completions")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions")
    course_version = models.PositiveIntegerField()
    completed_on = models.DateField()
    method = models.CharField(max_length=20, choices=Method.choices, default=Method.ONLINE)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    evidence = models.FileField(upload_to="training/evidence/", blank=True)
    evidence_note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = CompletionQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.person}: {self.course} v{self.course_version} on {self.completed_on}"

    @property
    def certificate_number(self) -> str:
        return f"PC-{self.completed_on:%Y}-{str(self.public_id)[:8].upper()}"

    @property
    def renew_by(self) -> date | None:
        """When it must be done again: the course's most frequent active recurring requirement
        (None when no requirement repeats it). Lists annotate `renew_months` with
        `CompletionQuerySet.with_renewal()` so that this costs no query per row."""
        months = getattr(self, "renew_months", _UNANNOTATED)
        if months is _UNANNOTATED:
            months = self.course.requirements.filter(
                is_active=True, every_months__isnull=False
            ).aggregate(models.Min("every_months"))["every_months__min"]
        return self.completed_on + relativedelta(months=months) if months else None


class QuizAttempt(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="quiz_attempts")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="attempts")
    course_version = models.PositiveIntegerField()
    question_ids = models.JSONField(default=list)  # the drawn questions' public ids, in order
    answers = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.person}: {self.course} attempt {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class ExemptionQuerySet(models.QuerySet["Exemption"]):
    def covering(self, today: date) -> ExemptionQuerySet:
        return self.filter(starts_on__lte=today).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today)
        )

    def visible_to(self, user: User | AnonymousUser) -> ExemptionQuerySet:
        return self.filter(person__in=training_people(user))


class Exemption(models.Model):
    """A recorded reason a person need not complete training for a while (or one course)."""

    class Reason(models.TextChoices):
        ILLNESS = "illness", "Illness"
        LEAVE = "leave", "Leave (parental, sabbatical, other)"
        OTHER = "other", "Other"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="exemptions")
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.CASCADE, help_text="Empty: all courses"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    detail = models.CharField(max_length=300)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ExemptionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_reason_display()} from {self.starts_on}"


class Reminder(models.Model):
    """A reminder stage for one assignment. The unique constraint makes each stage happen once."""

    class Stage(models.TextChoices):
        BEFORE = "before", "A week before the due date"
        DUE = "due", "On the due date"
        AFTER = "after", "A week overdue"
        ESCALATION = "escalation", "Escalated to the office manager and security team"

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    sent_on = models.DateField()
    recipients = models.JSONField(default=list)
    skipped = models.BooleanField(default=False, help_text="Passed while a later stage applied")

    class Meta:
        ordering = ["assignment", "sent_on"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "stage"], name="reminder_once_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.assignment}: {self.stage}"


class TrainingAccessGrantQuerySet(models.QuerySet["TrainingAccessGrant"]):
    def active(self, today: date) -> TrainingAccessGrantQuerySet:
        return self.filter(revoked_on__isnull=True, starts_on__lte=today).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=today)
        )


class TrainingAccessGrant(models.Model):
    """Lets a party compliance officer see the training records of their party's members."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    grantee = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    party = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, limit_choices_to={"kind": "party"}
    )
    starts_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    revoked_on = models.DateField(null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = TrainingAccessGrantQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.grantee} may see {self.party} training records"


class DisclosureListQuerySet(models.QuerySet["DisclosureList"]):
    def published(self) -> DisclosureListQuerySet:
        return self.filter(status=DisclosureList.Status.PUBLISHED)


class DisclosureList(models.Model):
    """The list of people who have not completed mandatory training, done responsibly:
    draft -> notice (a window to complete or appeal) -> approved by a second officer -> published.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        NOTICE = "notice", "Notice given"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    as_of = models.DateField(help_text="Overdue (past grace) on this day")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    notice_on = models.DateField(null=True, blank=True)
    window_ends_on = models.DateField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)

    objects = DisclosureListQuerySet.as_manager()

    class Meta:
        ordering = ["-as_of", "-pk"]

    def __str__(self) -> str:
        return self.title

    def listed(self) -> models.QuerySet[DisclosureEntry]:
        return self.entries.filter(status=DisclosureEntry.Status.LISTED).select_related(
            "person", "course"
        )


class DisclosureEntry(models.Model):
    class Status(models.TextChoices):
        LISTED = "listed", "On the list"
        APPEALED = "appealed", "Appeal awaiting decision"
        COMPLETED = "completed", "Completed in the notice window"
        EXEMPT = "exempt", "Exempt"
        APPEAL_UPHELD = "appeal_upheld", "Appeal upheld"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    disclosure = models.ForeignKey(DisclosureList, on_delete=models.CASCADE, related_name="entries")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="disclosures")
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    office_names = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.LISTED)
    appeal = models.TextField(blank=True)
    decision_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["person__full_name", "course__title"]
        constraints = [
            models.UniqueConstraint(
                fields=["disclosure", "assignment"], name="disclosure_entry_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.course} ({self.get_status_display()})"


class ComplianceSummary(models.Model):
    """One person's training figures for compliance (their current requirement assignments), as
    computed on `as_of` and unchanged by the calendar alone until `valid_until` (the day after the
    next due date, or the day an exemption starts or ends; empty: never).

    Written by `training.summary.refresh` in the same transaction as every service that changes
    assignments, completions or exemptions; read by `training.compliance`, which counts from the
    rows anyone whose row does not hold on the day asked about. A person without a row has no
    current requirement assignments."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    assigned = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    exempt = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    as_of = models.DateField()
    valid_until = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["valid_until"], name="compliance_summary_until")]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.completed}/{self.assigned} on {self.as_of}"


class ComplianceGeneration(models.Model):
    """One number, moved on after each committed change to anything the compliance figures count
    (`training.compliance_cache`): cached figures are filed under the number they were computed
    at, so every process stops using them once it moves."""

    number = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"generation {self.number}"
