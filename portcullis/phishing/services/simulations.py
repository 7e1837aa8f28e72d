"""Running mystery-shopper campaigns: the lure library, authorisation, the do-not-test list,
choosing targets, scheduling across a window's business hours, and sending over SMTP."""

from __future__ import annotations

import logging
import os
import random
import secrets
import smtplib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from portcullis import ledger
from portcullis.accounts.models import Membership, Office, Organisation, Person
from portcullis.ledger.actors import WORKER, Actor
from portcullis.lib import sealed

from .. import lures
from ..models import (
    Authorisation,
    DoNotTest,
    EmailTemplate,
    Event,
    LandingPage,
    LureAttachment,
    SendingProfile,
    SimulationCampaign,
    Target,
)
from ..models.simulations import new_token
from ..rendering import Files, attachments_of, build_message
from . import events

if TYPE_CHECKING:
    from portcullis.accounts.models import User

log = logging.getLogger(__name__)


class SimulationError(Exception):
    """A request that breaks a rule; the message is fit to show the person. `field` names the
    form field it is about, if one is."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# --- the library ------------------------------------------------------------------------------


@transaction.atomic
def install_lure_library(*, actor: Actor) -> int:
    """Add the standard lures and landing pages; ones already there are left as they are."""
    pages = {}
    for spec in lures.LANDING_PAGES:
        values = {k: v for k, v in spec.items() if k != "slug"}
        pages[spec["slug"]], _ = LandingPage.objects.get_or_create(
            slug=spec["slug"], defaults=values
        )
    added = 0
    for spec in lures.LURES:
        _, created = EmailTemplate.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "from_name": spec["from_name"],
                "from_address": spec["from_address"],
                "subject": spec["subject"],
                "html_body": spec["html"],
                "text_body": spec["text"],
                "landing_page": pages[spec["landing"]],
                "tell_tale_signs": spec["signs"],
                "from_library": True,
            },
        )
        added += created
    if added:
        ledger.record(actor=actor, action="simulation_template.install", data={"added": added})
    return added


@transaction.atomic
def save_lure(*, form: Any, actor: User) -> EmailTemplate:
    """Save a LureForm (new or edited); its slug is made once, from its name. The files the form
    checked (`form.checked`) are added, those ticked to remove are deleted; the ledger row names
    what the lure now carries."""
    lure: EmailTemplate = form.save(commit=False)
    lure.tell_tale_signs = form.cleaned_data["signs"]
    created = lure.pk is None
    if created:
        lure.slug = f"{slugify(lure.name)[:60] or 'lure'}-{secrets.token_hex(3)}"
    lure.save()
    removed = [
        a for a in form.cleaned_data.get("remove_attachments") or [] if a.template_id == lure.pk
    ]
    for attachment in removed:
        attachment.file.delete(save=False)
        attachment.delete()
    for checked in getattr(form, "checked", []):
        attachment = LureAttachment(
            template=lure,
            name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
        )
        attachment.file.save(checked.stored_name, checked.upload, save=False)
        attachment.save()
    data: dict[str, Any] = {"subject": lure.subject, "from": lure.from_address}
    names = list(lure.attachments.values_list("name", flat=True))
    if names or removed:
        data["attachments"] = names
    if removed:
        data["attachments_removed"] = [a.name for a in removed]
    ledger.record(
        actor=actor,
        action="simulation_template.create" if created else "simulation_template.edit",
        target=lure,
        data=data,
    )
    return lure


@transaction.atomic
def save_landing_page(*, form: Any, actor: User) -> LandingPage:
    page: LandingPage = form.save(commit=False)
    page.fields = form.cleaned_data["field_labels"]
    created = page.pk is None
    if created:
        page.slug = f"{slugify(page.name)[:60] or 'page'}-{secrets.token_hex(3)}"
    page.save()
    ledger.record(
        actor=actor,
        action="landing_page.create" if created else "landing_page.edit",
        target=page,
        data={"brand": page.brand, "fields": page.fields},
    )
    return page


# --- the do-not-test list -----------------------------------------------------------------------


@transaction.atomic
def add_do_not_test(*, person: Person, reason: str, until: date | None, actor: User) -> DoNotTest:
    if not reason.strip():
        raise SimulationError("Give a reason (it is shown only to the security team).")
    entry, _ = DoNotTest.objects.update_or_create(
        person=person, defaults={"reason": reason[:300], "until": until, "added_by": actor}
    )
    ledger.record(actor=actor, action="do_not_test.add", target=person, data={"until": until})
    return entry


@transaction.atomic
def remove_do_not_test(*, entry: DoNotTest, actor: User) -> None:
    ledger.record(actor=actor, action="do_not_test.remove", target=entry.person)
    entry.delete()


# --- campaigns ----------------------------------------------------------------------------------


@transaction.atomic
def create_campaign(
    *,
    actor: User,
    name: str,
    template: EmailTemplate,
    profile: SendingProfile,
    offices: list[Office],
    roles: list[str],
    window_start: datetime,
    window_end: datetime,
    day_starts: time = time(9, 30),
    day_ends: time = time(16, 30),
    remedial_course: Any = None,
) -> SimulationCampaign:
    if window_end <= window_start:
        raise SimulationError("The sending window must end after it starts.")
    if day_ends <= day_starts:
        raise SimulationError("The working day must end after it starts.")
    if not offices or not roles:
        raise SimulationError("Choose at least one office and one role.")
    campaign = SimulationCampaign.objects.create(
        name=name,
        template=template,
        profile=profile,
        roles=sorted(set(roles)),
        window_start=window_start,
        window_end=window_end,
        day_starts=day_starts,
        day_ends=day_ends,
        remedial_course=remedial_course,
        created_by=actor,
    )
    campaign.offices.set(offices)
    ledger.record(actor=actor, action="simulation.create", target=campaign)
    return campaign


def _window_dates(campaign: SimulationCampaign) -> tuple[date, date]:
    tz = timezone.get_current_timezone()
    return (
        timezone.localtime(campaign.window_start, tz).date(),
        timezone.localtime(campaign.window_end, tz).date(),
    )


@transaction.atomic
def record_authorisation(
    *,
    campaign: SimulationCampaign,
    actor: User,
    approver_name: str,
    approver_position: str,
    approved_on: date,
    scope: str,
    valid_from: date,
    valid_until: date,
    reference: str = "",
) -> Authorisation:
    if campaign.status != SimulationCampaign.Status.DRAFT:
        raise SimulationError("The authorisation of a scheduled campaign cannot change.")
    if valid_until < valid_from:
        raise SimulationError("The authorisation must end after it starts.", "valid_until")
    if approved_on > valid_from:
        raise SimulationError(
            "The approval must be given before the testing it approves starts.", "approved_on"
        )
    first, last = _window_dates(campaign)
    if valid_from > first:
        raise SimulationError(
            f"The authorisation must start by {first:%d %b %Y}, when the sending window opens.",
            "valid_from",
        )
    if valid_until < last:
        raise SimulationError(
            f"The authorisation must last until {last:%d %b %Y}, when the sending window closes.",
            "valid_until",
        )
    auth, _ = Authorisation.objects.update_or_create(
        campaign=campaign,
        defaults={
            "approver_name": approver_name,
            "approver_position": approver_position,
            "approved_on": approved_on,
            "scope": scope,
            "valid_from": valid_from,
            "valid_until": valid_until,
            "reference": reference,
            "recorded_by": actor,
        },
    )
    ledger.record(
        actor=actor,
        action="simulation.authorise",
        target=campaign,
        data={
            "approver": approver_name,
            "position": approver_position,
            "approved_on": approved_on,
            "valid_from": valid_from,
            "valid_until": valid_until,
            "scope": scope[:500],
        },
    )
    return auth


@dataclass(frozen=True)
class Candidate:
    person_id: int
    email: str
    office: Office
    role: str


def choose_targets(campaign: SimulationCampaign, today: date) -> tuple[list[Candidate], int]:
    """People in the campaign's offices with its roles, once each, minus the do-not-test list.
    Returns the candidates and how many were left out by the list."""
    excluded = set(DoNotTest.objects.active_on(today).values_list("person_id", flat=True))
    trimmed = set(campaign.excluded_people.values_list("pk", flat=True))
    rows = (
        Membership.objects.active()
        .filter(office__in=campaign.offices.all(), role__in=campaign.roles)
        .select_related("office__organisation", "person")
        .prefetch_related("person__emails")
        .order_by("person_id", "pk")
    )
    chosen: dict[int, Candidate] = {}
    skipped: set[int] = set()
    for m in rows:
        if m.person_id in excluded:
            skipped.add(m.person_id)
            continue
        if m.person_id in trimmed:
            continue
        email = m.person.primary_email
        if email and m.person_id not in chosen and m.office is not None:
            chosen[m.person_id] = Candidate(m.person_id, email, m.office, m.role)
    return list(chosen.values()), len(skipped)


def business_intervals(campaign: SimulationCampaign) -> list[tuple[datetime, datetime]]:
    """The weekday working hours inside the window, in the legislature's time zone."""
    tz = timezone.get_current_timezone()
    start = timezone.localtime(campaign.window_start, tz)
    end = timezone.localtime(campaign.window_end, tz)
    intervals = []
    day = start.date()
    while day <= end.date():
        if day.weekday() < 5:
            opens = timezone.make_aware(datetime.combine(day, campaign.day_starts), tz)
            closes = timezone.make_aware(datetime.combine(day, campaign.day_ends), tz)
            lo, hi = max(opens, start), min(closes, end)
            if lo < hi:
                intervals.append((lo, hi))
        day += timedelta(days=1)
    return intervals


def random_moments(
    intervals: list[tuple[datetime, datetime]], count: int, rng: random.Random
) -> list[datetime]:
    """`count` moments, each drawn at random over the working hours of the intervals (so no
    office is hit at once, and nobody can tell the test by the time it arrives)."""
    total = sum((hi - lo).total_seconds() for lo, hi in intervals)
    moments = []
    for _ in range(count):
        offset = rng.uniform(0, total)
        for lo, hi in intervals:
            length = (hi - lo).total_seconds()
            if offset <= length:
                moments.append(lo + timedelta(seconds=offset))
                break
            offset -= length
        else:  # float rounding at the very end of the last interval
            moments.append(intervals[-1][1])
    return moments


@transaction.atomic
def schedule_campaign(*, campaign: SimulationCampaign, actor: User, now: datetime) -> list[Target]:
    """Choose the targets and give each a sending time. Needs a recorded authorisation that
    covers the whole window."""
    if campaign.status != SimulationCampaign.Status.DRAFT:
        raise SimulationError("Only a draft campaign can be scheduled.")
    auth = Authorisation.objects.filter(campaign=campaign).first()
    if auth is None:
        raise SimulationError("Record who authorised this test before scheduling it.")
    tz = timezone.get_current_timezone()
    first, last = _window_dates(campaign)
    if not (auth.valid_from <= first and last <= auth.valid_until):
        raise SimulationError(
            f"The authorisation covers {auth.valid_from:%d %b %Y} to {auth.valid_until:%d %b %Y};"
            " the sending window falls outside it."
        )
    if campaign.window_end <= now:
        raise SimulationError("The sending window has already ended.")
    intervals = business_intervals(campaign)
    if not intervals:
        raise SimulationError("The sending window contains no working hours.")
    candidates, skipped = choose_targets(campaign, timezone.localtime(now, tz).date())
    if not candidates:
        raise SimulationError("No one matches these offices and roles.")
    moments = random_moments(intervals, len(candidates), random.SystemRandom())
    targets = Target.objects.bulk_create(
        Target(
            campaign=campaign,
            person_id=c.person_id,
            email=c.email,
            office=c.office,
            house=c.office.organisation
            if c.office.organisation.kind == Organisation.Kind.HOUSE
            else None,
            role=c.role,
            scheduled_for=max(moment, now),
        )
        for c, moment in zip(candidates, moments, strict=True)
    )
    campaign.status = SimulationCampaign.Status.SCHEDULED
    campaign.scheduled_at = now
    campaign.save(update_fields=["status", "scheduled_at"])
    ledger.record(
        actor=actor,
        action="simulation.schedule",
        target=campaign,
        data={"targets": len(targets), "do_not_test_skipped": skipped},
    )
    return targets


@transaction.atomic
def cancel_campaign(*, campaign: SimulationCampaign, actor: User) -> SimulationCampaign:
    if campaign.status == SimulationCampaign.Status.CANCELLED:
        raise SimulationError("The campaign is already cancelled.")
    campaign.status = SimulationCampaign.Status.CANCELLED
    campaign.save(update_fields=["status"])
    unsent = campaign.targets.filter(sent_at__isnull=True).count()
    ledger.record(actor=actor, action="simulation.cancel", target=campaign, data={"unsent": unsent})
    return campaign


@transaction.atomic
def trim_targets(
    *, campaign: SimulationCampaign, actor: User, remove: list[Person], restore: list[Person]
) -> SimulationCampaign:
    """Take people off a draft campaign's target list, or put them back, before scheduling."""
    if campaign.status != SimulationCampaign.Status.DRAFT:
        raise SimulationError("The target list of a scheduled campaign cannot change.")
    if remove:
        campaign.excluded_people.add(*remove)
    if restore:
        campaign.excluded_people.remove(*restore)
    if remove or restore:
        ledger.record(
            actor=actor,
            action="simulation.trim",
            target=campaign,
            data={"removed": len(remove), "restored": len(restore)},
        )
    return campaign


@transaction.atomic
def pause_campaign(*, campaign: SimulationCampaign, actor: User) -> SimulationCampaign:
    """Stop sending; nothing unsent goes until the campaign is resumed."""
    if campaign.status != SimulationCampaign.Status.SCHEDULED:
        raise SimulationError("Only a scheduled campaign can be paused.")
    campaign.status = SimulationCampaign.Status.PAUSED
    campaign.save(update_fields=["status"])
    unsent = campaign.targets.filter(sent_at__isnull=True).count()
    ledger.record(actor=actor, action="simulation.pause", target=campaign, data={"unsent": unsent})
    return campaign


@transaction.atomic
def resume_campaign(
    *, campaign: SimulationCampaign, actor: User, now: datetime
) -> SimulationCampaign:
    """Start sending again. The unsent get new random times in the working hours left, so the
    people whose time passed during the pause do not all receive the lure at once."""
    if campaign.status != SimulationCampaign.Status.PAUSED:
        raise SimulationError("Only a paused campaign can be resumed.")
    if campaign.window_end <= now:
        raise SimulationError("The sending window has ended: the campaign cannot resume.")
    left = [(max(lo, now), hi) for lo, hi in business_intervals(campaign) if hi > now]
    if not left:
        raise SimulationError("No working hours are left in the sending window.")
    unsent = list(campaign.targets.filter(sent_at__isnull=True, bounced_at__isnull=True))
    for target, moment in zip(
        unsent, random_moments(left, len(unsent), random.SystemRandom()), strict=True
    ):
        target.scheduled_for = moment
    Target.objects.bulk_update(unsent, ["scheduled_for"], batch_size=1000)
    campaign.status = SimulationCampaign.Status.SCHEDULED
    campaign.save(update_fields=["status"])
    ledger.record(
        actor=actor, action="simulation.resume", target=campaign, data={"rescheduled": len(unsent)}
    )
    return campaign


@transaction.atomic
def finish_ended_campaigns(*, now: datetime) -> int:
    """Campaigns whose sending window has closed are finished (scheduled or paused alike)."""
    ended = list(
        SimulationCampaign.objects.select_for_update().filter(
            status__in=[SimulationCampaign.Status.SCHEDULED, SimulationCampaign.Status.PAUSED],
            window_end__lte=now,
        )
    )
    if not ended:
        return 0
    entries = []
    for campaign in ended:
        unsent = campaign.targets.filter(sent_at__isnull=True).count()
        entries.append(ledger.Entry("simulation.finish", campaign, {"unsent": unsent}))
    SimulationCampaign.objects.filter(pk__in=[c.pk for c in ended]).update(
        status=SimulationCampaign.Status.FINISHED
    )
    ledger.record_many(actor=WORKER, entries=entries)
    return len(ended)


def send_test(*, campaign: SimulationCampaign, actor: User) -> str:
    """The lure as a target would get it, to the officer themself over the campaign's sending
    profile; its links lead nowhere and nothing is counted. Returns the address it went to."""
    _send_test_copy(campaign, actor)
    with transaction.atomic():
        ledger.record(
            actor=actor, action="simulation.test_send", target=campaign, data={"to": actor.email}
        )
    return actor.email


def send_lure_test(*, lure: EmailTemplate, profile: SendingProfile, actor: User) -> str:
    """A lure to the officer themself over a sending profile, before any campaign uses it (the
    same test copy as `send_test`). Returns the address it went to."""
    _send_test_copy(SimulationCampaign(name=lure.name, template=lure, profile=profile), actor)
    with transaction.atomic():
        ledger.record(
            actor=actor,
            action="simulation_template.test_send",
            target=lure,
            data={"to": actor.email, "profile": profile.name},
        )
    return actor.email


def _send_test_copy(campaign: SimulationCampaign, actor: User) -> None:
    person = actor.person
    if person is None:
        raise SimulationError("Your account has no directory entry to address a test to.")
    sample = Target(
        campaign=campaign,
        person=person,
        email=actor.email,
        office=None,
        role="",
        token=f"test-{new_token()[:20]}",
    )
    profile = campaign.profile
    try:
        connection = connection_for(profile)
        message = build_message(
            target=sample, envelope_from=profile.envelope_from, connection=connection
        )
        message.subject = f"[Test] {message.subject}"
        message.send()
    except (OSError, smtplib.SMTPException, sealed.SealError) as exc:
        raise SimulationError(f"The test could not be sent over {profile.name}: {exc}") from exc


# --- sending ------------------------------------------------------------------------------------


@dataclass
class SendRun:
    sent: int = 0
    bounced: int = 0
    deferred: int = 0


def connection_for(profile: SendingProfile) -> Any:
    return get_connection(
        "django.core.mail.backends.smtp.EmailBackend",
        host=profile.host,
        port=profile.port,
        username=profile.username or None,
        password=smtp_password(profile),
        use_tls=profile.use_tls,
        use_ssl=profile.use_ssl,
        timeout=30,
        fail_silently=False,
    )


def send_due_emails(*, now: datetime, limit: int = 200) -> SendRun:
    """Send every target whose time has come, inside its campaign's authorisation and window."""
    run = SendRun()
    due = (
        Target.objects.due(now)
        .filter(campaign__window_end__gte=now)
        .select_related("campaign__template", "campaign__profile", "person", "office")
        .order_by("scheduled_for")[:limit]
    )
    today = timezone.localtime(now).date()
    by_profile: dict[int, list[Target]] = {}
    for target in due:
        if target.campaign.authorised_on(today):
            by_profile.setdefault(target.campaign.profile_id, []).append(target)
    for targets in by_profile.values():
        _send_batch(targets, now, run)
    return run


def _send_batch(targets: list[Target], now: datetime, run: SendRun) -> None:
    profile = targets[0].campaign.profile
    try:
        connection = connection_for(profile)
        connection.open()
    except (OSError, smtplib.SMTPException, sealed.SealError) as exc:
        log.warning("simulation: cannot reach %s: %s", profile.host, exc)
        run.deferred += len(targets)
        return
    files: dict[int, Files] = {}
    try:
        for target in targets:
            template = target.campaign.template
            if template.pk not in files:
                files[template.pk] = attachments_of(template)
            _send_one(target, profile, connection, now, run, files[template.pk])
    finally:
        connection.close()


def _send_one(
    target: Target,
    profile: SendingProfile,
    connection: Any,
    now: datetime,
    run: SendRun,
    files: Files,
) -> None:
    # Claim the row first, so that two workers never send the same person the same lure.
    if not Target.objects.filter(pk=target.pk, sent_at__isnull=True).update(sent_at=now):
        return
    target.sent_at = now
    try:
        build_message(
            target=target, envelope_from=profile.envelope_from, connection=connection, files=files
        ).send()
    except smtplib.SMTPRecipientsRefused as exc:
        Target.objects.filter(pk=target.pk).update(sent_at=None)
        target.sent_at = None
        detail = next(iter(exc.recipients.values()), (0, b""))
        note = f"refused: {detail[0]} {detail[1]!r}"[:300]
        events.record_event(target=target, kind=Event.Kind.BOUNCED, now=now, note=note)
        run.bounced += 1
        return
    except (OSError, smtplib.SMTPException) as exc:
        Target.objects.filter(pk=target.pk).update(sent_at=None)
        log.warning("simulation: sending to target %s deferred: %s", target.public_id, exc)
        run.deferred += 1
        return
    events.record_event(target=target, kind=Event.Kind.SENT, now=now, note=f"via {profile.name}")
    run.sent += 1


@transaction.atomic
def save_sending_profile(*, form: Any, actor: User) -> SendingProfile:
    """Save a SendingProfileForm: a typed password is sealed (`lib.sealed`); it is never in the
    ledger, only whether it changed."""
    profile: SendingProfile = form.save(commit=False)
    password = form.cleaned_data.get("password") or ""
    change = "kept"
    if password:
        profile.password_sealed = sealed.seal(password)
        change = "changed"
    elif form.cleaned_data.get("forget_password"):
        profile.password_sealed = b""
        change = "removed"
    profile.save()
    ledger.record(
        actor=actor,
        action="sending_profile.save",
        target=profile,
        data={"host": profile.host, "port": profile.port, "password": change},
    )
    return profile


def smtp_password(profile: SendingProfile) -> str | None:
    if profile.password_sealed:
        return sealed.unseal(bytes(profile.password_sealed))
    if profile.password_env:
        return os.environ.get(profile.password_env, "")
    return None


def send_profile_test(*, profile: SendingProfile, actor: User) -> str:
    """A plain test message to the officer over the profile: proves host, TLS and password."""
    message = EmailMessage(
        subject=f"[Test] Sending profile {profile.name}",
        body="This test message was sent by Portcullis to check a sending profile. "
        "Nothing else was sent.",
        from_email=profile.envelope_from,
        to=[actor.email],
        connection=connection_for(profile),
    )
    try:
        message.send()
    except (OSError, smtplib.SMTPException, sealed.SealError) as exc:
        raise SimulationError(f"The test could not be sent over {profile.name}: {exc}") from exc
    with transaction.atomic():
        ledger.record(
            actor=actor,
            action="sending_profile.test_send",
            target=profile,
            data={"to": actor.email},
        )
    return actor.email
