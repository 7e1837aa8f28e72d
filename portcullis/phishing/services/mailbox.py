"""The report mailbox: people forward suspect e-mails to it; we poll it over IMAP, unwrap each
forward, file it as a report and reply to the reporter with the verdict and what to do."""

from __future__ import annotations

import imaplib
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from portcullis import ledger
from portcullis.accounts.models import User
from portcullis.ledger.actors import SCHEDULER, Actor
from portcullis.lib import mail
from portcullis.lib.safetext import clean_text

from .. import forwards
from ..conf import MailboxConfig
from ..models import Event, ReportedEmail, Target
from ..models.reports import MAX_RAW_BYTES
from . import events
from .reports import ReportError, file_report, person_for_address

log = logging.getLogger(__name__)
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")
# The IMAP keyword on a message that could not be filed (it is also marked seen).
FAILED_FLAG = "$PortcullisFailed"


class MailboxError(Exception):
    pass


@dataclass
class PollResult:
    filed: list[ReportedEmail] = field(default_factory=list)
    bounces: int = 0
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def poll_report_mailbox(
    *, actor: Actor, config: MailboxConfig | None = None, limit: int = 50
) -> PollResult:
    """File every unseen message in the mailbox (at most `limit` per run), then mark it seen.
    A message already filed (same Message-ID) is marked seen without a second report; one that
    fails for any reason is marked seen and failed, recorded in the ledger with why, and the
    poll moves on to the next."""
    config = config or MailboxConfig.from_env()
    if config is None:
        raise MailboxError("The report mailbox is not configured (PORTCULLIS_REPORT_IMAP_HOST).")
    result = PollResult()
    client = _connect(config)
    try:
        client.select(config.folder)
        status, data = client.uid("SEARCH", "UNSEEN")
        if status != "OK":
            raise MailboxError(f"IMAP search failed: {data!r}")
        for uid in (data[0] or b"").decode().split()[:limit]:
            _take(client, uid, actor, result)
    finally:
        _close(client)
    return result


def _connect(config: MailboxConfig) -> imaplib.IMAP4:
    try:
        client: imaplib.IMAP4
        if config.use_ssl:
            client = imaplib.IMAP4_SSL(config.host, config.port, timeout=30)
        else:
            client = imaplib.IMAP4(config.host, config.port, timeout=30)
        client.login(config.user, config.password)
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxError(f"Cannot sign in to the report mailbox: {exc}") from exc
    return client


def _close(client: imaplib.IMAP4) -> None:
    try:
        client.close()
        client.logout()
    except (OSError, imaplib.IMAP4.error):
        log.info("report mailbox: logout failed", exc_info=True)


def _take(client: imaplib.IMAP4, uid: str, actor: Actor, result: PollResult) -> None:
    status, data = client.uid("FETCH", uid, "(RFC822.SIZE)")
    match = _SIZE.search(b" ".join(d if isinstance(d, bytes) else b"" for d in data or []))
    if status != "OK" or match is None:
        result.skipped.append(f"{uid}: size unknown")
        return
    if int(match.group(1)) > MAX_RAW_BYTES:
        result.skipped.append(f"{uid}: larger than {MAX_RAW_BYTES} bytes")
        _mark_seen(client, uid)
        return
    status, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
    raw = next((part[1] for part in data or [] if isinstance(part, tuple)), None)
    if status != "OK" or not isinstance(raw, bytes):
        result.skipped.append(f"{uid}: fetch failed")
        return
    try:
        with transaction.atomic():
            process_message(raw=raw, actor=actor, result=result)
    except ReportError as exc:
        result.skipped.append(f"{uid}: {exc}")
    except Exception as exc:  # whatever breaks one message must not jam the rest
        _record_failure(client, uid, raw, exc, result)
        return
    _mark_seen(client, uid)


def _mark_seen(client: imaplib.IMAP4, uid: str, *flags: str) -> None:
    flag_list = " ".join(("\\Seen", *flags))
    client.uid("STORE", uid, "+FLAGS", f"({flag_list})")


@transaction.atomic
def _record_failure(
    client: imaplib.IMAP4, uid: str, raw: bytes, exc: Exception, result: PollResult
) -> None:
    """Mark the message seen and failed (so the next poll does not take it again) and record
    why, for the security team to look at the message in the mailbox."""
    log.exception("report mailbox: message %s failed", uid)
    reason = clean_text(f"{type(exc).__name__}: {exc}")[:500]
    message_id = clean_text(forwards.message_id_of(raw))[:300]
    _mark_seen(client, uid, FAILED_FLAG)
    ledger.record(
        actor=SCHEDULER,
        action="phishing_mailbox.message_fail",
        data={"uid": uid, "message_id": message_id, "reason": reason},
    )
    result.failed.append(f"{uid}: {reason}")


def process_message(
    *, raw: bytes, actor: Actor, result: PollResult, now: datetime | None = None
) -> ReportedEmail | None:
    """One mailbox message: a bounce of a simulation mail, or a report to file and answer."""
    now = now or timezone.now()
    wrapper = forwards.unwrap(raw)
    if (
        wrapper.message_id
        and ReportedEmail.objects.filter(mailbox_message_id=wrapper.message_id).exists()
    ):
        result.skipped.append(f"{wrapper.message_id}: already filed")
        return None
    if wrapper.is_bounce and _record_bounce(wrapper.original, now):
        result.bounces += 1
        return None
    reporter = person_for_address(wrapper.reporter_address)
    report = file_report(
        raw=wrapper.original,
        actor=actor,
        source=ReportedEmail.Source.MAILBOX,
        reporter=reporter,
        reporter_address=wrapper.reporter_address,
        mailbox_message_id=wrapper.message_id,
        now=now,
    )
    result.filed.append(report)
    send_report_reply(report=report, subject=wrapper.subject)
    return report


def _record_bounce(original: bytes, now: datetime) -> bool:
    from ..context import TOKEN_PATTERN

    match = TOKEN_PATTERN.search(original.decode("utf-8", "replace"))
    target = Target.objects.filter(token=match.group(1)).first() if match else None
    if target is None:
        return False
    events.record_event(
        target=target, kind=Event.Kind.BOUNCED, now=now, note="delivery status notification"
    )
    return True


def send_report_reply(*, report: ReportedEmail, subject: str = "") -> bool:
    """Tell the reporter what we found. Only people in the directory get a reply: a forged
    From address must not turn the mailbox into a way of mailing strangers."""
    if report.reporter is None or not report.reporter_address:
        return False
    # What the reporter would see signed in: an alert's guidance only if they may read it.
    reader = User.objects.filter(person=report.reporter, is_active=True).first() or AnonymousUser()
    seen = report.assessment_for(reader)
    body = render_to_string("phishing/email/report_reply.txt", {"report": report, "seen": seen})
    sent = mail.send(
        to=[report.reporter_address],
        subject=f"Re: {subject or report.subject}"[:200],
        body=body,
    )
    if sent:
        ReportedEmail.objects.filter(pk=report.pk).update(reply_sent_at=timezone.now())
    return bool(sent)
