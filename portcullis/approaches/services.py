"""The only writers of approach reports: submit (extract, match, link), triage, notes, feedback."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from portcullis import ledger
from portcullis.accounts.access import SECURITY_TEAM
from portcullis.accounts.models import Office, User
from portcullis.intel import services as intel
from portcullis.intel.extract import Found, Kind, extract, identify, name_candidates
from portcullis.intel.origins import OriginRef

from . import evidence as evidence_files
from .models import Evidence, HeldEvidence, Note, Report


class ReportError(ValueError):
    pass


@dataclass
class ReportInput:
    channel: str
    persona: str
    occurred_on: datetime.date
    office: Office | None = None
    asks: list[str] = field(default_factory=list)
    offers: list[str] = field(default_factory=list)
    warning_signs: list[str] = field(default_factory=list)
    approacher_name: str = ""
    approacher_organisation: str = ""
    approacher_contact: str = ""
    account: str = ""
    anonymous: bool = False


def offices_for(user: User) -> list[Office]:
    return list(Office.objects.filter(pk__in=user.scope.office_ids).order_by("name"))


@transaction.atomic
def submit_report(
    *,
    data: ReportInput,
    actor: User,
    evidence: Sequence[UploadedFile] = (),
    held: Sequence[HeldEvidence] = (),
    public_id: uuid.UUID | None = None,
) -> Report:
    """Store the report and its evidence (new uploads and files `held` from an earlier try of
    the form), pass what it names through intel's door (sightings, alert matches, campaign),
    and tell the security team. The actor's held files all end here: those given become the
    report's evidence, the rest are removed. `public_id` is for fixed demo data."""
    if len(evidence) + len(held) > evidence_files.MAX_FILES:
        raise ReportError(f"Attach at most {evidence_files.MAX_FILES} files.")
    own = {h.pk for h in HeldEvidence.objects.held_by(actor)}
    if any(h.pk not in own for h in held):
        raise ReportError("That file is not one you attached, or it has expired.")
    checked = [evidence_files.check(upload) for upload in evidence]
    if data.office is not None and data.office.pk not in actor.scope.office_ids:
        raise ReportError("You can report only for your own offices.")
    report = Report.objects.create(
        **({"public_id": public_id} if public_id else {}),
        reporter=actor,
        reporter_person=actor.person,
        office=data.office,
        anonymous=data.anonymous,
        channel=data.channel,
        persona=data.persona,
        asks=data.asks,
        offers=data.offers,
        warning_signs=data.warning_signs,
        approacher_name=data.approacher_name,
        approacher_organisation=data.approacher_organisation,
        approacher_contact=data.approacher_contact,
        account=data.account,
        occurred_on=data.occurred_on,
    )
    for item in checked:
        stored = Evidence(
            report=report,
            original_name=item.original_name,
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
        )
        stored.file.save(item.stored_name, item.upload, save=True)
    for kept in held:
        stored = Evidence(
            report=report,
            original_name=kept.original_name,
            content_type=kept.content_type,
            size=kept.size,
            sha256=kept.sha256,
        )
        with kept.file.open("rb") as content:
            stored.file.save(f"{uuid.uuid4().hex}{PurePath(kept.file.name).suffix}", content)
    HeldEvidence.objects.filter(owner=actor).drop()
    ingested = _ingest(report, actor)
    campaign = ingested.campaign
    ledger.record(
        actor=actor,
        action="approach_report.submit",
        target=report,
        data={
            "channel": report.channel,
            "persona": report.persona,
            "anonymous": report.anonymous,
            "evidence": len(checked) + len(held),
            "alerts": sorted({m.alert.reference for m in ingested.matches}),
            "campaign": str(campaign.public_id) if campaign else None,
        },
    )
    from .tasks import notify_security_of_report

    transaction.on_commit(lambda: notify_security_of_report.enqueue(report_id=report.pk))
    return report


def hold_evidence(
    *, actor: User, keep: Sequence[HeldEvidence], add: Sequence[evidence_files.CheckedFile]
) -> list[HeldEvidence]:
    """After a report form came back with an error: keep the actor's held files in `keep`,
    remove their others, and hold the new files that passed the checks, so the next try need
    not attach them again. At most `MAX_FILES` per person; anything beyond is not held. A
    person's draft, seen by nobody else, so no ledger entry: the report records its evidence."""
    mine = HeldEvidence.objects.held_by(actor)
    kept_ids = {h.pk for h in keep}
    HeldEvidence.objects.filter(owner=actor).exclude(pk__in=mine.filter(pk__in=kept_ids)).drop()
    room = evidence_files.MAX_FILES - mine.count()
    for item in add[: max(room, 0)]:
        held = HeldEvidence(
            owner=actor,
            original_name=item.original_name,
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
        )
        item.upload.seek(0)
        held.file.save(item.stored_name, item.upload, save=True)
    return list(HeldEvidence.objects.held_by(actor))


def origin_of(report: Report) -> OriginRef:
    return OriginRef(
        app="approaches",
        kind="report",
        key=str(report.pk),
        label=f"Approach report {report.reference}",
        category="Approach report",
        url=report.get_absolute_url(),
        office_id=report.office_id,
        occurred_at=report.created_at,
    )


def observables_of(report: Report) -> list[Found]:
    found: list[Found] = []
    for kind, value, where in (
        (Kind.PERSON, report.approacher_name, "approacher_name"),
        (Kind.ORGANISATION, report.approacher_organisation, "approacher_organisation"),
    ):
        item = identify(kind, value) if value.strip() else None
        if item:
            found.append(replace(item, where=where))
    for where in ("approacher_contact", "account"):
        text = getattr(report, where)
        found += [replace(item, where=where) for item in extract(text)]
        handle = identify(Kind.HANDLE, text) if where == "approacher_contact" else None
        if handle and text.strip().startswith("@"):
            found.append(replace(handle, where=where))
    unique: dict[tuple[str, str], Found] = {}
    for item in found:
        unique.setdefault((item.kind, item.value), item)
    return list(unique.values())


def _ingest(report: Report, actor: User) -> intel.Ingested:
    names = [report.approacher_name, report.approacher_organisation]
    names += name_candidates(report.account) + name_candidates(report.approacher_contact)
    ingested = intel.ingest(
        origin=origin_of(report),
        found=observables_of(report),
        names=names,
        organisations=[report.approacher_organisation] if report.approacher_organisation else [],
        actor=actor,
    )
    report.origin = ingested.origin
    report.save(update_fields=["origin"])
    return ingested


@transaction.atomic
def triage_report(
    *,
    report: Report,
    actor: User,
    status: str,
    outcome: str = "",
    assigned_to: User | None = None,
    reliability: str = "",
    credibility: str = "",
) -> Report:
    if status == Report.Status.CLOSED and not outcome:
        raise ReportError("Choose an outcome to close the report.")
    if assigned_to is not None and not SECURITY_TEAM(assigned_to):
        raise ReportError("Reports are assigned to security officers only.")
    new = {
        "status": status,
        "outcome": outcome if status == Report.Status.CLOSED else "",
        "assigned_to": assigned_to,
        "reliability": reliability,
        "credibility": credibility,
    }
    changes = {
        name: str(value or "") for name, value in new.items() if getattr(report, name) != value
    }
    if not changes:
        return report
    for name, value in new.items():
        setattr(report, name, value)
    report.save(update_fields=[*new, "updated_at"])
    ledger.record(actor=actor, action="approach_report.triage", target=report, data=changes)
    return report


BULK_LIMIT = 500


@transaction.atomic
def triage_many(
    *,
    reports: Sequence[Report],
    actor: User,
    assigned_to: User | None = None,
    unassign: bool = False,
    close_outcome: str = "",
) -> int:
    """Assign or close many reports at once: one update and one ledger batch; returns how many
    changed. Each report's entry names what changed on it, as `triage_report` does."""
    if len(reports) > BULK_LIMIT:
        raise ReportError(f"Choose at most {BULK_LIMIT} reports at a time.")
    if assigned_to is not None and not SECURITY_TEAM(assigned_to):
        raise ReportError("Reports are assigned to security officers only.")
    if close_outcome and close_outcome not in Report.Outcome.values:
        raise ReportError("Choose an outcome to close the reports.")
    if assigned_to is None and not unassign and not close_outcome:
        raise ReportError("Choose what to do with the chosen reports.")
    entries, changed = [], []
    now = timezone.now()
    for report in reports:
        changes: dict[str, str] = {}
        if (assigned_to is not None or unassign) and report.assigned_to_id != getattr(
            assigned_to, "pk", None
        ):
            report.assigned_to = assigned_to
            changes["assigned_to"] = str(assigned_to or "")
        if close_outcome and (
            report.status != Report.Status.CLOSED or report.outcome != close_outcome
        ):
            report.status, report.outcome = Report.Status.CLOSED, close_outcome
            changes |= {"status": Report.Status.CLOSED.value, "outcome": close_outcome}
        if changes:
            report.updated_at = now
            changed.append(report)
            entries.append(ledger.Entry("approach_report.triage", report, changes))
    Report.objects.bulk_update(
        changed, ["assigned_to", "status", "outcome", "updated_at"], batch_size=BULK_LIMIT
    )
    ledger.record_many(actor=actor, entries=entries)
    return len(changed)


@transaction.atomic
def add_note(*, report: Report, actor: User, text: str) -> Note:
    note = Note.objects.create(report=report, author=actor, text=text)
    ledger.record(actor=actor, action="approach_report.note", target=report)
    return note


@transaction.atomic
def send_feedback(*, report: Report, actor: User, message: str) -> Report:
    report.feedback, report.feedback_at = message, timezone.now()
    report.save(update_fields=["feedback", "feedback_at", "updated_at"])
    ledger.record(actor=actor, action="approach_report.feedback", target=report)
    from .tasks import notify_reporter_of_feedback

    transaction.on_commit(lambda: notify_reporter_of_feedback.enqueue(report_id=report.pk))
    return report
