"""Screening use cases: screen a subject (applying earlier decisions), decide on a hit, monitor a
subject and re-screen what is monitored when a list changes. Keyword-only, `actor` required,
ledger in the same transaction, notifications after commit."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portcullis import ledger
from portcullis.accounts.access import SECURITY_TEAM
from portcullis.accounts.models import Organisation
from portcullis.ledger.actors import Actor, user_of
from portcullis.lib import mail
from portcullis.lib.tasks import enqueue_on_commit

from . import matching
from .live import LiveIndex, current_index, readable_by
from .models import (
    Decision,
    MonitoredSubject,
    OutcomeChange,
    Screening,
    ScreeningResult,
    Subject,
)

if TYPE_CHECKING:
    from portcullis.accounts.models import User

log = logging.getLogger(__name__)
RESULT_LIMIT = 10
NEAR_MISS_SHARE = 0.5  # results down to half the threshold are kept as near misses, to explain


class ScreeningError(Exception):
    """A request that breaks a rule; the message is fit to show."""


# --- subjects -----------------------------------------------------------------------------------


def _clean(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(" ".join(v.split()) for v in values if v and v.strip()))


def subject_key(query: matching.Subject) -> str:
    """Two requests describe "the same subject" when these normalised facts agree."""
    content = [
        " ".join(query.name.casefold().split()),
        sorted(a.casefold() for a in _clean(query.aliases)),
        sorted(_clean(query.birth_dates)),
        sorted(c.casefold() for c in _clean(query.countries)),
        query.entity_type.value,
        sorted([i.value.upper(), i.kind] for i in query.identifiers),
    ]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


def subject_for(*, query: matching.Subject, party: Organisation | None) -> Subject:
    name = " ".join(query.name.split())
    if not name:
        raise ScreeningError("Give a name to screen.")
    subject, _ = Subject.objects.get_or_create(
        key=subject_key(query),
        party=party,
        defaults={
            "name": name[:300],
            "aliases": _clean(query.aliases),
            "birth_dates": _clean(query.birth_dates),
            "countries": _clean(query.countries),
            "entity_type": query.entity_type.value,
            "identifiers": [[i.value, i.kind] for i in query.identifiers],
        },
    )
    return subject


# --- screening ----------------------------------------------------------------------------------


def latest_decisions(subject: Subject) -> dict[tuple[int, str], Decision]:
    found: dict[tuple[int, str], Decision] = {}
    for decision in subject.decisions.order_by("decided_at", "id"):
        found[(decision.source_id, decision.external_id)] = decision
    return found


def result_status(match: matching.Match, fingerprint: str, decision: Decision | None) -> str:
    status = ScreeningResult.Status
    if not match.is_match:
        return status.BELOW
    if decision is None:
        return status.NEW
    if decision.entity_fingerprint != fingerprint:
        return status.REVIEW_AGAIN
    if decision.verdict == Decision.Verdict.FALSE_MATCH:
        return status.CLEARED
    return status.PENDING if decision.awaiting_second else status.CONFIRMED


@transaction.atomic
def screen_subject(
    *,
    subject: matching.Subject | Subject,
    actor: Actor,
    purpose: str,
    party: Organisation | None = None,
    trigger: str = Screening.Trigger.SERVICE,
    algorithm: str = matching.DEFAULT_ALGORITHM,
    threshold: float | None = None,
    reader: User | None = None,
) -> Screening:
    """Screen against every list in force; each result is explained and carries any earlier
    decision on the same list entry for the same subject (a decided false match is not new).
    Results hold only entries the reader (default: the actor) may see: a security alert's
    names reach those its TLP and audience admit, and nobody else learns it exists."""
    record = subject if isinstance(subject, Subject) else subject_for(query=subject, party=party)
    run = _run(record, algorithm, threshold, reader if reader is not None else user_of(actor))
    return _store(record, run, actor=actor, purpose=purpose, trigger=trigger)


@dataclass(frozen=True)
class _Run:
    algorithm: str
    threshold: float
    live: LiveIndex
    matches: list[matching.Match]


def _run(record: Subject, algorithm: str, threshold: float | None, reader: User | None) -> _Run:
    scorer = matching.get_algorithm(algorithm)
    decide_at = scorer.threshold if threshold is None else threshold
    live = current_index()
    matches = matching.screen(
        live.index,
        record.as_query(),
        algorithm=scorer.name,
        threshold=decide_at,
        limit=RESULT_LIMIT,
        min_score=decide_at * NEAR_MISS_SHARE,
        where=readable_by(reader),
    )
    return _Run(scorer.name, decide_at, live, matches)


def _store(record: Subject, run: _Run, *, actor: Actor, purpose: str, trigger: str) -> Screening:
    scorer_name, decide_at, live, matches = run.algorithm, run.threshold, run.live, run.matches
    screening = Screening.objects.create(
        subject=record,
        party=record.party,
        purpose=purpose[:200],
        trigger=trigger,
        actor=user_of(actor),
        algorithm=scorer_name,
        threshold=decide_at,
        versions=live.versions,
        versions_key=live.key[:500],
    )
    _store_results(screening, matches, live, latest_decisions(record))
    ledger.record(
        actor=actor,
        action="screening.run",
        target=screening,
        data={
            "purpose": screening.purpose,
            "trigger": trigger,
            "hits": screening.hit_count,
            "new_hits": screening.new_hit_count,
            "versions": live.versions,
        },
    )
    return screening


def _store_results(
    screening: Screening,
    matches: list[matching.Match],
    live: LiveIndex,
    decisions: dict[tuple[int, str], Decision],
) -> None:
    results = _results(screening, matches, live, decisions)
    ScreeningResult.objects.bulk_create(results)
    _count_hits(screening, [r.status for r in results])


def _results(
    screening: Screening | None,
    matches: list[matching.Match],
    live: LiveIndex,
    decisions: dict[tuple[int, str], Decision],
) -> list[ScreeningResult]:
    results = []
    for match in matches:
        row = live.row_of(match)
        decision = decisions.get((row.source_id, match.entity.entity_id))
        results.append(
            ScreeningResult(
                screening=screening,
                entity_id=row.entity_id,
                source_id=row.source_id,
                list_version_id=row.version_id,
                external_id=match.entity.entity_id,
                caption=match.entity.caption[:500],
                score=match.score,
                threshold=match.threshold,
                algorithm=match.algorithm,
                is_match=match.is_match,
                features=match.as_dict()["features"],
                matched_names=list(match.matched_names),
                status=result_status(match, row.fingerprint, decision),
                prior_decision=decision,
            )
        )
    return results


def _outcome(
    rows: Iterable[tuple[int, str, float, bool, str]],
) -> set[tuple[int, str, float, bool, str]]:
    """What a screening found, comparable across runs: entries, scores, verdicts and statuses."""
    return {
        (source, entity, round(score, 4), hit, status)
        for source, entity, score, hit, status in rows
    }


def _same_outcome(previous: Screening, run: _Run) -> bool:
    if (previous.algorithm, previous.threshold) != (run.algorithm, run.threshold):
        return False
    before = previous.results.values_list("source_id", "external_id", "score", "is_match", "status")
    after = _results(None, run.matches, run.live, latest_decisions(previous.subject))
    return _outcome(before) == _outcome(
        (r.source_id, r.external_id, r.score, r.is_match, r.status) for r in after
    )


def _count_hits(screening: Screening, statuses: list[str]) -> None:
    status = ScreeningResult.Status
    screening.hit_count = sum(s not in (status.BELOW, status.CLEARED) for s in statuses)
    screening.new_hit_count = sum(s in (status.NEW, status.REVIEW_AGAIN) for s in statuses)
    screening.save(update_fields=["hit_count", "new_hit_count"])


# --- decisions ----------------------------------------------------------------------------------


@transaction.atomic
def record_decision(
    *, result: ScreeningResult, verdict: str, reason: str, actor: Actor
) -> Decision:
    """Remember the analyst's verdict on this list entry for this subject."""
    if verdict not in Decision.Verdict.values:
        raise ScreeningError("Choose true match or false match.")
    reason = reason.strip()
    if not reason:
        raise ScreeningError("Give the reason for the decision.")
    screening = result.screening
    awaiting = settings.SCREENING_FOUR_EYES and verdict == Decision.Verdict.TRUE_MATCH
    decision = Decision.objects.create(
        awaiting_second=awaiting,
        subject=screening.subject,
        source=result.source,
        external_id=result.external_id,
        entity_fingerprint=result.entity.fingerprint,
        verdict=verdict,
        reason=reason[:4000],
        result=result,
        decided_by=user_of(actor),
    )
    if result.is_match:
        result.status = (
            ScreeningResult.Status.CLEARED
            if verdict == Decision.Verdict.FALSE_MATCH
            else ScreeningResult.Status.PENDING
            if awaiting
            else ScreeningResult.Status.CONFIRMED
        )
    result.prior_decision = decision
    result.save(update_fields=["status", "prior_decision"])
    _count_hits(screening, list(screening.results.values_list("status", flat=True)))
    ledger.record(
        actor=actor,
        action="screening_decision.record",
        target=decision,
        data={
            "verdict": verdict,
            "entity": result.external_id,
            "screening": screening.public_id,
            "awaiting_second": awaiting,
        },
    )
    return decision


@transaction.atomic
def confirm_decision(*, decision: Decision, actor: User) -> Decision:
    """The second security officer's confirmation of a true match (four eyes). The officer who
    recorded it cannot confirm it; only the security team can (the page gives others a 404)."""
    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    if not SECURITY_TEAM(actor):
        raise ScreeningError("Only a security officer can confirm a true match.")
    if not locked.awaiting_second:
        raise ScreeningError("This decision is not awaiting a second officer.")
    if locked.decided_by_id == actor.pk:
        raise ScreeningError("You recorded this decision: a second security officer confirms it.")
    locked.awaiting_second, locked.confirmed_by, locked.confirmed_at = False, actor, timezone.now()
    locked.save(update_fields=["awaiting_second", "confirmed_by", "confirmed_at"])
    result = locked.result
    pending = result.screening.results.filter(
        prior_decision=locked, status=ScreeningResult.Status.PENDING
    )
    pending.update(status=ScreeningResult.Status.CONFIRMED)
    _count_hits(result.screening, list(result.screening.results.values_list("status", flat=True)))
    ledger.record(
        actor=actor,
        action="screening_decision.confirm",
        target=locked,
        data={"entity": locked.external_id, "recorded_by": locked.decided_by_id},
    )
    return locked


# --- monitoring ---------------------------------------------------------------------------------


@transaction.atomic
def monitor_subject(
    *, subject: Subject, owner: User, purpose: str, actor: Actor
) -> MonitoredSubject:
    monitored, created = MonitoredSubject.objects.get_or_create(
        subject=subject,
        defaults={"owner": owner, "party": subject.party, "purpose": purpose[:200]},
    )
    if not created:
        monitored.owner, monitored.is_active = owner, True
        monitored.save(update_fields=["owner", "is_active"])
    if monitored.last_screening_id is None:
        monitored.last_screening = subject.screenings.order_by("-created_at", "-id").first()
        monitored.save(update_fields=["last_screening"])
    ledger.record(actor=actor, action="monitoring.start", target=monitored)
    return monitored


@transaction.atomic
def stop_monitoring(*, monitored: MonitoredSubject, actor: Actor) -> None:
    monitored.is_active = False
    monitored.save(update_fields=["is_active"])
    ledger.record(actor=actor, action="monitoring.stop", target=monitored)


def open_hits(screening: Screening | None) -> dict[tuple[int, str], ScreeningResult]:
    if screening is None:
        return {}
    return {(r.source_id, r.external_id): r for r in screening.open_hits()}


@dataclass(frozen=True)
class RescreenRun:
    screened: int
    changes: int


def rescreen_monitored(*, actor: Actor) -> RescreenRun:
    """Re-screen every active monitored subject whose last screening predates the lists in
    force. Safe to run again: an up-to-date subject is skipped."""
    key = current_index().key[:500]
    stale = MonitoredSubject.objects.filter(is_active=True).exclude(
        last_screening__versions_key=key
    )
    screened = changes = 0
    for monitored_id in stale.values_list("pk", flat=True):
        changes += len(rescreen_one(monitored_id=monitored_id, actor=actor))
        screened += 1
    return RescreenRun(screened, changes)


@transaction.atomic
def rescreen_one(*, monitored_id: int, actor: Actor) -> list[OutcomeChange]:
    monitored = MonitoredSubject.objects.select_for_update().get(pk=monitored_id)
    previous = monitored.last_screening
    if previous is not None and previous.versions_key == current_index().key[:500]:
        return []  # another worker got here first
    run = _run(monitored.subject, matching.DEFAULT_ALGORITHM, None, monitored.owner)
    if previous is not None and _same_outcome(previous, run):
        return _recheck(monitored, previous, run, actor)
    screening = _store(
        monitored.subject,
        run,
        actor=actor,
        purpose=monitored.purpose,
        trigger=Screening.Trigger.MONITORING,
    )
    changes = _record_changes(monitored, previous, screening)
    monitored.last_screening = screening
    monitored.save(update_fields=["last_screening"])
    ledger.record(
        actor=actor,
        action="monitoring.rescreen",
        target=monitored,
        data={"screening": screening.public_id, "changes": [c.kind for c in changes]},
    )
    if changes:
        enqueue_on_commit(
            "portcullis.screening.tasks.notify_outcome_changes", monitored_id=monitored.pk
        )
    return changes


def _recheck(
    monitored: MonitoredSubject, previous: Screening, run: _Run, actor: Actor
) -> list[OutcomeChange]:
    """The lists changed but the outcome did not: no new screening row, the last one records
    that it was checked again against the lists now in force."""
    previous.versions = run.live.versions
    previous.versions_key = run.live.key[:500]
    previous.checked_at = timezone.now()
    previous.check_count += 1
    previous.save(update_fields=["versions", "versions_key", "checked_at", "check_count"])
    ledger.record(
        actor=actor,
        action="monitoring.recheck",
        target=monitored,
        data={"screening": previous.public_id, "versions": run.live.versions},
    )
    return []


def _record_changes(
    monitored: MonitoredSubject, previous: Screening | None, screening: Screening
) -> list[OutcomeChange]:
    before, after = open_hits(previous), open_hits(screening)
    changes = [
        OutcomeChange(
            monitored=monitored,
            screening=screening,
            previous_screening=previous,
            kind=OutcomeChange.Kind.NEW_HIT,
            source_id=key[0],
            external_id=key[1],
            caption=after[key].caption,
            score_before=before[key].score if key in before else None,
            score_after=after[key].score,
        )
        for key in sorted(after.keys() - before.keys())
    ]
    changes += [
        OutcomeChange(
            monitored=monitored,
            screening=screening,
            previous_screening=previous,
            kind=OutcomeChange.Kind.HIT_GONE,
            source_id=key[0],
            external_id=key[1],
            caption=before[key].caption,
            score_before=before[key].score,
            score_after=None,
        )
        for key in sorted(before.keys() - after.keys())
    ]
    return OutcomeChange.objects.bulk_create(changes)


def notify_changes(*, monitored_id: int) -> int:
    """E-mail the owner every change not yet notified. A failed send leaves them pending, and
    the periodic job tries again: a change is never dropped."""
    monitored = MonitoredSubject.objects.select_related("owner", "subject").get(pk=monitored_id)
    pending = list(
        OutcomeChange.objects.filter(monitored=monitored, notified_at__isnull=True)
        .select_related("source")
        .order_by("created_at", "id")
    )
    owner = monitored.owner
    if not pending or owner is None or not owner.email:
        return 0
    lines = [
        f"- {c.get_kind_display()}: {c.caption} ({c.source.name}, {c.external_id})" for c in pending
    ]
    body = (
        f"The screening outcome for {monitored.subject.name} ({monitored.purpose}) changed after "
        "a sanctions list or watchlist was updated:\n\n"
        + "\n".join(lines)
        + "\n\nOpen Portcullis, Screening > Monitoring, to review and record decisions.\n"
    )
    try:
        mail.send(to=[owner.email], subject="Screening: monitored subject changed", body=body)
    except Exception:
        log.exception("could not e-mail outcome changes for monitored subject %s", monitored.pk)
        return 0
    OutcomeChange.objects.filter(pk__in=[c.pk for c in pending]).update(notified_at=timezone.now())
    return len(pending)


def notify_pending_changes() -> int:
    ids = set(
        OutcomeChange.objects.filter(notified_at__isnull=True).values_list(
            "monitored_id", flat=True
        )
    )
    return sum(notify_changes(monitored_id=i) for i in sorted(ids))


@transaction.atomic
def acknowledge_change(*, change: OutcomeChange, actor: User) -> OutcomeChange:
    if change.acknowledged_at is None:
        change.acknowledged_at, change.acknowledged_by = timezone.now(), actor
        change.save(update_fields=["acknowledged_at", "acknowledged_by"])
        ledger.record(actor=actor, action="outcome_change.acknowledge", target=change)
    return change
