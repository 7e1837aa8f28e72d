"""Batch screening: a CSV or XLSX of subjects in, a formula-escaped result CSV out.

Rows are read in full first (up to `MAX_ROWS`), so a bad file fails before any screening and the
progress bar has a total. Earlier decisions for the same subject in the same party apply here as
they do on the screening page; batch rows do not create subjects of their own.
"""

from __future__ import annotations

import csv
import io
import tempfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
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
from .models import BatchScreening, Decision, Subject
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


@dataclass(frozen=True)
class BatchRow:
    line: int
    reference: str
    query: matching.Subject


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


def _row(line: int, cells: dict[str, str]) -> BatchRow:
    for column, value in cells.items():
        if len(value) > MAX_FIELD_CHARS:
            raise BatchError(
                f"Row {line}, {column}: the cell holds {len(value):,} characters; "
                f"at most {MAX_FIELD_CHARS:,}."
            )
    aliases = _split(cells.get("aliases", ""))
    if len(aliases) > MAX_ALIASES:
        raise BatchError(f"Row {line}, aliases: {len(aliases):,} names; at most {MAX_ALIASES}.")
    name = cells.get("name", "").strip()
    if not name:
        raise BatchError(f"Row {line}: the name is empty.")
    kind = cells.get("type", "").strip().lower()
    if kind not in TYPES:
        raise BatchError(f"Row {line}: type must be person or organisation, not {kind!r}.")
    query = matching.Subject(
        name=name[:300],
        aliases=aliases,
        birth_dates=_split(cells.get("birth_date", "") or cells.get("dob", "")),
        countries=_split(cells.get("country", "")),
        entity_type=matching.EntityType(TYPES[kind]),
    )
    return BatchRow(line, cells.get("reference", "")[:200], query)


def read_batch(handle: IO[bytes], file_name: str) -> list[BatchRow]:
    if file_name.lower().endswith(".xlsx"):
        rows = _xlsx_rows(handle)
    else:
        try:
            rows = read_rows(decode(handle.read(), max_bytes=MAX_BYTES), required={"name"})
        except CSVError as exc:
            raise BatchError(str(exc)) from exc
    found: list[BatchRow] = []
    try:
        for line, cells in rows:
            if len(found) >= MAX_ROWS:
                raise BatchError(f"The file has more than {MAX_ROWS:,} rows; split it.")
            found.append(_row(line, cells))
    except CSVError as exc:
        raise BatchError(str(exc)) from exc
    if not found:
        raise BatchError("The file has no rows to screen.")
    return found


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
            cells = {
                h: "" if v is None else clean_text(str(v)).strip()
                for h, v in zip(header, values, strict=False)
                if h
            }
            if any(cells.values()):
                yield number, cells
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
    """Screen every row, updating progress as it goes; the result is a CSV file on the batch."""
    BatchScreening.objects.filter(pk=batch.pk).update(status=BatchScreening.Status.RUNNING)
    try:
        with batch.upload.open("rb") as handle:
            rows = read_batch(handle, batch.file_name)
        BatchScreening.objects.filter(pk=batch.pk).update(total_rows=len(rows))
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
        for row in chunk:
            line, hit = _screen_row(row, live, scorer, decisions, where)
            writer.writerow([escape_formula(v) for v in line])
            hits += hit
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
) -> tuple[list[object], int]:
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
        return _not_screened(row), 1
    key = subject_key(row.query)
    hits = []
    for match in matches:
        place = live.row_of(match)
        decision = decisions.get((key, place.source_id, match.entity.entity_id))
        hits.append((match, result_status(match, place.fingerprint, decision), decision))
    open_ = [h for h in hits if h[1] in ("new", "review_again", "confirmed")]
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
    return line, 1 if open_ else 0


def _not_screened(row: BatchRow) -> list[object]:
    query = row.query
    line: list[object] = [row.line, row.reference, query.name, "; ".join(query.birth_dates)]
    line += ["; ".join(query.countries), "not screened", "", "", "", "", "", 0]
    return [*line, f"Screening took longer than {ROW_SECONDS:g} seconds; screen it on its own."]


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
