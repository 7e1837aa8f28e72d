"""Putting a list in force: parse a published file (or edit a watchlist), store the entities as a
new version beside the current one, then switch to it in one transaction with its diff.

Until the switch nothing that screening reads has changed, so a file that fails to parse, or an
import that dies half way, leaves the previous version in force.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from portcullis import ledger
from portcullis.ledger.actors import Actor, user_of
from portcullis.lib.audience import Audience
from portcullis.lib.tasks import enqueue_on_commit

from . import matching
from .models import ListEntity, ListSource, ListVersion
from .sources import SOURCES, SourceFormatError

if TYPE_CHECKING:
    pass

Progress = Callable[[str, int], None]  # (stage, per cent)
STORE_CHUNK = 2000
ALERTS_WATCHLIST = ("Security alerts", "security-alerts")


class ListImportError(Exception):
    """The file or entry was rejected; the message says why and is fit to show."""


def _quiet(stage: str, percent: int) -> None:
    return None


# --- parsing ------------------------------------------------------------------------------------


def parse_list(*, kind: str, data: bytes | None = None, path: str | Path | None = None) -> list:
    """Entities of one published file, or `ListImportError` naming the line or record."""
    return _parse(kind=kind, data=data, path=path)[0]


def _parse(*, kind: str, data: bytes | None, path: str | Path | None) -> tuple[list, date | None]:
    """The file's entities and the publication date it gives itself."""
    if kind not in SOURCES:
        known = ", ".join(sorted(SOURCES))
        raise ListImportError(f"Unknown list format {kind!r}; known formats: {known}.")
    parser = SOURCES[kind]()
    try:
        if data is None:
            if path is None:
                raise ListImportError("Give the file's bytes or its path.")
            size = Path(path).stat().st_size
            if size > parser.max_bytes:
                limit = parser.max_bytes
                raise parser.error("file", f"{size} bytes is over the {limit}-byte limit")
            data = Path(path).read_bytes()
        return parser.parse(data), parser.published(data)
    except SourceFormatError as exc:
        raise ListImportError(
            f"The file was rejected and the previous version stays in force. {exc}"
        ) from exc


def import_list(
    *,
    source: ListSource,
    actor: Actor,
    data: bytes | None = None,
    path: str | Path | None = None,
    file_name: str = "",
    progress: Progress = _quiet,
) -> ListVersion:
    """Parse a published list file and put it in force as the source's next version.

    The same file as the version in force (same SHA-256) makes no new version: the version in
    force is returned with `confirmed_at` set, so its page shows when it was last checked.
    """
    if source.is_internal:
        raise ListImportError("Internal watchlists are edited entry by entry, not imported.")
    progress("Reading the file", 5)
    if data is not None:
        digest = hashlib.sha256(data).hexdigest()
    else:
        with Path(str(path)).open("rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
    name = file_name or (Path(path).name if path else "")
    unchanged = _confirm_unchanged(source=source, sha256=digest, file_name=name, actor=actor)
    if unchanged is not None:
        progress("Identical to the version in force", 100)
        return unchanged
    entities, published_on = _parse(kind=source.kind, data=data, path=path)
    return publish_version(
        source=source,
        entities=entities,
        actor=actor,
        file_name=name,
        sha256=digest,
        published_on=published_on,
        progress=progress,
    )


# --- storing and switching ----------------------------------------------------------------------


@transaction.atomic
def _confirm_unchanged(
    *, source: ListSource, sha256: str, file_name: str, actor: Actor
) -> ListVersion | None:
    locked = ListSource.objects.select_for_update().get(pk=source.pk)
    version = locked.current_version
    if version is None or version.sha256 != sha256:
        return None
    version.confirmed_at = timezone.now()
    version.save(update_fields=["confirmed_at"])
    ledger.record(
        actor=actor,
        action="list_version.confirm",
        target=version,
        data={"source": locked.slug, "version": version.number, "file": file_name[:255]},
    )
    return version


def fingerprint(entity: matching.Entity) -> str:
    content: list[Any] = [
        list(entity.names),
        entity.entity_type.value,
        list(entity.birth_dates),
        list(entity.countries),
        [[i.value, i.kind] for i in entity.identifiers],
        list(entity.topics),
        [list(n) for n in entity.notes],
    ]
    if entity.audience is not None:  # only then, so no other entry's fingerprint changed
        content.append(entity.audience.as_data())
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


def _row(version: ListVersion, entity: matching.Entity) -> ListEntity:
    return ListEntity(
        version=version,
        external_id=entity.entity_id[:200],
        entity_type=entity.entity_type.value,
        caption=entity.caption[:500],
        names=list(entity.names),
        birth_dates=list(entity.birth_dates),
        countries=list(entity.countries),
        identifiers=[[i.value, i.kind] for i in entity.identifiers],
        topics=list(entity.topics),
        notes=[list(n) for n in entity.notes],
        audience=entity.audience.as_data() if entity.audience is not None else None,
        fingerprint=fingerprint(entity),
    )


def _unique(entities: Iterable[matching.Entity]) -> list[matching.Entity]:
    """One record per id: a repeated id keeps its first record (a diff needs unique ids)."""
    seen: dict[str, matching.Entity] = {}
    for entity in entities:
        seen.setdefault(entity.entity_id[:200], entity)
    return list(seen.values())


def publish_version(
    *,
    source: ListSource,
    entities: Iterable[matching.Entity],
    actor: Actor,
    file_name: str = "",
    sha256: str = "",
    note: str = "",
    published_on: date | None = None,
    progress: Progress = _quiet,
) -> ListVersion:
    unique = _unique(entities)
    if not unique:
        raise ListImportError("The list is empty; the previous version stays in force.")
    version = _pending_version(source, actor, file_name, sha256, note, published_on)
    try:
        for start in range(0, len(unique), STORE_CHUNK):
            chunk = unique[start : start + STORE_CHUNK]
            with transaction.atomic():
                ListEntity.objects.bulk_create(_row(version, e) for e in chunk)
            progress("Storing entities", 10 + int(80 * (start + len(chunk)) / len(unique)))
        progress("Comparing with the version in force", 92)
        _switch(version=version, actor=actor, count=len(unique))
    except BaseException:
        ListVersion.objects.filter(pk=version.pk, status=ListVersion.Status.PENDING).delete()
        raise
    progress("In force", 100)
    return version


@transaction.atomic
def _pending_version(
    source: ListSource,
    actor: Actor,
    file_name: str,
    sha256: str,
    note: str,
    published_on: date | None = None,
) -> ListVersion:
    locked = ListSource.objects.select_for_update().get(pk=source.pk)
    last = locked.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return ListVersion.objects.create(
        source=locked,
        number=last + 1,
        created_by=user_of(actor),
        file_name=file_name[:255],
        sha256=sha256,
        note=note[:300],
        published_on=published_on,
    )


@transaction.atomic
def _switch(*, version: ListVersion, actor: Actor, count: int) -> None:
    source = ListSource.objects.select_for_update().get(pk=version.source_id)
    previous = source.current_version
    diff = compute_diff(previous, version)
    version.entity_count = count
    version.diff = diff
    version.added_count = len(diff["added"])
    version.removed_count = len(diff["removed"])
    version.changed_count = len(diff["changed"])
    version.status = ListVersion.Status.CURRENT
    version.save()
    if previous is not None:
        previous.status = ListVersion.Status.SUPERSEDED
        previous.save(update_fields=["status"])
    source.current_version = version
    source.save(update_fields=["current_version"])
    ledger.record(
        actor=actor,
        action="list_version.publish",
        target=version,
        data={
            "source": source.slug,
            "number": version.number,
            "entities": count,
            "added": version.added_count,
            "removed": version.removed_count,
            "changed": version.changed_count,
            "sha256": version.sha256,
        },
    )
    enqueue_on_commit("portcullis.screening.tasks.build_screening_index")
    enqueue_on_commit("portcullis.screening.tasks.rescreen_monitored_subjects")


def compute_diff(previous: ListVersion | None, version: ListVersion) -> dict[str, list[list[str]]]:
    old = _content(previous) if previous is not None else {}
    new = _content(version)
    return {
        "added": sorted([i, new[i][1]] for i in new.keys() - old.keys()),
        "removed": sorted([i, old[i][1]] for i in old.keys() - new.keys()),
        "changed": sorted([i, new[i][1]] for i in new.keys() & old.keys() if old[i] != new[i]),
    }


def _content(version: ListVersion) -> dict[str, tuple[str, str]]:
    rows = version.entities.values_list("external_id", "fingerprint", "caption")
    return {external_id: (print_, caption) for external_id, print_, caption in rows.iterator()}


# --- sources and internal watchlists -----------------------------------------------------------


DEFAULT_NAMES = {
    ListSource.Kind.OPENSANCTIONS: "OpenSanctions",
    ListSource.Kind.UN_SC: "UN Security Council consolidated list",
    ListSource.Kind.UK_OFSI: "UK OFSI consolidated list",
}


@transaction.atomic
def create_source(
    *, name: str, kind: str, actor: Actor, description: str = "", slug: str = ""
) -> ListSource:
    if kind not in ListSource.Kind.values:
        raise ListImportError(f"Unknown list kind {kind!r}.")
    slug = slug or slugify(name)[:60] or kind
    if ListSource.objects.filter(Q(slug=slug) | Q(name=name)).exists():
        raise ListImportError(f"There is already a list called {name!r}.")
    source = ListSource.objects.create(name=name, slug=slug, kind=kind, description=description)
    ledger.record(actor=actor, action="list_source.create", target=source, data={"kind": kind})
    return source


def source_for(*, kind: str, name: str | None, actor: Actor) -> ListSource:
    """The named source, or the default source of that format (slug = the format's key),
    created on first use."""
    if name is None:
        found = ListSource.objects.filter(slug=kind).first()
        if found is None:
            label = DEFAULT_NAMES.get(ListSource.Kind(kind), kind)
            return create_source(name=label, kind=kind, actor=actor, slug=kind)
    else:
        found = ListSource.objects.filter(name=name).first()
        if found is None:
            return create_source(name=name, kind=kind, actor=actor)
    if found.kind != kind:
        raise ListImportError(f"{found.name!r} holds {found.get_kind_display()} files, not {kind}.")
    return found


@dataclass(frozen=True)
class WatchlistEntry:
    """One entry typed in by a security officer or generated from a security alert."""

    name: str
    aliases: tuple[str, ...] = ()
    birth_dates: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    entity_type: str = matching.EntityType.UNKNOWN.value
    identifiers: tuple[tuple[str, str], ...] = ()  # (value, kind)
    note: str = ""
    key: str = ""  # stable id within an alert, so re-sending an alert updates in place
    topics: tuple[str, ...] = field(default=("watchlist",))
    audience: Audience | None = None  # who may see it in results; None: anyone who screens

    def as_entity(self, entity_id: str, source: ListSource) -> matching.Entity:
        name = " ".join(self.name.split())
        if not name:
            raise ListImportError("A watchlist entry needs a name.")
        notes = (("note", self.note.strip()),) if self.note.strip() else ()
        return matching.Entity(
            entity_id=entity_id,
            source=source.slug,
            names=tuple(dict.fromkeys([name, *(a.strip() for a in self.aliases if a.strip())])),
            entity_type=matching.EntityType(self.entity_type),
            birth_dates=tuple(d.strip() for d in self.birth_dates if d.strip()),
            countries=tuple(c.strip() for c in self.countries if c.strip()),
            identifiers=tuple(matching.Identifier(v.strip(), k) for v, k in self.identifiers),
            topics=self.topics,
            notes=notes,
            audience=self.audience,
        )


def current_entities(source: ListSource) -> list[matching.Entity]:
    version_id = ListSource.objects.filter(pk=source.pk).values_list("current_version", flat=True)
    rows = ListEntity.objects.filter(version_id__in=version_id).order_by("id")
    return [row.as_entity(source.slug) for row in rows]


def _lock_internal(source: ListSource) -> ListSource:
    """Watchlist edits read the entries in force and write the next version: one at a time."""
    locked = ListSource.objects.select_for_update().get(pk=source.pk)
    if not locked.is_internal:
        raise ListImportError(f"{source.name} is a published list; import a new file instead.")
    return locked


@transaction.atomic
def add_watchlist_entry(*, source: ListSource, entry: WatchlistEntry, actor: Actor) -> ListVersion:
    source = _lock_internal(source)
    entity = entry.as_entity(f"internal:{uuid.uuid4().hex[:16]}", source)
    return publish_version(
        source=source,
        entities=[*current_entities(source), entity],
        actor=actor,
        note=f"added {entity.caption}",
    )


@transaction.atomic
def remove_watchlist_entry(*, source: ListSource, external_id: str, actor: Actor) -> ListVersion:
    source = _lock_internal(source)
    before = current_entities(source)
    after = [e for e in before if e.entity_id != external_id]
    if len(after) == len(before):
        raise ListImportError("That entry is not on the watchlist.")
    if not after:
        raise ListImportError("A watchlist keeps at least one entry; add another first.")
    return publish_version(
        source=source, entities=after, actor=actor, note=f"removed {external_id}"
    )


@transaction.atomic
def upsert_alert_watchlist_entries(
    *, alert_key: str, entries: Iterable[WatchlistEntry], actor: Actor
) -> ListVersion | None:
    """Make the security-alerts watchlist hold exactly `entries` for this alert (none: the alert
    was withdrawn). Called by the intel app; idempotent — an unchanged alert makes no version."""
    name, slug = ALERTS_WATCHLIST
    source = ListSource.objects.filter(slug=slug).first() or create_source(
        name=name, kind=ListSource.Kind.INTERNAL, actor=actor, description="Fed by security alerts"
    )
    source = _lock_internal(source)
    prefix = f"alert:{alert_key}:"
    kept = [e for e in current_entities(source) if not e.entity_id.startswith(prefix)]
    fresh = [
        _alert_entry(entry, alert_key).as_entity(f"{prefix}{entry.key or n}", source)
        for n, entry in enumerate(entries, start=1)
    ]
    wanted = kept + fresh
    now = {fingerprint(e) + e.entity_id for e in current_entities(source)}
    if now == {fingerprint(e) + e.entity_id for e in wanted}:
        return None
    if not wanted:
        return _retire_all(source, actor, alert_key)
    return publish_version(
        source=source, entities=wanted, actor=actor, note=f"alert {alert_key}: {len(fresh)} entries"
    )


def _alert_entry(entry: WatchlistEntry, alert_key: str) -> WatchlistEntry:
    note = f"security alert {alert_key}" + (f": {entry.note}" if entry.note else "")
    return WatchlistEntry(
        name=entry.name,
        aliases=entry.aliases,
        birth_dates=entry.birth_dates,
        countries=entry.countries,
        entity_type=entry.entity_type,
        identifiers=entry.identifiers,
        note=note,
        key=entry.key,
        topics=("alert",),
        audience=entry.audience,
    )


@transaction.atomic
def _retire_all(source: ListSource, actor: Actor, alert_key: str) -> None:
    """The last alert was withdrawn: the watchlist stops being screened against."""
    locked = ListSource.objects.select_for_update().get(pk=source.pk)
    previous = locked.current_version
    if previous is None:
        return None
    previous.status = ListVersion.Status.SUPERSEDED
    previous.save(update_fields=["status"])
    locked.current_version = None
    locked.save(update_fields=["current_version"])
    ledger.record(
        actor=actor,
        action="list_version.retire",
        target=previous,
        data={"source": locked.slug, "alert": alert_key},
    )
    enqueue_on_commit("portcullis.screening.tasks.build_screening_index")
    enqueue_on_commit("portcullis.screening.tasks.rescreen_monitored_subjects")
    return None
