"""Use cases that change accounts. Each takes keyword arguments, needs an actor, and writes a
ledger entry in the same transaction."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portcullis import ledger

from . import tokens
from .directory import DirectoryRow, parse_directory
from .models import ApiToken, ApiTokenAllowance, Membership, Person, PersonEmail, User

RECOVERY_CODE_COUNT = 10


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
    ledger.record(actor=None, action="session.sign_in_failed", data=data)


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
    actor: User | None,
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
def allow_api_tokens(*, user: User, actor: User | None, reason: str) -> ApiTokenAllowance:
    """The security team lets someone whose role needs MFA hold integration tokens.

    `actor` is another security officer (None only for an operator's management command).
    """
    if actor is not None and (not actor.scope.is_security or actor.pk == user.pk):
        raise ApiTokenError("user", "Another security officer must allow this")
    if not reason.strip():
        raise ApiTokenError("reason", "Enter why this person needs an API token")
    allowance = ApiTokenAllowance.objects.filter(user=user, withdrawn_at__isnull=True).first()
    if allowance is None:
        allowance = ApiTokenAllowance.objects.create(
            user=user, allowed_by=actor, reason=reason.strip()[:300]
        )
        ledger.record(
            actor=actor, action="api_token.allow", target=user, data={"reason": allowance.reason}
        )
    return allowance


@transaction.atomic
def withdraw_api_token_allowance(*, user: User, actor: User | None) -> None:
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

    @property
    def ok(self) -> bool:
        return not self.errors


@transaction.atomic
def import_directory(
    *, data: bytes, actor: User | None, filename: str = ""
) -> DirectoryImportReport:
    """Add or update people from a CSV. Any row error and nothing is written (fix and re-upload)."""
    parsed = parse_directory(data)
    report = DirectoryImportReport(errors=parsed.errors)
    if not parsed.ok:
        return report
    changed: list[int] = []
    for row in parsed.rows:
        person, outcome = _upsert_person(row)
        setattr(report, outcome, getattr(report, outcome) + 1)
        if outcome != "unchanged":
            changed.append(person.pk)
    ledger.record(
        actor=actor,
        action="directory.import",
        data={
            "file": filename[:200],
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        },
    )
    if changed:
        transaction.on_commit(lambda: _sync_training(changed))
    return report


def _sync_training(person_ids: list[int]) -> None:
    # Joiners and movers get their training assignments at once, not at the next periodic sync.
    from portcullis.training.tasks import sync_people_assignments

    sync_people_assignments.enqueue(person_ids=person_ids)


def _upsert_person(row: DirectoryRow) -> tuple[Person, str]:
    existing = PersonEmail.objects.filter(address__in=row.emails).select_related("person").first()
    person = existing.person if existing else Person.objects.create(full_name=row.name)
    changed = existing is None
    for field_name, value in (
        ("full_name", row.name),
        ("job_title", row.job_title),
        ("party", row.party),
    ):
        if value and getattr(person, field_name) != value:
            setattr(person, field_name, value)
            changed = True
    person.save()
    has_primary = person.emails.filter(is_primary=True).exists()
    for index, address in enumerate(row.emails):
        _, made = PersonEmail.objects.get_or_create(
            address=address,
            defaults={"person": person, "is_primary": not has_primary and index == 0},
        )
        changed = changed or made
    _, made = Membership.objects.get_or_create(
        person=person,
        organisation=row.organisation,
        office=row.office,
        role=row.role,
        ended_on__isnull=True,
    )
    changed = changed or made
    if existing is None:
        return person, "created"
    return person, "updated" if changed else "unchanged"
