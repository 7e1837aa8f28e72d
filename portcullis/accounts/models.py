"""Tenancy and people: Organisation, Office, Person (+ e-mail addresses), Membership, User.

Reads go through `visible_to(user)`; what a user may see is decided by their `Scope`, computed once
per request from their active memberships.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class Role(models.TextChoices):
    MEMBER = "member", "Member"
    STAFFER = "staffer", "Staffer"
    OFFICE_MANAGER = "office_manager", "Office manager"
    SECURITY_OFFICER = "security_officer", "Security officer"
    GATE_OFFICER = "gate_officer", "Gate officer"
    PARTY_COMPLIANCE_OFFICER = "party_compliance_officer", "Party compliance officer"
    ADMINISTRATOR = "administrator", "Administrator"


OFFICE_ROLES = frozenset({Role.MEMBER, Role.STAFFER, Role.OFFICE_MANAGER})
# Roles that see other people's sensitive data or control the estate: TOTP is mandatory.
MFA_ROLES = frozenset(
    {
        Role.SECURITY_OFFICER,
        Role.GATE_OFFICER,
        Role.PARTY_COMPLIANCE_OFFICER,
        Role.ADMINISTRATOR,
    }
)


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def visible_to(self, user: User | AnonymousUser) -> OrganisationQuerySet:
        """The structure of the legislature is no secret to anyone signed in."""
        return self.all() if user.is_authenticated else self.none()


class Organisation(models.Model):
    class Kind(models.TextChoices):
        HOUSE = "house", "House of the legislature"
        PARTY = "party", "Political party"
        SECURITY_TEAM = "security_team", "Security team"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class OfficeQuerySet(models.QuerySet["Office"]):
    def visible_to(self, user: User | AnonymousUser) -> OfficeQuerySet:
        if not user.is_authenticated:
            return self.none()
        scope = user.scope
        if scope.sees_whole_directory or scope.has(Role.GATE_OFFICER):
            return self.all()
        q = Q(pk__in=scope.office_ids)
        if scope.party_ids:
            members = Membership.objects.active().filter(
                person__party_id__in=scope.party_ids, role=Role.MEMBER
            )
            q |= Q(pk__in=members.values("office_id"))
        return self.filter(q)

    def managed_by(self, user: User | AnonymousUser) -> OfficeQuerySet:
        """Offices whose people the user records (starters, leavers, addresses): every office
        for the security team, the offices they manage for an office manager, none otherwise."""
        if not user.is_authenticated:
            return self.none()
        scope = user.scope
        if scope.has(Role.SECURITY_OFFICER):
            return self.all()
        return self.filter(pk__in=scope.managed_office_ids)


class Office(models.Model):
    class Kind(models.TextChoices):
        MEMBER_OFFICE = "member_office", "Member's office"
        DEPARTMENT = "department", "Department"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="offices")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MEMBER_OFFICE)
    constituency = models.CharField(max_length=120, blank=True)

    objects = OfficeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="office_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user: User | AnonymousUser) -> PersonQuerySet:
        if not user.is_authenticated:
            return self.none()
        scope = user.scope
        if scope.sees_whole_directory:
            return self.all()
        # Subqueries, not a join with DISTINCT: the join made every person list and count
        # match all 15,000 people against their memberships before filtering.
        q = Q(pk=scope.person_id) if scope.person_id else Q(pk__in=[])
        if scope.office_ids:
            posts = Membership.objects.active().filter(office_id__in=scope.office_ids)
            q |= Q(pk__in=posts.values("person_id"))
        if scope.party_ids:
            q |= Q(party_id__in=scope.party_ids)
        return self.filter(q)

    def with_email(self, address: str) -> PersonQuerySet:
        return self.filter(emails__address=normalise_email(address))


class Person(models.Model):
    """Someone in the directory. Most people never sign in; a User is a Person who does."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    party = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="party_people",
        limit_choices_to={"kind": Organisation.Kind.PARTY},
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Readers that keep a copy of the directory (the e-mail analyser) refresh it when the latest
    # change moves; a writer using bulk_update() must list this field.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["full_name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name

    @property
    def primary_email(self) -> str:
        emails = sorted(self.emails.all(), key=lambda e: (not e.is_primary, e.address))
        return emails[0].address if emails else ""

    def active_memberships(self) -> models.QuerySet[Membership]:
        return self.memberships.filter(ended_on__isnull=True).select_related(
            "office", "organisation"
        )


def normalise_email(address: str) -> str:
    return address.strip().lower()


class PersonEmail(models.Model):
    """A real address of a directory person: used to tell them apart from impersonators."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="emails")
    address = models.EmailField(unique=True)
    is_primary = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # see Person.updated_at

    class Meta:
        ordering = ["-is_primary", "address"]

    def __str__(self) -> str:
        return self.address

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.address = normalise_email(self.address)
        super().save(*args, **kwargs)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(ended_on__isnull=True)

    def visible_to(self, user: User | AnonymousUser) -> MembershipQuerySet:
        return self.filter(person__in=Person.objects.visible_to(user))


class Membership(models.Model):
    """A person's role in an office (member, staffer, office manager) or an organisation."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["person__full_name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "office", "role"],
                condition=Q(ended_on__isnull=True, office__isnull=False),
                name="membership_unique_active_office_role",
            ),
            models.UniqueConstraint(
                fields=["person", "organisation", "role"],
                condition=Q(ended_on__isnull=True, office__isnull=True),
                name="membership_unique_active_organisation_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} ({self.office or self.organisation})"

    def clean(self) -> None:
        if self.role in OFFICE_ROLES and self.office_id is None:
            raise ValidationError({"office": "This role belongs to an office."})
        if self.role not in OFFICE_ROLES and self.office_id is not None:
            raise ValidationError(
                {"office": "This role belongs to an organisation, not an office."}
            )
        if self.office is not None and self.office.organisation_id != self.organisation_id:
            raise ValidationError({"office": "The office belongs to another organisation."})
        expected = {
            Role.PARTY_COMPLIANCE_OFFICER: Organisation.Kind.PARTY,
            Role.SECURITY_OFFICER: Organisation.Kind.SECURITY_TEAM,
            Role.GATE_OFFICER: Organisation.Kind.SECURITY_TEAM,
        }.get(Role(self.role))
        if expected and self.organisation.kind != expected:
            raise ValidationError(
                {
                    "organisation": f"A {self.get_role_display()} belongs to a "
                    f"{Organisation.Kind(expected).label.lower()}."
                }
            )


@dataclass(frozen=True)
class Scope:
    """What a user may see, derived from their active memberships."""

    person_id: int | None
    roles: frozenset[str] = frozenset()
    office_ids: frozenset[int] = frozenset()
    managed_office_ids: frozenset[int] = frozenset()
    party_ids: frozenset[int] = frozenset()
    organisation_ids: frozenset[int] = field(default_factory=frozenset)

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def sees_whole_directory(self) -> bool:
        return self.has(Role.SECURITY_OFFICER, Role.ADMINISTRATOR)

    @classmethod
    def for_person(cls, person_id: int | None) -> Scope:
        if person_id is None:
            return cls(person_id=None)
        rows = list(
            Membership.objects.active()
            .filter(person_id=person_id)
            .values_list("role", "office_id", "organisation_id")
        )
        return cls(
            person_id=person_id,
            roles=frozenset(role for role, _, _ in rows),
            office_ids=frozenset(office for _, office, _ in rows if office),
            managed_office_ids=frozenset(
                office for role, office, _ in rows if role == Role.OFFICE_MANAGER and office
            ),
            party_ids=frozenset(
                org for role, _, org in rows if role == Role.PARTY_COMPLIANCE_OFFICER
            ),
            organisation_ids=frozenset(org for _, _, org in rows),
        )


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=normalise_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class UserQuerySet(models.QuerySet["User"]):
    def visible_to(self, user: User | AnonymousUser) -> UserQuerySet:
        return self.filter(person__in=Person.objects.visible_to(user))


class ScopedUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A person who signs in. The e-mail address is the user name."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("e-mail address", unique=True)
    person = models.OneToOneField(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="user"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[ScopedUserManager] = ScopedUserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.person.full_name if self.person else self.email

    @cached_property
    def scope(self) -> Scope:
        return Scope.for_person(self.person_id)

    @property
    def display_name(self) -> str:
        return str(self)

    @property
    def requires_mfa(self) -> bool:
        return self.is_superuser or self.scope.has(*MFA_ROLES)


def scope_of(user: User | AnonymousUser) -> Scope:
    """The scope of whoever is asking; nothing at all for anonymous callers."""
    return user.scope if isinstance(user, User) else Scope(person_id=None)


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def live(self) -> ApiTokenQuerySet:
        from django.utils import timezone

        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """An integration's token: named, scoped to API areas, expiring, revocable by its owner.

    Only a SHA-256 digest of the key is stored (the key has 256 random bits, so a fast digest is
    enough); the key itself is shown once, when the token is made.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey("User", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=12, editable=False)
    scopes = models.JSONField(default=list)
    read_only = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ApiTokenAllowance(models.Model):
    """The security team's decision that someone whose role needs MFA may hold API tokens."""

    user = models.ForeignKey("User", on_delete=models.CASCADE, related_name="token_allowances")
    reason = models.CharField(max_length=300)
    allowed_by = models.ForeignKey(
        "User", null=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    allowed_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-allowed_at"]

    def __str__(self) -> str:
        return f"{self.user}: {self.reason}"


class DirectoryImport(models.Model):
    """A directory file uploaded from the import page, imported by a background task whose
    progress the page polls. All or nothing: any bad line and nothing is written."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        CHECKING = "checking", "Checking the file"
        SAVING = "saving", "Saving people"
        TRAINING = "training", "Updating training"
        DONE = "done", "Imported"
        FAILED = "failed", "Nothing imported"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    upload = models.FileField(upload_to="accounts/imports/")
    file_name = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)  # [[line, problem], ...]
    created_by = models.ForeignKey("User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        """Checking is the first 60%, saving to 80%, the training update the rest."""
        if self.status == self.Status.CHECKING and self.rows_total:
            return 60 * self.rows_checked // self.rows_total
        steps = {self.Status.SAVING: 60, self.Status.TRAINING: 80}
        return 100 if self.is_finished else steps.get(self.status, 0)  # type: ignore[call-overload]


class SavedFilterQuerySet(models.QuerySet["SavedFilter"]):
    def visible_to(self, user: Any) -> SavedFilterQuerySet:
        """A saved filter is its owner's alone."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)


class SavedFilter(models.Model):
    """A queue's filters, search and sort that a person named to come back to."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey("User", on_delete=models.CASCADE, related_name="saved_filters")
    queue = models.CharField(max_length=40)
    name = models.CharField(max_length=80)
    query = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SavedFilterQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "queue", "name"], name="saved_filter_unique")
        ]

    def __str__(self) -> str:
        return self.name
