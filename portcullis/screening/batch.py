"""Batch screening: a CSV or XLSX of subjects in, a formula-escaped result CSV out.

Rows are read in full first (up to `MAX_ROWS`), so a bad file fails before any screening and the
progress bar has a total. Earlier decisions for the same subject in the same party apply here as
they do on the screening page; batch rows do not create subjects of their own.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from portcullis import ledger
from portcullis.ledger.actors import Actor
from portcullis.lib.csvsafe import MAX_FIELD_CHARS, CSVError, decode, escape_formula, read_rows
from portcullis.lib.safetext import clean_text
from portcullis.lib.tasks import enqueue_on_commit

from . import matching
from .live import LiveIndex, current_index, readable_by
from .models import BatchHit, BatchProblem, BatchScreening, Decision, Subject
from .services import NEAR_MISS_SHARE, result_status, subject_key

if TYPE_CHECKING:
    from portcullis.accounts.models import Organisation, User

MAX_ROWS = 100_000
MAX_BYTES = 60 * 1024 * 1024
# The same for CSV and XLSX: a cell of at most MAX_FIELD_CHARS, at most MAX_ALIASES aliases (as
# the API), and an XLSX that unpacks to at most MAX_XLSX_UNPACKED bytes.
MAX_ALIASES = 50
MAX_XLSX_UNPACKED = 300 * 1024 * 1024
# One row's screening stops after this long; the row is then reported as not screened.
ROW_SECONDS = 10.0
TOO_LONG = f"Screening took longer than {ROW_SECONDS:g} seconds; screen it on its own."
PROGRESS_EVERY = 250
TYPES = {"": "unknown", "person": "person", "individual": "person"} | {
    k: "organisation" for k in ("organisation", "organization", "entity", "company")
}
RESULT_COLUMNS = [
    "row",
    "reference",
    "name",
    "birth_date",
    "country",
    "outcome",
    "best_score",
    "best_match",
    "list",
    "list_entry_id",
    "decision",
    "matches_at_threshold",
    "explanation",
]


class BatchError(ValueError):
    """The file cannot be screened; the message is fit to show."""


class RowProblemError(ValueError):
    """One row cannot be screened; it is skipped and listed with this message."""


@dataclass(frozen=True)
class BatchRow:
    line: int
    reference: str
    query: matching.Subject
    problems: tuple[str, ...] = ()  # screened, leaving out what these say


@dataclass(frozen=True)
class Problem:
    line: int
    reason: str
    screened: bool


@dataclass(frozen=True)
class Batch:
    rows: list[BatchRow]
    skipped: list[Problem]


_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def _is_birth_date(value: str) -> bool:
    """`1961-03-02`, `1961-03`, `1961` or a range `1965..1969`, as the screening page takes."""
    parts = value.split("..")
    if len(parts) > 2:
        return False
    for part in parts:
        found = _ISO_DATE.fullmatch(part.strip())
        if found is None:
            return False
        year, month, day = (int(g) if g else None for g in found.groups())
        try:
            date(year or 0, month or 1, day or 1)
        except ValueError:
            return False
    return True


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


def _row(line: int, cells: dict[str, str]) -> BatchRow:
    for column, value in cells.items():
        if len(value) > MAX_FIELD_CHARS:
            raise RowProblemError(
                f"{column}: the cell holds {len(value):,} characters; at most {MAX_FIELD_CHARS:,}."
            )
    aliases = _split(cells.get("aliases", ""))
    if len(aliases) > MAX_ALIASES:
        raise RowProblemError(f"aliases: {len(aliases):,} names; at most {MAX_ALIASES}.")
    name = cells.get("name", "").strip()
    if not name:
        raise RowProblemError("The name is empty.")
    kind = cells.get("type", "").strip().lower()
    if kind not in TYPES:
        raise RowProblemError(f"Type must be person or organisation, not “{kind[:40]}”.")
    dates = _split(cells.get("birth_date", "") or cells.get("dob", ""))
    bad = [d for d in dates if not _is_birth_date(d)]
    problems = tuple(
        f"Birth date “{d[:40]}” is not a date written 1961-03-02, 1961-03 or 1961; screened "
        "without it."
        for d in bad
    )
    query = matching.Subject(
        name=name[:300],
        aliases=aliases,
        birth_dates=tuple(d for d in dates if d not in bad),
        countries=_split(cells.get("country", "")),
        entity_type=matching.EntityType(TYPES[kind]),
    )
    return BatchRow(line, cells.get("reference", "")[:200], query, problems)


def read_batch(handle: IO[bytes], file_name: str) -> Batch:
    """Every row to screen, and the rows skipped with the reason (a blank row before the last
    row, an empty name, a cell too long). A file that cannot be read at all is a `BatchError`."""
    if file_name.lower().endswith(".xlsx"):
        rows = _xlsx_rows(handle)
    else:
        try:
            rows = read_rows(
                decode(handle.read(), max_bytes=MAX_BYTES), required={"name"}, blank=True
            )
        except CSVError as exc:
            raise BatchError(str(exc)) from exc
    found: list[BatchRow] = []
    skipped: list[Problem] = []
    blank: list[int] = []
    try:
        for line, cells in rows:
            if not any(cells.values()):
                blank.append(line)  # listed only if a row follows: trailing blanks are no rows
                continue
            skipped += [Problem(n, "The row is blank.", screened=False) for n in blank]
            blank = []
            if len(found) + len(skipped) >= MAX_ROWS:
                raise BatchError(f"The file has more than {MAX_ROWS:,} rows; split it.")
            try:
                found.append(_row(line, cells))
            except RowProblemError as exc:
                skipped.append(Problem(line, str(exc), screened=False))
    except CSVError as exc:
        raise BatchError(str(exc)) from exc
    if not found:
        reasons = "; ".join(f"row {p.line}: {p.reason}" for p in skipped[:3])
        raise BatchError("The file has no rows to screen" + (f" ({reasons})." if reasons else "."))
    return Batch(found, skipped)


def _xlsx_rows(handle: IO[bytes]) -> Iterator[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook

    _check_unpacked_size(handle)
    try:
        book = load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise BatchError(f"This is not a readable XLSX workbook ({type(exc).__name__}).") from exc
    try:
        sheet = book.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        header = [str(h or "").strip().lower() for h in next(lines, ())]
        if "name" not in header:
            raise BatchError("The first row must name the columns; missing: name.")
        for number, values in enumerate(lines, start=2):
            yield (
                number,
                {
                    h: "" if v is None else clean_text(str(v)).strip()
                    for h, v in zip(header, values, strict=False)
                    if h
                },
            )
    finally:
        book.close()


def _check_unpacked_size(handle: IO[bytes]) -> None:
    """openpyxl reads the shared strings whole: refuse a workbook that unpacks too large."""
    try:
        with zipfile.ZipFile(handle) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise BatchError("This is not a readable XLSX workbook (not a zip archive).") from exc
    finally:
        handle.seek(0)
    if unpacked > MAX_XLSX_UNPACKED:
        raise BatchError(
            f"The workbook unpacks to {unpacked // (1024 * 1024):,} MB; at most "
            f"{MAX_XLSX_UNPACKED // (1024 * 1024)} MB. Save it as CSV or split it."
        )


# --- running ------------------------------------------------------------------------------------


def run_batch(*, batch: BatchScreening, actor: Actor) -> BatchScreening:
    """Screen every row, updating progress as it goes; the result is a CSV file on the batch.
    A finished batch is left as it is (a task delivered twice screens once)."""
    finished = (BatchScreening.Status.DONE, BatchScreening.Status.FAILED)
    if BatchScreening.objects.filter(pk=batch.pk, status__in=finished).exists():
        return BatchScreening.objects.get(pk=batch.pk)
    BatchScreening.objects.filter(pk=batch.pk).update(status=BatchScreening.Status.RUNNING)
    try:
        with batch.upload.open("rb") as handle:
            read = read_batch(handle, batch.file_name)
        rows = read.rows
        BatchScreening.objects.filter(pk=batch.pk).update(total_rows=len(rows))
        problems = read.skipped + [
            Problem(row.line, reason, screened=True) for row in rows for reason in row.problems
        ]
        BatchProblem.objects.filter(batch=batch).delete()
        BatchHit.objects.filter(batch=batch).delete()
        BatchProblem.objects.bulk_create(
            BatchProblem(batch=batch, row=p.line, reason=p.reason[:300], screened=p.screened)
            for p in sorted(problems, key=lambda p: p.line)
        )
        with tempfile.TemporaryFile("w+", newline="", encoding="utf-8") as out:
            hits, versions = _screen_rows(batch, rows, out)
            out.seek(0)
            data = io.BytesIO(out.read().encode("utf-8-sig"))
    except BatchError as exc:
        return _finish(batch, actor, status=BatchScreening.Status.FAILED, message=str(exc))
    batch.result.save(f"{Path(batch.file_name).stem}-screened.csv", File(data), save=False)
    batch.hit_rows, batch.versions = hits, versions
    return _finish(batch, actor, status=BatchScreening.Status.DONE, message="")


def _screen_rows(
    batch: BatchScreening, rows: list[BatchRow], out: IO[str]
) -> tuple[int, dict[str, int]]:
    live = current_index()
    scorer = matching.get_algorithm()
    where = readable_by(batch.created_by)
    writer = csv.writer(out)
    writer.writerow(RESULT_COLUMNS)
    hits = 0
    for start in range(0, len(rows), PROGRESS_EVERY):
        chunk = rows[start : start + PROGRESS_EVERY]
        decisions = _decisions(batch, chunk)
        found: list[BatchHit] = []
        late: list[BatchProblem] = []
        for row in chunk:
            line, hit, review = _screen_row(row, live, scorer, decisions, where)
            writer.writerow([escape_formula(v) for v in line])
            hits += hit
            if review is None:
                reason = (
                    f"Screening took longer than {ROW_SECONDS:g} seconds; screen it on its own."
                )
                late.append(BatchProblem(batch=batch, row=row.line, reason=reason))
            for item in review or ():
                item.batch = batch
                found.append(item)
        BatchHit.objects.bulk_create(found)
        BatchProblem.objects.bulk_create(late)
        BatchScreening.objects.filter(pk=batch.pk).update(
            processed_rows=start + len(chunk), hit_rows=hits
        )
    batch.algorithm, batch.threshold = scorer.name, scorer.threshold
    return hits, live.versions


def _decisions(
    batch: BatchScreening, chunk: list[BatchRow]
) -> dict[tuple[str, int, str], Decision]:
    keys = {subject_key(row.query) for row in chunk}
    subjects = Subject.objects.filter(key__in=keys, party=batch.party)
    found: dict[tuple[str, int, str], Decision] = {}
    for decision in (
        Decision.objects.filter(subject__in=subjects)
        .select_related("subject")
        .order_by("decided_at", "id")
    ):
        found[(decision.subject.key, decision.source_id, decision.external_id)] = decision
    return found


def _screen_row(
    row: BatchRow,
    live: LiveIndex,
    scorer: matching.Algorithm,
    decisions: dict[tuple[str, int, str], Decision],
    where: matching.Where,
) -> tuple[list[object], int, list[BatchHit] | None]:
    """The row's line of the result file, 1 if it has an open possible match, and its matches at
    the threshold to review (None: it ran out of time)."""
    try:
        matches = matching.screen(
            live.index,
            row.query,
            scorer.name,
            limit=5,
            min_score=scorer.threshold * NEAR_MISS_SHARE,
            deadline=time.monotonic() + ROW_SECONDS,
            where=where,
        )
    except matching.ScreeningTimeoutError:
        return _not_screened(row), 1, None
    key = subject_key(row.query)
    hits = []
    for match in matches:
        place = live.row_of(match)
        decision = decisions.get((key, place.source_id, match.entity.entity_id))
        hits.append((match, result_status(match, place.fingerprint, decision), decision))
    open_ = [h for h in hits if h[1] in ("new", "review_again", "pending", "confirmed")]
    best = open_[0] if open_ else (hits[0] if hits else None)
    cleared = any(h[1] == "cleared" for h in hits)
    outcome = "possible match" if open_ else ("cleared" if cleared else "no match")
    query = row.query
    line: list[object] = [row.line, row.reference, query.name, "; ".join(query.birth_dates)]
    line += ["; ".join(query.countries), outcome]
    if best is None:
        line += ["", "", "", "", "", 0, ""]
    else:
        match, status, decision = best
        line += [
            f"{match.score:.4f}",
            match.entity.caption,
            match.entity.source,
            match.entity.entity_id,
            decision.get_verdict_display() if decision else "",
            sum(1 for h in hits if h[0].is_match),
            "; ".join(f.explanation for f in match.features if f.contribution),
        ]
    review = [_hit(row, match, status, live) for match, status, _ in hits if match.is_match]
    return line, 1 if open_ else 0, review


def _hit(row: BatchRow, match: matching.Match, status: str, live: LiveIndex) -> BatchHit:
    place = live.row_of(match)
    return BatchHit(
        row=row.line,
        reference=row.reference,
        name=row.query.name,
        birth_dates=list(row.query.birth_dates),
        countries=list(row.query.countries),
        entity_id=place.entity_id,
        source_id=place.source_id,
        external_id=match.entity.entity_id[:200],
        caption=match.entity.caption[:500],
        score=match.score,
        features=match.as_dict()["features"],
        matched_names=list(match.matched_names),
        status=status,
    )


def _not_screened(row: BatchRow) -> list[object]:
    query = row.query
    line: list[object] = [row.line, row.reference, query.name, "; ".join(query.birth_dates)]
    line += ["; ".join(query.countries), "not screened", "", "", "", "", "", 0]
    return [*line, TOO_LONG]


@transaction.atomic
def _finish(batch: BatchScreening, actor: Actor, *, status: str, message: str) -> BatchScreening:
    fresh = BatchScreening.objects.select_for_update().get(pk=batch.pk)
    fresh.status, fresh.message, fresh.finished_at = status, message, timezone.now()
    if status == BatchScreening.Status.DONE:
        fresh.result = batch.result
        fresh.hit_rows, fresh.versions = batch.hit_rows, batch.versions
        fresh.algorithm, fresh.threshold = batch.algorithm, batch.threshold
    fresh.save()
    ledger.record(
        actor=actor,
        action="screening_batch.finish",
        target=fresh,
        data={
            "status": status,
            "rows": fresh.total_rows,
            "hits": fresh.hit_rows,
            "message": message,
        },
    )
    return fresh


@transaction.atomic
def start_batch(
    *, upload: File, file_name: str, purpose: str, party: Organisation | None, actor: User
) -> BatchScreening:
    batch = BatchScreening(
        file_name=file_name[:255], purpose=purpose[:200], created_by=actor, party=party
    )
    batch.upload.save(
        f"batch-{batch.public_id}{Path(file_name).suffix.lower()}", upload, save=False
    )
    batch.save()
    ledger.record(
        actor=actor, action="screening_batch.start", target=batch, data={"file": file_name}
    )
    enqueue_on_commit("portcullis.screening.tasks.run_batch_screening", batch_id=batch.pk)
    return batch


@transaction.atomic
def decide_hit(*, hit: BatchHit, verdict: str, reason: str, actor: User) -> BatchHit:
    """A reviewer's decision on one possible match of a batch row, with its reason."""
    if verdict not in BatchHit.Verdict.values:
        raise BatchError("Choose true match, false positive or needs more information.")
    reason = reason.strip()
    if not reason:
        raise BatchError("Give the reason for the decision.")
    locked = BatchHit.objects.select_for_update().get(pk=hit.pk)
    locked.verdict, locked.reason = verdict, reason[:4000]
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.save(update_fields=["verdict", "reason", "decided_by", "decided_at"])
    ledger.record(
        actor=actor,
        action="screening_batch.decide",
        target=locked,
        data={
            "batch": str(locked.batch.public_id),
            "row": locked.row,
            "entity": locked.external_id,
            "verdict": verdict,
        },
    )
    return locked
