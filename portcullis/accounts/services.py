"""Use cases that change accounts. Each takes keyword arguments, needs an actor, and writes a
ledger entry in the same transaction."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portcullis import ledger
from portcullis.ledger.actors import VISITOR, WORKER, Actor, user_of
from portcullis.lib.tasks import enqueue_on_commit

from . import tokens
from .access import SECURITY_TEAM
from .directory import LOOKUP_CHUNK, DirectoryRow, Progress, parse_directory
from .models import (
    ApiToken,
    ApiTokenAllowance,
    DirectoryImport,
    Membership,
    Office,
    Organisation,
    Person,
    PersonEmail,
    Role,
    SavedFilter,
    User,
    normalise_email,
)

RECOVERY_CODE_COUNT = 10
STARTER_ROLES = (Role.STAFFER, Role.OFFICE_MANAGER)  # members arrive through the security team


class InvalidTokenError(Exception):
    pass


def request_facts(request: HttpRequest) -> dict[str, str]:
    return {
        "ip": request.META.get("REMOTE_ADDR", ""),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
    }


@transaction.atomic
def record_sign_in(*, user: User, request: HttpRequest, second_factor: str = "") -> None:
    data = request_facts(request) | {"second_factor": second_factor or "none"}
    ledger.record(actor=user, action="session.sign_in", target=user, data=data)


@transaction.atomic
def record_sign_in_failure(*, email: str, request: HttpRequest, reason: str) -> None:
    data = request_facts(request) | {"email": email[:254], "reason": reason}
    ledger.record(actor=VISITOR, action="session.sign_in_failed", data=data)


@transaction.atomic
def record_sign_out(*, user: User, request: HttpRequest) -> None:
    ledger.record(actor=user, action="session.sign_out", target=user, data=request_facts(request))


def confirmed_totp(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def start_totp_enrolment(*, actor: User) -> TOTPDevice:
    """A fresh, unconfirmed authenticator for the actor; earlier unconfirmed ones are dropped."""
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    return TOTPDevice.objects.create(user=actor, name="Authenticator app", confirmed=False)


@transaction.atomic
def confirm_totp_enrolment(*, actor: User, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the device with a code from the app. Returns new recovery codes, shown once."""
    if device.user_id != actor.pk or device.confirmed:
        raise InvalidTokenError("This enrolment has expired. Start again.")
    if _must_wait(device):
        raise InvalidTokenError("Too many wrong codes. Wait a minute, then try again.")
    if not device.verify_token(token.strip()):
        raise InvalidTokenError(
            "The code is wrong or has expired. Enter the 6 digits the app shows."
        )
    TOTPDevice.objects.filter(user=actor, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    ledger.record(actor=actor, action="mfa.enrol", target=actor)
    return _new_recovery_codes(actor)


@transaction.atomic
def regenerate_recovery_codes(*, actor: User) -> list[str]:
    codes = _new_recovery_codes(actor)
    ledger.record(actor=actor, action="mfa.recovery_codes_replace", target=actor)
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": "Recovery codes"})
    device.token_set.all().delete()
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify_second_factor(*, user: User, token: str, request: HttpRequest) -> Any:
    """Check a TOTP code or a recovery code (each recovery code works once). Returns the device."""
    token = token.strip().lower()
    devices = _devices(user, token)
    if devices and all(_must_wait(device) for device in devices):
        raise InvalidTokenError("Too many wrong codes. Wait a minute, then try again.")
    for device in devices:
        if not _must_wait(device) and device.verify_token(token):
            return device
    record_sign_in_failure(email=user.email, request=request, reason="wrong second factor")
    raise InvalidTokenError("The code is wrong or has expired.")


# A mistyped code or two must not block the right one that follows; after that each wrong code
# doubles the wait (2, 4, 8 ... seconds, at most 15 minutes). django-otp's own throttle, which
# blocks after the first wrong code, is off in settings; its failure counter is what we read.
FREE_WRONG_CODES = 3
MAX_WAIT_SECONDS = 15 * 60


def _must_wait(device: Any) -> bool:
    failures = device.throttling_failure_count - FREE_WRONG_CODES
    if failures <= 0 or device.throttling_failure_timestamp is None:
        return False
    wait = min(2**failures, MAX_WAIT_SECONDS)
    return bool((timezone.now() - device.throttling_failure_timestamp).total_seconds() < wait)


def _devices(user: User, token: str) -> list[Any]:
    """The devices a token could be for: six digits are an app code, anything else a recovery
    code (so a wrong app code does not count against the recovery codes, nor the reverse)."""
    if token.isdigit() and len(token) == 6:
        return list(TOTPDevice.objects.filter(user=user, confirmed=True))
    return list(StaticDevice.objects.filter(user=user, confirmed=True))


class ApiTokenError(Exception):
    """A token or allowance refused; `field` names the form field the message belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@transaction.atomic
def issue_api_token(
    *,
    user: User,
    actor: Actor,
    name: str,
    scopes: list[str],
    days: int = tokens.DEFAULT_DAYS,
    read_only: bool = True,
) -> tuple[ApiToken, str]:
    """A new integration token for `user`. Returns it with its key, which is never shown again."""
    if not tokens.may_hold_tokens(user):
        raise ApiTokenError(
            "name",
            "Your role needs two-step sign-in, so you can have an API token only if the "
            "security team allows it. Ask them.",
        )
    name = name.strip()
    if not name:
        raise ApiTokenError("name", "Enter a name for the token, such as the integration's name")
    unknown = sorted(set(scopes) - set(tokens.SCOPES))
    if not scopes or unknown:
        raise ApiTokenError("scopes", "Select the parts of the API the integration needs")
    if not 1 <= days <= tokens.max_days_for(user):
        raise ApiTokenError(
            "days", f"Choose an expiry between 1 and {tokens.max_days_for(user)} days"
        )
    key = tokens.new_key()
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        digest=tokens.digest(key),
        prefix=key[:10],
        scopes=sorted(set(scopes)),
        read_only=read_only,
        expires_at=timezone.now() + timedelta(days=days),
    )
    ledger.record(
        actor=actor,
        action="api_token.issue",
        target=user,
        data={"name": token.name, "scopes": token.scopes, "read_only": read_only, "days": days},
    )
    return token, key


@transaction.atomic
def revoke_api_token(*, token: ApiToken, actor: User) -> None:
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    ledger.record(
        actor=actor, action="api_token.revoke", target=token.user, data={"name": token.name}
    )


@transaction.atomic
def allow_api_tokens(*, user: User, actor: Actor, reason: str) -> ApiTokenAllowance:
    """The security team lets someone whose role needs MFA hold integration tokens.

    `actor` is another security officer (or `COMMAND`: an operator's management command).
    """
    officer = user_of(actor)
    if officer is not None and (not SECURITY_TEAM(officer) or officer.pk == user.pk):
        raise ApiTokenError("user", "Another security officer must allow this")
    if not reason.strip():
        raise ApiTokenError("reason", "Enter why this person needs an API token")
    allowance = ApiTokenAllowance.objects.filter(user=user, withdrawn_at__isnull=True).first()
    if allowance is None:
        allowance = ApiTokenAllowance.objects.create(
            user=user, allowed_by=officer, reason=reason.strip()[:300]
        )
        ledger.record(
            actor=actor, action="api_token.allow", target=user, data={"reason": allowance.reason}
        )
    return allowance


@transaction.atomic
def withdraw_api_token_allowance(*, user: User, actor: Actor) -> None:
    """Ends the allowance; the person's tokens stop working at once and are revoked."""
    now = timezone.now()
    ended = ApiTokenAllowance.objects.filter(user=user, withdrawn_at__isnull=True).update(
        withdrawn_at=now
    )
    if ended:
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
        ledger.record(actor=actor, action="api_token.allow_withdraw", target=user)


@dataclass
class DirectoryImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)  # ids of people added or updated

    @property
    def ok(self) -> bool:
        return not self.errors


def import_directory(
    *,
    data: bytes,
    actor: Actor,
    filename: str = "",
    progress: Progress | None = None,
    job: DirectoryImport | None = None,
) -> DirectoryImportReport:
    """Add or update people from a CSV. Any row error and nothing is written (fix and re-upload).

    Worked out set-wise and written in bulk: a fixed number of queries however long the file.
    The file is checked before the transaction opens, so a job's progress is seen as it goes."""
    parsed = parse_directory(data, progress)
    report = DirectoryImportReport(errors=parsed.errors)
    if parsed.ok:
        if job is not None:
            DirectoryImport.objects.filter(pk=job.pk).update(status=DirectoryImport.Status.SAVING)
        _apply(parsed.rows, report, actor=actor, filename=filename, job=job)
    return report


@transaction.atomic
def _apply(
    rows: list[DirectoryRow],
    report: DirectoryImportReport,
    *,
    actor: Actor,
    filename: str,
    job: DirectoryImport | None,
) -> None:
    _upsert_people(rows, report)
    ledger.record(
        actor=actor,
        action="directory.import",
        target=job,
        data={
            "file": filename[:200],
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        },
    )
    changed, job_id = report.changed, job.pk if job else None
    if job is not None:
        DirectoryImport.objects.filter(pk=job.pk).update(
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            status=DirectoryImport.Status.TRAINING if changed else DirectoryImport.Status.DONE,
            finished_at=None if changed else timezone.now(),
        )
    if changed:
        # Joiners and movers get their training at once, not at the next periodic sync.
        enqueue_on_commit(
            "portcullis.training.tasks.sync_people_assignments",
            person_ids=changed,
            directory_import_id=job_id,
        )


@transaction.atomic
def start_directory_import(*, upload: File[bytes], file_name: str, actor: User) -> DirectoryImport:
    """Store the file and import it in the background (`run_directory_import`)."""
    job = DirectoryImport(file_name=file_name[:255], created_by=actor)
    job.upload.save(f"directory-{job.public_id}.csv", upload, save=False)
    job.save()
    ledger.record(
        actor=actor, action="directory_import.start", target=job, data={"file": job.file_name}
    )
    enqueue_on_commit("portcullis.accounts.tasks.run_directory_import_task", import_id=job.pk)
    return job


def run_directory_import(*, job: DirectoryImport) -> DirectoryImport:
    def progress(done: int, total: int) -> None:
        DirectoryImport.objects.filter(pk=job.pk).update(rows_checked=done, rows_total=total)

    DirectoryImport.objects.filter(pk=job.pk).update(status=DirectoryImport.Status.CHECKING)
    with job.upload.open("rb") as handle:
        data = handle.read()
    report = import_directory(
        data=data,
        actor=job.created_by or WORKER,
        filename=job.file_name,
        progress=progress,
        job=job,
    )
    if not report.ok:
        DirectoryImport.objects.filter(pk=job.pk).update(
            status=DirectoryImport.Status.FAILED,
            errors=[list(e) for e in report.errors],
            finished_at=timezone.now(),
        )
    job.refresh_from_db()
    return job


def finish_directory_import(*, job_id: int) -> None:
    """The training update that followed an import is done: so is the import."""
    DirectoryImport.objects.filter(pk=job_id, status=DirectoryImport.Status.TRAINING).update(
        status=DirectoryImport.Status.DONE, finished_at=timezone.now()
    )


def _upsert_people(rows: list[DirectoryRow], report: DirectoryImportReport) -> None:
    addresses = [a for row in rows for a in row.emails]
    owner: dict[str, int] = {}
    for start in range(0, len(addresses), LOOKUP_CHUNK):
        owner.update(
            PersonEmail.objects.filter(
                address__in=addresses[start : start + LOOKUP_CHUNK]
            ).values_list("address", "person_id")
        )
    existing_ids = sorted(set(owner.values()))
    people = _in_chunks(Person.objects.all(), existing_ids)
    has_primary = set(
        _in_chunks(
            PersonEmail.objects.filter(is_primary=True), existing_ids, "person_id"
        ).values_list("person_id", flat=True)
    )
    posts = set(
        _in_chunks(Membership.objects.active(), existing_ids, "person_id").values_list(
            "person_id", "organisation_id", "office_id", "role"
        )
    )
    found = {p.pk: p for p in people}
    new = [
        Person(full_name=row.name, job_title=row.job_title, party=row.party)
        for row in rows
        if not _owner_of(row, owner)
    ]
    Person.objects.bulk_create(new, batch_size=1000)
    fresh = iter(new)
    edited: list[Person] = []
    emails: list[PersonEmail] = []
    memberships: list[Membership] = []
    for row in rows:
        owned = _owner_of(row, owner)
        person = found[owned] if owned else next(fresh)
        changed = owned is None
        for name, value in (("full_name", row.name), ("job_title", row.job_title)):
            if value and getattr(person, name) != value:
                setattr(person, name, value)
                changed = True
        if row.party and person.party_id != row.party.pk:
            person.party = row.party
            changed = True
        if changed and owned:
            edited.append(person)
        primary = person.pk in has_primary
        for index, address in enumerate(row.emails):
            if address not in owner:
                emails.append(
                    PersonEmail(
                        person=person, address=address, is_primary=not primary and index == 0
                    )
                )
                owner[address] = person.pk
                changed = True
        has_primary.add(person.pk)
        post = (person.pk, row.organisation.pk, row.office.pk if row.office else None, row.role)
        if post not in posts:
            posts.add(post)
            memberships.append(
                Membership(
                    person=person, organisation=row.organisation, office=row.office, role=row.role
                )
            )
            changed = True
        outcome = "created" if owned is None else "updated" if changed else "unchanged"
        setattr(report, outcome, getattr(report, outcome) + 1)
        if changed and person.pk not in report.changed:
            report.changed.append(person.pk)
    now = timezone.now()
    for person in edited:
        person.updated_at = now  # bulk_update() does not touch auto_now fields
    Person.objects.bulk_update(
        edited, ["full_name", "job_title", "party", "updated_at"], batch_size=1000
    )
    PersonEmail.objects.bulk_create(emails, batch_size=1000)
    Membership.objects.bulk_create(memberships, batch_size=1000)


def _owner_of(row: DirectoryRow, owner: dict[str, int]) -> int | None:
    return next((owner[a] for a in row.emails if a in owner), None)


def _in_chunks(qs: Any, ids: list[int], field_name: str = "pk") -> Any:
    """`qs` filtered to `ids`, as one query of OR-ed chunks (no single IN list grows unbounded)."""
    if not ids:
        return qs.none()
    condition = Q()
    for start in range(0, len(ids), LOOKUP_CHUNK):
        condition |= Q(**{f"{field_name}__in": ids[start : start + LOOKUP_CHUNK]})
    return qs.filter(condition)


# --- people: starters, leavers, addresses and roles ----------------------------------------------


def _sync_training(person_ids: list[int]) -> None:
    # Starters, leavers and new roles get their training at once, not at the next periodic sync.
    enqueue_on_commit(
        "portcullis.training.tasks.sync_people_assignments",
        person_ids=person_ids,
        directory_import_id=None,
    )


class PeopleError(Exception):
    """A change to the directory that cannot be made; `field` names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _address_free(address: str, person: Person | None = None) -> str:
    address = normalise_email(address)
    taken = PersonEmail.objects.filter(address=address).exclude(person=person).exists()
    if taken or User.objects.filter(email=address).exclude(person=person).exists():
        raise PeopleError("email", "Someone in the directory already has this e-mail address")
    return address


@transaction.atomic
def add_starter(
    *,
    office: Office,
    full_name: str,
    email: str,
    role: str,
    started_on: date,
    actor: User,
    job_title: str = "",
) -> Person:
    """A new person in an office, with their address and role; their training follows."""
    if role not in STARTER_ROLES:
        raise PeopleError("role", "Choose staffer or office manager")
    address = _address_free(email)
    person = Person.objects.create(full_name=full_name.strip(), job_title=job_title.strip())
    PersonEmail.objects.create(person=person, address=address, is_primary=True)
    membership = Membership.objects.create(
        person=person,
        organisation=office.organisation,
        office=office,
        role=role,
        started_on=started_on,
    )
    ledger.record(
        actor=actor,
        action="person.start",
        target=person,
        data={"office": office.name, "role": membership.get_role_display()},
    )
    _sync_training([person.pk])
    return person


@transaction.atomic
def record_leaver(*, person: Person, office: Office, left_on: date, actor: User) -> int:
    """End the person's roles in the office on their last day; other offices keep theirs."""
    ended = person.memberships.active().filter(office=office)
    if not ended.exists():
        raise PeopleError("left_on", f"{person} has no role in {office} to end")
    if ended.filter(started_on__gt=left_on).exists():
        raise PeopleError("left_on", "The last day must be on or after the day they started")
    roles = [m.get_role_display() for m in ended]
    count = ended.update(ended_on=left_on)
    ledger.record(
        actor=actor,
        action="person.leave",
        target=person,
        data={"office": office.name, "roles": ", ".join(roles), "left_on": left_on.isoformat()},
    )
    _sync_training([person.pk])
    return count


@transaction.atomic
def change_email(*, person: Person, email: str, actor: User) -> PersonEmail:
    """Correct a person's main address (and their sign-in, if they sign in)."""
    address = _address_free(email, person)
    old = person.primary_email
    if address == old:
        raise PeopleError("email", "Enter an address different from the current one")
    person.emails.filter(address=old).delete()
    primary, _ = PersonEmail.objects.update_or_create(
        address=address, defaults={"person": person, "is_primary": True}
    )
    User.objects.filter(person=person).update(email=address)
    ledger.record(
        actor=actor, action="person.email_change", target=person, data={"from": old, "to": address}
    )
    return primary


@transaction.atomic
def grant_membership(
    *,
    person: Person,
    organisation: Organisation,
    role: str,
    started_on: date,
    actor: User,
    office: Office | None = None,
) -> Membership:
    """Give a person a role (the security team's page: any role, including its own)."""
    membership = Membership(
        person=person, organisation=organisation, office=office, role=role, started_on=started_on
    )
    try:
        membership.clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise PeopleError(field, messages[0]) from exc
    if person.memberships.active().filter(organisation=organisation, office=office, role=role):
        raise PeopleError("role", f"{person} already has this role")
    membership.save()
    ledger.record(
        actor=actor,
        action="membership.grant",
        target=person,
        data={"role": membership.get_role_display(), "in": str(office or organisation)},
    )
    _sync_training([person.pk])
    return membership


@transaction.atomic
def end_membership(*, membership: Membership, ended_on: date, actor: User) -> Membership:
    if membership.ended_on is not None:
        raise PeopleError("ended_on", "This role has already ended")
    if membership.started_on and ended_on < membership.started_on:
        raise PeopleError("ended_on", "The end date must be on or after the start date")
    membership.ended_on = ended_on
    membership.save(update_fields=["ended_on"])
    ledger.record(
        actor=actor,
        action="membership.end",
        target=membership.person,
        data={
            "role": membership.get_role_display(),
            "in": str(membership.office or membership.organisation),
            "ended_on": ended_on.isoformat(),
        },
    )
    person_id = membership.person_id
    _sync_training([person_id])
    return membership


class SavedFilterError(ValueError):
    pass


@transaction.atomic
def save_filter(*, actor: User, queue: str, name: str, query: str) -> SavedFilter:
    """Keep a queue's filters under a name; saving under an existing name replaces it."""
    name = name.strip()
    if not name:
        raise SavedFilterError("Enter a name for this filter")
    saved, created = SavedFilter.objects.update_or_create(
        user=actor, queue=queue, name=name[:80], defaults={"query": query}
    )
    ledger.record(
        actor=actor,
        action="saved_filter.save" if created else "saved_filter.replace",
        target=saved,
        data={"queue": queue, "name": saved.name},
    )
    return saved


@transaction.atomic
def delete_filter(*, actor: User, saved: SavedFilter) -> None:
    ledger.record(
        actor=actor,
        action="saved_filter.delete",
        target=saved,
        data={"queue": saved.queue, "name": saved.name},
    )
    saved.delete()
