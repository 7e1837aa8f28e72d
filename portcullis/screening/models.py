"""Lists (sources, versions, entities), screenings with their explained results, decisions,
monitoring with recorded outcome changes, and batch screenings.

Lists are global reference data. Everything about a *subject* is scoped: the security team sees
every screening; a party compliance officer sees their own party's (`visible_to`).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from portcullis.accounts.access import SCREENS
from portcullis.accounts.models import Organisation, Role
from portcullis.lib.audience import Audience

from . import matching

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portcullis.accounts.models import User


def party_filter(user: User | AnonymousUser, field: str = "party") -> Q | None:
    """The one scoping rule for subject data: None means "nothing at all"."""
    if not user.is_authenticated:
        return None
    scope = user.scope
    if scope.has(Role.SECURITY_OFFICER):
        return Q()
    if scope.has(Role.PARTY_COMPLIANCE_OFFICER) and scope.party_ids:
        return Q(**{f"{field}__in": scope.party_ids})
    return None


class ScopedQuerySet(models.QuerySet[Any]):
    party_field = "party"

    def visible_to(self, user: User | AnonymousUser) -> Any:
        q = party_filter(user, self.party_field)
        return self.none() if q is None else self.filter(q)


class ResultQuerySet(ScopedQuerySet):
    party_field = "screening__party"


class DecisionQuerySet(ScopedQuerySet):
    party_field = "subject__party"


# --- lists --------------------------------------------------------------------------------------


class ListSourceQuerySet(models.QuerySet["ListSource"]):
    def visible_to(self, user: User | AnonymousUser) -> ListSourceQuerySet:
        """Which lists are in force is for those who screen against them."""
        return self.all() if SCREENS(user) else self.none()


class ListSource(models.Model):
    """One list we screen against. Its `current_version` is the one in force."""

    class Kind(models.TextChoices):
        OPENSANCTIONS = "opensanctions", "OpenSanctions FtM JSON lines"
        UN_SC = "un-sc", "UN Security Council consolidated list XML"
        UK_SANCTIONS_LIST = "uk-sanctions-list", "UK Sanctions List (FCDO) XML"
        UK_OFSI = "uk-ofsi", "UK OFSI consolidated list CSV (legacy layout, closed January 2026)"
        INTERNAL = "internal", "Internal watchlist"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField(blank=True)
    # How often the publisher updates the list; a version older than this is shown as stale.
    refresh_days = models.PositiveSmallIntegerField(
        default=14, help_text="Days after which the version in force counts as out of date."
    )
    current_version = models.OneToOneField(
        "ListVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class FetchStatus(models.TextChoices):
        IMPORTED = "imported", "New version imported"
        UNCHANGED = "unchanged", "Unchanged"
        REJECTED = "rejected", "File rejected"
        FAILED = "failed", "Download failed"

    # The publisher's address, fetched on a schedule (`screening.fetch`); empty: uploads only.
    download_url = models.URLField(max_length=500, blank=True)
    fetch_every_hours = models.PositiveSmallIntegerField(default=24)
    fetch_etag = models.CharField(max_length=200, blank=True)
    fetch_last_modified = models.CharField(max_length=100, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_fetch_status = models.CharField(max_length=10, choices=FetchStatus.choices, blank=True)
    last_fetch_message = models.CharField(max_length=500, blank=True)
    objects = ListSourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_internal(self) -> bool:
        return self.kind == self.Kind.INTERNAL

    def stale_since(self, today: date | None = None) -> date | None:
        """The day the version in force went out of date, or None while it is fresh.

        Counted from the publisher's own date when the file gives one (an old file imported
        today is still old), else from the import. Internal watchlists never go stale.
        """
        version = self.current_version
        if self.is_internal or version is None:
            return None
        as_of = version.published_on or version.created_at.date()
        due = as_of + timedelta(days=self.refresh_days)
        return due if due <= (today or timezone.localdate()) else None


class ListVersion(models.Model):
    """One import (or one edit of a watchlist). `diff` holds what changed from the previous one:
    {"added": [[id, caption], ...], "removed": [...], "changed": [...]}."""

    class Status(models.TextChoices):
        PENDING = "pending", "Being stored"
        CURRENT = "current", "In force"
        SUPERSEDED = "superseded", "Superseded"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.ForeignKey(ListSource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    note = models.CharField(max_length=300, blank=True)
    # The date the publisher gives the file (UN `dateGenerated`, FCDO `DateGenerated`, OFSI's
    # "Last Updated"); None when the format carries none. `created_at` is when we imported it.
    published_on = models.DateField(null=True, blank=True)
    # Set when the same file (same SHA-256) is imported again: no new version, just the check.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    entity_count = models.PositiveIntegerField(default=0)
    added_count = models.PositiveIntegerField(default=0)
    removed_count = models.PositiveIntegerField(default=0)
    changed_count = models.PositiveIntegerField(default=0)
    diff = models.JSONField(default=dict)

    class Meta:
        ordering = ["source__name", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["source", "number"], name="list_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.source.name} v{self.number}"


def stale_sources(today: date | None = None) -> list[tuple[ListSource, date]]:
    """Published lists whose version in force is past its refresh interval, oldest first."""
    found = []
    for source in ListSource.objects.exclude(kind=ListSource.Kind.INTERNAL).select_related(
        "current_version"
    ):
        since = source.stale_since(today)
        if since is not None:
            found.append((source, since))
    return sorted(found, key=lambda pair: pair[1])


def versions_screened(versions: dict[str, int]) -> list[ListVersion]:
    """The list versions a screening ran against (`Screening.versions` is {slug: number})."""
    if not versions:
        return []
    wanted = Q()
    for slug, number in versions.items():
        wanted |= Q(source__slug=slug, number=number)
    found = ListVersion.objects.filter(wanted).select_related("source")
    return list(found.order_by("source__name"))


class ListEntity(models.Model):
    """One record of one version, stored as the matcher's `Entity` fields."""

    version = models.ForeignKey(ListVersion, on_delete=models.CASCADE, related_name="entities")
    external_id = models.CharField(max_length=200)
    entity_type = models.CharField(max_length=20, default="unknown")
    caption = models.CharField(max_length=500)
    names = models.JSONField(default=list)
    birth_dates = models.JSONField(default=list)
    countries = models.JSONField(default=list)
    identifiers = models.JSONField(default=list)  # [[value, kind], ...]
    topics = models.JSONField(default=list)
    notes = models.JSONField(default=list)  # [[label, text], ...]
    # Who may see it in results (`lib.audience.Audience`); null: everyone who may screen.
    audience = models.JSONField(null=True, blank=True)
    fingerprint = models.CharField(max_length=64)  # of the content, to tell "changed" in a diff

    class Meta:
        ordering = ["caption"]
        constraints = [
            models.UniqueConstraint(fields=["version", "external_id"], name="list_entity_id")
        ]

    def __str__(self) -> str:
        return self.caption

    def as_entity(self, source_slug: str) -> matching.Entity:
        return matching.Entity(
            entity_id=self.external_id,
            source=source_slug,
            names=tuple(self.names),
            entity_type=matching.EntityType(self.entity_type),
            birth_dates=tuple(self.birth_dates),
            countries=tuple(self.countries),
            identifiers=tuple(matching.Identifier(v, k) for v, k in self.identifiers),
            topics=tuple(self.topics),
            notes=tuple((label, text) for label, text in self.notes),
            audience=Audience.from_data(self.audience) if self.audience is not None else None,
        )


class ListImport(models.Model):
    """An upload from the lists page, processed by a background task with visible progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Imported"
        FAILED = "failed", "Rejected"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.ForeignKey(ListSource, on_delete=models.CASCADE, related_name="imports")
    upload = models.FileField(upload_to="screening/imports/")
    file_name = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=100, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)  # per cent
    message = models.TextField(blank=True)
    version = models.ForeignKey(
        ListVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} → {self.source.name}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


# --- subjects and screenings --------------------------------------------------------------------


class EntityType(models.TextChoices):
    UNKNOWN = "unknown", "Person or organisation"
    PERSON = "person", "Person"
    ORGANISATION = "organisation", "Organisation"


class Subject(models.Model):
    """Who or what was screened, as given. `key` identifies "the same subject" within a party
    (or the security team when `party` is empty), so decisions carry over to the next screening."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.CharField(max_length=64)
    party = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=300)
    aliases = models.JSONField(default=list)
    birth_dates = models.JSONField(default=list)
    countries = models.JSONField(default=list)
    entity_type = models.CharField(
        max_length=20, choices=EntityType.choices, default=EntityType.UNKNOWN
    )
    identifiers = models.JSONField(default=list)  # [[value, kind], ...]
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        # Two partial constraints rather than nulls_distinct=False, which SQLite cannot enforce.
        constraints = [
            models.UniqueConstraint(
                fields=["key", "party"], condition=Q(party__isnull=False), name="subject_key_party"
            ),
            models.UniqueConstraint(
                fields=["key"], condition=Q(party__isnull=True), name="subject_key_security"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def as_query(self) -> matching.Subject:
        return matching.Subject(
            name=self.name,
            aliases=tuple(self.aliases),
            birth_dates=tuple(self.birth_dates),
            countries=tuple(self.countries),
            entity_type=matching.EntityType(self.entity_type),
            identifiers=tuple(matching.Identifier(v, k) for v, k in self.identifiers),
        )


class Screening(models.Model):
    class Trigger(models.TextChoices):
        PAGE = "page", "Screening page"
        API = "api", "API"
        MONITORING = "monitoring", "Re-screened after a list change"
        SERVICE = "service", "Another module"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="screenings")
    party = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField(max_length=200)
    trigger = models.CharField(max_length=12, choices=Trigger.choices, default=Trigger.SERVICE)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    algorithm = models.CharField(max_length=40)
    threshold = models.FloatField()
    versions = models.JSONField(default=dict)  # {source slug: version number} in force
    versions_key = models.CharField(max_length=500)  # the index key, to spot stale screenings
    # A monitored re-screen whose outcome is unchanged updates these instead of adding a row;
    # `versions` then names the lists of the latest check.
    checked_at = models.DateTimeField(null=True, blank=True)
    check_count = models.PositiveIntegerField(default=0)
    hit_count = models.PositiveIntegerField(default=0)  # matches not decided as false
    new_hit_count = models.PositiveIntegerField(default=0)  # of those, with no decision yet

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        # The screenings queue, newest first: all of them (security) or one party's.
        indexes = [
            models.Index(fields=["created_at", "id"], name="screening_created"),
            models.Index(fields=["party", "created_at", "id"], name="screening_party_created"),
        ]

    def __str__(self) -> str:
        return f"{self.subject.name} ({self.created_at:%Y-%m-%d %H:%M})"

    def open_hits(self) -> models.QuerySet[ScreeningResult]:
        return self.results.filter(is_match=True).exclude(status=ScreeningResult.Status.CLEARED)


class ScreeningResult(models.Model):
    """One scored candidate, with everything needed to explain it later."""

    class Status(models.TextChoices):
        NEW = "new", "To review"
        CONFIRMED = "confirmed", "True match (decided)"
        CLEARED = "cleared", "False match (decided)"
        REVIEW_AGAIN = "review_again", "Decided, but the list entry has changed since"
        PENDING = "pending", "True match, awaiting a second officer"
        BELOW = "below", "Below threshold"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="results")
    entity = models.ForeignKey(ListEntity, on_delete=models.PROTECT, related_name="+")
    source = models.ForeignKey(ListSource, on_delete=models.PROTECT, related_name="+")
    list_version = models.ForeignKey(ListVersion, on_delete=models.PROTECT, related_name="+")
    external_id = models.CharField(max_length=200)
    caption = models.CharField(max_length=500)
    score = models.FloatField()
    threshold = models.FloatField()
    algorithm = models.CharField(max_length=40)
    is_match = models.BooleanField()
    features = models.JSONField(default=list)
    matched_names = models.JSONField(default=list)
    status = models.CharField(max_length=14, choices=Status.choices)
    prior_decision = models.ForeignKey(
        "Decision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ResultQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "external_id"]

    def __str__(self) -> str:
        return f"{self.caption} ({self.score:.2f})"


class Decision(models.Model):
    """An analyst's verdict on one list entry for one subject. The latest one applies."""

    class Verdict(models.TextChoices):
        TRUE_MATCH = "true_match", "True match"
        FALSE_MATCH = "false_match", "False match"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="decisions")
    source = models.ForeignKey(ListSource, on_delete=models.PROTECT, related_name="+")
    external_id = models.CharField(max_length=200)
    entity_fingerprint = models.CharField(max_length=64)
    verdict = models.CharField(max_length=12, choices=Verdict.choices)
    reason = models.TextField()
    result = models.ForeignKey(ScreeningResult, on_delete=models.PROTECT, related_name="decisions")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)
    # Four eyes (settings.SCREENING_FOUR_EYES): a true match waits for a second security officer.
    awaiting_second = models.BooleanField(default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()}: {self.external_id}"


# --- monitoring ---------------------------------------------------------------------------------


class MonitoredSubject(models.Model):
    """A subject re-screened whenever a list version changes; `owner` is told of every change."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subject = models.OneToOneField(Subject, on_delete=models.PROTECT, related_name="monitoring")
    party = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    purpose = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    last_screening = models.ForeignKey(
        Screening, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["subject__name"]

    def __str__(self) -> str:
        return f"monitoring {self.subject.name}"


class ChangeQuerySet(ScopedQuerySet):
    party_field = "monitored__party"

    def unacknowledged(self) -> ChangeQuerySet:
        return self.filter(acknowledged_at__isnull=True)


class OutcomeChange(models.Model):
    """A monitored subject's outcome changed after a list change. Written in the same
    transaction as the re-screening; `notified_at` stays empty until the e-mail has gone."""

    class Kind(models.TextChoices):
        NEW_HIT = "new_hit", "New hit"
        HIT_GONE = "hit_gone", "Hit gone"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    monitored = models.ForeignKey(
        MonitoredSubject, on_delete=models.PROTECT, related_name="changes"
    )
    screening = models.ForeignKey(Screening, on_delete=models.PROTECT, related_name="+")
    previous_screening = models.ForeignKey(
        Screening, null=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    source = models.ForeignKey(ListSource, on_delete=models.PROTECT, related_name="+")
    external_id = models.CharField(max_length=200)
    caption = models.CharField(max_length=500)
    score_before = models.FloatField(null=True)
    score_after = models.FloatField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.caption}"


# --- batch screening ----------------------------------------------------------------------------


class BatchScreening(models.Model):
    """An uploaded CSV/XLSX of subjects, screened by a background task into a result CSV."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    party = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField(max_length=200)
    upload = models.FileField(upload_to="screening/batches/")
    file_name = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    hit_rows = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    result = models.FileField(upload_to="screening/results/", blank=True)
    algorithm = models.CharField(max_length=40, blank=True)
    threshold = models.FloatField(null=True, blank=True)
    versions = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class BatchQuerySet(ScopedQuerySet):
    party_field = "batch__party"


class BatchHit(models.Model):
    """A possible match found for one row of a batch, reviewed in the app (`batch.decide_hit`)."""

    class Verdict(models.TextChoices):
        TRUE_MATCH = "true_match", "True match"
        FALSE_POSITIVE = "false_positive", "False positive"
        NEEDS_INFORMATION = "needs_information", "Needs more information"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    batch = models.ForeignKey(BatchScreening, on_delete=models.CASCADE, related_name="hits")
    row = models.PositiveIntegerField()  # the file's row (line) number
    reference = models.CharField(max_length=200, blank=True)
    name = models.CharField(max_length=300)
    birth_dates = models.JSONField(default=list)
    countries = models.JSONField(default=list)
    entity = models.ForeignKey(ListEntity, on_delete=models.PROTECT, related_name="+")
    source = models.ForeignKey(ListSource, on_delete=models.PROTECT, related_name="+")
    external_id = models.CharField(max_length=200)
    caption = models.CharField(max_length=500)
    score = models.FloatField()
    features = models.JSONField(default=list)
    matched_names = models.JSONField(default=list)
    status = models.CharField(max_length=14, choices=ScreeningResult.Status.choices)
    verdict = models.CharField(max_length=20, choices=Verdict.choices, blank=True)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = BatchQuerySet.as_manager()

    class Meta:
        ordering = ["row", "-score", "id"]

    def __str__(self) -> str:
        return f"row {self.row}: {self.caption} ({self.score:.2f})"


class BatchProblem(models.Model):
    """A row of a batch that was skipped, or screened leaving something out, and why."""

    batch = models.ForeignKey(BatchScreening, on_delete=models.CASCADE, related_name="problems")
    row = models.PositiveIntegerField()
    reason = models.CharField(max_length=300)
    screened = models.BooleanField(default=False)  # screened without what the reason names

    objects = BatchQuerySet.as_manager()

    class Meta:
        ordering = ["row", "id"]

    def __str__(self) -> str:
        return f"row {self.row}: {self.reason}"
