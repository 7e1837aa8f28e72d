"""The one index over every list version in force, per process.

It is keyed by the public ids of the current versions: a process asks for the key (one small
query) on every screening and rebuilds lazily when it differs, so an import in one process is
seen by every web worker and task worker without any message passing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from portcullis.accounts.need_to_know import viewer_of

from . import matching
from .models import ListEntity, ListSource

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portcullis.accounts.models import User


@dataclass(frozen=True)
class Row:
    """Where an indexed entity lives in the database."""

    entity_id: int
    version_id: int
    source_id: int
    fingerprint: str


@dataclass(frozen=True)
class LiveIndex:
    key: str
    index: matching.NameIndex
    versions: dict[str, int]  # source slug -> version number in force
    rows: dict[int, Row]  # id(Entity) -> Row; valid while this index is alive

    def row_of(self, entity: matching.Entity) -> Row:
        return self.rows[id(entity)]


def readable_by(user: User | AnonymousUser | None) -> Callable[[matching.Entity], bool]:
    """The entries `user` may see in results: every entry without an audience, and those whose
    audience admits them (a security alert's names: by its TLP and audience). Pass it to
    `matching.screen(where=...)`; with no user, only entries without an audience."""
    viewer = viewer_of(user)
    return lambda entity: entity.audience is None or entity.audience.admits(viewer)


_lock = threading.Lock()
_cached: LiveIndex | None = None


def current_versions() -> list[tuple[str, int, int, str]]:
    """(source slug, version number, version id, version public id) of every list in force."""
    rows = ListSource.objects.filter(current_version__isnull=False).values_list(
        "slug", "current_version__number", "current_version_id", "current_version__public_id"
    )
    return sorted((slug, number, pk, str(public)) for slug, number, pk, public in rows)


def key_of(versions: list[tuple[str, int, int, str]]) -> str:
    return ",".join(public for _, _, _, public in versions)


def current_index() -> LiveIndex:
    global _cached
    versions = current_versions()
    key = key_of(versions)
    found = _cached
    if found is not None and found.key == key:
        return found
    with _lock:
        if _cached is None or _cached.key != key:
            _cached = _build(key, versions)
        return _cached


def _build(key: str, versions: list[tuple[str, int, int, str]]) -> LiveIndex:
    slugs = {pk: slug for slug, _, pk, _ in versions}
    source_ids = dict(
        ListSource.objects.filter(current_version_id__in=slugs).values_list(
            "current_version_id", "pk"
        )
    )
    entities: list[matching.Entity] = []
    rows: dict[int, Row] = {}
    queryset = ListEntity.objects.filter(version_id__in=slugs).order_by("version_id", "id")
    for record in queryset.iterator(chunk_size=5000):
        entity = record.as_entity(slugs[record.version_id])
        entities.append(entity)
        rows[id(entity)] = Row(
            record.pk, record.version_id, source_ids[record.version_id], record.fingerprint
        )
    return LiveIndex(
        key=key,
        index=matching.NameIndex.build(entities),
        versions={slug: number for slug, number, _, _ in versions},
        rows=rows,
    )
