"""Filing, triaging and escalating reported e-mails."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone

from portcullis import ledger
from portcullis.accounts.models import Membership, Person, normalise_email
from portcullis.intel import services as intel
from portcullis.intel.extract import (
    Found,
    Kind,
    extract,
    identify,
    is_generic_domain,
    name_candidates,
)
from portcullis.intel.origins import OriginRef
from portcullis.intel.services import AlertInput, IndicatorInput, create_alert
from portcullis.intel.tlp import Tlp
from portcullis.ledger.actors import Actor, user_of
from portcullis.lib.observables import url_host
from portcullis.lib.safetext import clean_data, clean_text

from ..analysis import Analysis, analyse, looks_like_email
from ..analysis.domains import is_protected
from ..context import analysis_context
from ..fingerprint import fingerprint
from ..models import MessageGroup, ReportedEmail, Target
from ..models.reports import MAX_RAW_BYTES, NOT_AN_EMAIL, Verdict
from ..notify import notify_security_of_alert_match
from . import events

if TYPE_CHECKING:
    from portcullis.accounts.models import User


class ReportError(Exception):
    """A report that cannot be filed; the message is fit to show the person."""


def person_for_address(address: str) -> Person | None:
    if not address:
        return None
    return Person.objects.with_email(address).first()


def office_of(person: Person | None) -> int | None:
    if person is None:
        return None
    office_ids = (
        Membership.objects.active()
        .filter(person=person, office__isnull=False)
        .order_by("pk")
        .values_list("office_id", flat=True)
    )
    return office_ids.first()


@transaction.atomic
def file_report(
    *,
    raw: bytes,
    actor: Actor,
    source: str,
    reporter: Person | None = None,
    reporter_address: str = "",
    mailbox_message_id: str = "",
    now: datetime | None = None,
) -> ReportedEmail:
    """Analyse a suspect message and file it. A simulation token credits the test's target."""
    if not looks_like_email(raw):  # a note, a document, noise or nothing at all
        raise ReportError(NOT_AN_EMAIL)
    if len(raw) > MAX_RAW_BYTES:
        raise ReportError(f"The message is larger than {MAX_RAW_BYTES // (1024 * 1024)} MB.")
    user = user_of(actor)
    if reporter is None and user is not None:
        reporter = user.person
    reporter_address = normalise_email(reporter_address or (user.email if user else ""))
    analysis = analyse(raw, analysis_context())
    report = ReportedEmail.objects.create(
        source=source,
        reporter=reporter,
        reporter_address=reporter_address,
        submitted_by=user,
        office_id=office_of(reporter),
        mailbox_message_id=mailbox_message_id[:300],
        raw=raw,
        raw_size=len(raw),
        sha256=hashlib.sha256(raw).hexdigest(),
        fingerprint=fingerprint(analysis),
        subject=analysis.observables.subject[:300],
        sender=analysis.observables.sender[:320],
        analysis=clean_data(analysis.to_dict()),  # body text may hold NUL; jsonb cannot
        verdict=analysis.verdict.value,
        score=analysis.score,
    )
    _adopt_group_verdict(report)
    refresh_groups([report.fingerprint])
    ledger.record(
        actor=actor,
        action="phishing_report.file",
        target=report,
        data={"source": source, "verdict": report.verdict, "score": round(report.score, 2)},
    )
    token = analysis.observables.simulation_token
    if token:
        # Our own test mail names nobody: it stays out of intel and its campaigns.
        _credit_simulation(report, token, now or timezone.now())
    else:
        _ingest(report, analysis, actor)
    return report


# At most this many links of one message go through the door: a newsletter has hundreds.
MAX_LINKS = 25


def origin_of(report: ReportedEmail) -> OriginRef:
    return OriginRef(
        app="phishing",
        kind="email",
        key=str(report.pk),
        label=f"Reported e-mail: {report.subject or '(no subject)'}"[:200],
        category="Reported e-mail",
        url=reverse("phishing:report-detail", args=[report.public_id]),
        office_id=report.office_id,
        occurred_at=report.created_at,
    )


def observables_of(analysis: Analysis) -> tuple[list[Found], list[str]]:
    """What a reported e-mail names, for intel's door: the sender's address, Reply-To, their
    domains, the links, and the addresses, domains, phone numbers and handles written in the
    subject, body and signature; and the names (the sender's display name, capitalised names in
    the text). Our own domains and webmail or platform domains name nobody and stay out."""
    obs = analysis.observables
    found: list[Found] = []
    for address, where in [(obs.sender, "sender"), *((r, "reply_to") for r in obs.reply_to)]:
        found += _with_domain(identify(Kind.EMAIL, clean_text(address)), where)
    for url in obs.urls[:MAX_LINKS]:
        found += _with_domain(identify(Kind.URL, clean_text(url)), "link")
    text = clean_text("\n".join(analysis.texts))
    found += [replace(f, where="body") for f in extract(text)]
    unique: dict[tuple[str, str], Found] = {}
    for item in found:
        if not _ours(item):
            unique.setdefault((item.kind, item.value), item)
    names = [clean_text(obs.sender_name), *name_candidates(text)]
    return list(unique.values()), [n for n in dict.fromkeys(names) if n.strip()]


def _with_domain(item: Found | None, where: str) -> list[Found]:
    if item is None:
        return []
    host = item.value.rpartition("@")[2] if item.kind == Kind.EMAIL else url_host(item.value)
    domain = identify(Kind.DOMAIN, host) if host and not is_generic_domain(host) else None
    return [replace(f, where=where) for f in (item, domain) if f is not None]


def _ours(item: Found) -> bool:
    """An identifier under our own domains: every e-mail mentions them; they link nothing."""
    if item.kind not in (Kind.EMAIL, Kind.DOMAIN, Kind.URL):
        return False
    host = item.value.rpartition("@")[2] if item.kind == Kind.EMAIL else url_host(item.value)
    return is_protected(host, tuple(settings.PROTECTED_DOMAINS))


def _ingest(report: ReportedEmail, analysis: Analysis, actor: Actor) -> None:
    found, names = observables_of(analysis)
    ingested = intel.ingest(origin=origin_of(report), found=found, names=names, actor=actor)
    report.origin = ingested.origin
    report.save(update_fields=["origin"])
    if ingested.matches:
        transaction.on_commit(lambda: notify_security_of_alert_match.enqueue(report_id=report.pk))


def _adopt_group_verdict(report: ReportedEmail) -> None:
    """A new copy of a lure the team has already judged takes the team's verdict."""
    judged = (
        ReportedEmail.objects.filter(fingerprint=report.fingerprint)
        .exclude(pk=report.pk)
        .exclude(override_verdict="")
        .order_by("-triaged_at")
        .first()
    )
    if judged is not None:
        report.override_verdict = judged.override_verdict
        report.override_reason = f"Same message as one already triaged: {judged.override_reason}"
        report.triaged_by, report.triaged_at = judged.triaged_by, judged.triaged_at
        report.save(
            update_fields=["override_verdict", "override_reason", "triaged_by", "triaged_at"]
        )


def _credit_simulation(report: ReportedEmail, token: str, now: datetime) -> None:
    target = Target.objects.select_related("campaign", "person").filter(token=token).first()
    if target is None:
        return
    report.simulation_target = target
    report.save(update_fields=["simulation_target"])
    own = report.reporter_id == target.person_id or report.reporter_address == target.email
    note = "reported by the target" if own else "reported by someone else"
    events.record_event(target=target, kind="reported", now=now, counted=own, note=note, facts=None)


@transaction.atomic
def refresh_groups(fingerprints: Iterable[str]) -> None:
    """Recount each message's summary row (`MessageGroup`) from its copies, inside the caller's
    transaction: every service that files or triages a copy calls this. The row is locked before
    the count, so two copies filed at once are both counted."""
    for fingerprint_ in sorted(set(fingerprints)):  # one order of locks: no deadlock
        copies = ReportedEmail.objects.filter(fingerprint=fingerprint_).defer("raw", "analysis")
        first = copies.order_by("created_at", "pk").first()
        if first is not None:
            # A row to lock, made if this is the first copy (a concurrent maker wins; we wait).
            MessageGroup.objects.bulk_create(
                [_group_of(first, fingerprint_)], ignore_conflicts=True
            )
            MessageGroup.objects.select_for_update().filter(fingerprint=fingerprint_).first()
            first = copies.order_by("created_at", "pk").first()  # counted under the lock
        top = copies.order_by("-score", "pk").values_list("score", "verdict").first()
        if first is None or top is None:
            MessageGroup.objects.filter(fingerprint=fingerprint_).delete()
            continue
        figures = copies.aggregate(
            copies=Count("pk"),
            awaiting=Count("pk", filter=Q(triaged_at__isnull=True)),
            first_at=Min("created_at"),
            latest_at=Max("created_at"),
        )
        MessageGroup.objects.filter(fingerprint=fingerprint_).update(
            first_report=first,
            subject=first.subject,
            sender=first.sender,
            top_score=top[0],
            verdict=top[1],
            **figures,
        )


def _group_of(first: ReportedEmail, fingerprint_: str) -> MessageGroup:
    return MessageGroup(
        fingerprint=fingerprint_,
        first_report=first,
        subject=first.subject,
        sender=first.sender,
        first_at=first.created_at,
        latest_at=first.created_at,
        top_score=first.score,
        verdict=first.verdict,
    )


def group_of(report: ReportedEmail) -> list[ReportedEmail]:
    return list(ReportedEmail.objects.filter(fingerprint=report.fingerprint).order_by("created_at"))


@transaction.atomic
def override_verdict(*, report: ReportedEmail, verdict: str, reason: str, actor: User) -> int:
    """Set the team's verdict on the report and every identical copy. Returns the copies changed."""
    if verdict not in Verdict.values:
        raise ReportError("Choose malicious, suspicious or no known warning signs.")
    if not reason.strip():
        raise ReportError("Say why the verdict is changed.")
    now = timezone.now()
    changed = ReportedEmail.objects.filter(fingerprint=report.fingerprint).update(
        override_verdict=verdict, override_reason=reason[:500], triaged_by=actor, triaged_at=now
    )
    refresh_groups([report.fingerprint])
    ledger.record(
        actor=actor,
        action="phishing_report.override",
        target=report,
        data={"from": report.verdict, "to": verdict, "reason": reason[:500], "copies": changed},
    )
    return changed


BULK_LIMIT = 200


@transaction.atomic
def override_many(*, reports: list[ReportedEmail], verdict: str, reason: str, actor: User) -> int:
    """The team's verdict on several different messages at once (each with its identical
    copies): one update and one ledger batch, an entry per message. Returns the copies changed."""
    if len(reports) > BULK_LIMIT:
        raise ReportError(f"Choose at most {BULK_LIMIT} messages at a time.")
    if verdict not in Verdict.values:
        raise ReportError("Choose malicious, suspicious or no known warning signs.")
    if not reason.strip():
        raise ReportError("Say why the verdict is changed.")
    fingerprints = {r.fingerprint for r in reports}
    changed = ReportedEmail.objects.filter(fingerprint__in=fingerprints).update(
        override_verdict=verdict,
        override_reason=reason[:500],
        triaged_by=actor,
        triaged_at=timezone.now(),
    )
    refresh_groups(fingerprints)
    ledger.record_many(
        actor=actor,
        entries=[
            ledger.Entry(
                "phishing_report.override",
                report,
                {"from": report.verdict, "to": verdict, "reason": reason[:500], "bulk": True},
            )
            for report in reports
        ],
    )
    return changed


@transaction.atomic
def request_alert(*, report: ReportedEmail, note: str, actor: User) -> ReportedEmail:
    """Start a draft security alert from a reported e-mail: its sender, reply address and links
    become indicators. The security officer reviews the draft and chooses its audience and TLP
    on the alert page before publishing; nothing reaches anyone from here."""
    alert = create_alert(
        data=AlertInput(
            title=f"Phishing e-mail: {report.subject or '(no subject)'}"[:200],
            summary=note[:5000],
            guidance="Do not click its links, open its attachments or reply. If you have, "
            "change your password and tell the security team now. Report copies with "
            "'Report phishing'.",
            tlp=Tlp.GREEN,
            indicators=_alert_indicators(report),
        ),
        actor=actor,
        origin={"phishing_report": str(report.public_id)},
    )
    report.alert = alert
    report.alert_requested_at = timezone.now()
    report.alert_note = note[:1000]
    report.triaged_by = report.triaged_by or actor
    report.triaged_at = report.triaged_at or report.alert_requested_at
    report.save(
        update_fields=["alert", "alert_requested_at", "alert_note", "triaged_by", "triaged_at"]
    )
    refresh_groups([report.fingerprint])
    ledger.record(
        actor=actor,
        action="phishing_report.alert_request",
        target=report,
        data={"note": note[:1000], "alert": alert.reference, "fingerprint": report.fingerprint},
    )
    return report


def _alert_indicators(report: ReportedEmail) -> list[IndicatorInput]:
    """The e-mail's identifiers as it went through the door: sender, Reply-To, their domains and
    the links (what its body merely mentions is left for the officer to add)."""
    if report.origin is None:
        return []
    sightings = report.origin.sightings.filter(field__in=["sender", "reply_to", "link"])
    kinds = [Kind.EMAIL, Kind.DOMAIN, Kind.URL]
    observables = [s.observable for s in sightings.select_related("observable").order_by("pk")]
    ranked = sorted(observables, key=lambda o: kinds.index(Kind(o.kind)))
    return [IndicatorInput(o.kind, o.value) for o in ranked][:20]
