"""The one index over every list version in force, on disk and shared by every process.

It is keyed by the public ids of the current versions. The index for a key is built once (by the
`build_screening_index` task an import enqueues, or by whichever process first needs it) and
saved under `SCREENING_INDEX_DIR/<matcher code version>-<digest of the key>/`; every web and task
process maps that directory read-only (`matching.NameIndex.load`), so they share one copy in
memory and a process opens it in milliseconds. A process asks for the key (one small query) on
every screening and opens the new directory when it differs, so an import is seen everywhere
without messages. A changed matcher or normalising library saves under another name.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import DatabaseError, connection

from portcullis.accounts.need_to_know import viewer_of

from . import matching
from .models import ListEntity, ListSource

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portcullis.accounts.models import User

logger = logging.getLogger(__name__)

# An index no process has opened for this long is deleted when a newer one is saved (a process
# still holding it keeps reading it: its files stay readable until it lets go).
KEEP_OLD_SECONDS = 3600


@dataclass(frozen=True)
class Row:
    """Where an indexed entity lives in the database."""

    entity_id: int
    version_id: int
    source_id: int
    fingerprint: str


@dataclass(frozen=True, order=True)
class Version:
    slug: str
    number: int
    version_id: int
    public_id: str
    source_id: int


@dataclass(frozen=True)
class LiveIndex:
    key: str
    index: matching.NameIndex
    versions: dict[str, int]  # source slug -> version number in force
    places: dict[str, tuple[int, int]]  # source slug -> (version id, source id)

    def row_of(self, match: matching.Match) -> Row:
        entity_id, fingerprint = self.index.payload(match.position)
        version_id, source_id = self.places[match.entity.source]
        return Row(entity_id, version_id, source_id, fingerprint)


def readable_by(user: User | AnonymousUser | None) -> matching.Where:
    """The entries `user` may see in results: every entry without an audience, and those whose
    audience admits them (a security alert's names: by its TLP and audience). Pass it to
    `matching.screen(where=...)`; with no user, only entries without an audience."""
    viewer = viewer_of(user)
    return lambda source, audience: audience is None or audience.admits(viewer)


_lock = threading.Lock()
_cached: LiveIndex | None = None


def current_versions() -> list[Version]:
    """Every list version in force, by source slug."""
    rows = ListSource.objects.filter(current_version__isnull=False).values_list(
        "slug",
        "current_version__number",
        "current_version_id",
        "current_version__public_id",
        "pk",
    )
    return sorted(Version(slug, n, pk, str(public), source) for slug, n, pk, public, source in rows)


def key_of(versions: list[Version]) -> str:
    return ",".join(v.public_id for v in versions)


def current_index() -> LiveIndex:
    global _cached
    versions = current_versions()
    key = key_of(versions)
    found = _cached
    if found is not None and found.key == key:
        return found
    with _lock:
        if _cached is None or _cached.key != key:
            _cached = LiveIndex(
                key=key,
                index=matching.NameIndex.load(prepare_index(versions)),
                versions={v.slug: v.number for v in versions},
                places={v.slug: (v.version_id, v.source_id) for v in versions},
            )
        return _cached


def open_in_background() -> threading.Thread:
    """Open the index in a thread as a server process starts, so that its first screening does
    not wait for the index to be opened (a screening that comes sooner waits on the lock)."""

    def run() -> None:
        try:
            current_index()
        except DatabaseError:
            logger.warning("screening index not opened at start-up", exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=run, name="screening-index", daemon=True)
    thread.start()
    return thread


def prepare_index(versions: list[Version] | None = None) -> Path:
    """The directory of the saved index for `versions` (default: those in force), built and
    saved first if no process has done it yet. One process builds at a time; the others wait
    and then open what it saved."""
    versions = current_versions() if versions is None else versions
    root = Path(settings.SCREENING_INDEX_DIR)
    lists = hashlib.sha256(key_of(versions).encode()).hexdigest()[:32]
    directory = root / f"{matching.code_version()}-{lists}"
    if not (directory / "meta.json").exists():
        root.mkdir(parents=True, exist_ok=True)
        with _build_lock(root):
            if not (directory / "meta.json").exists():
                _save(_build(versions), directory)
                _prune(root, keep=directory)
    os.utime(directory)  # opened: not pruned for another KEEP_OLD_SECONDS
    return directory


@contextmanager
def _build_lock(root: Path) -> Iterator[None]:
    with (root / ".build.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build(versions: list[Version]) -> matching.NameIndex:
    """Each entity with its row's id and fingerprint (`LiveIndex.row_of`), read in chunks."""
    slugs = {v.version_id: v.slug for v in versions}
    queryset = ListEntity.objects.filter(version_id__in=slugs).order_by("version_id", "id")
    records = queryset.iterator(chunk_size=5000)
    return matching.NameIndex.build_with_payloads(
        (r.as_entity(slugs[r.version_id]), [r.pk, r.fingerprint]) for r in records
    )


def _save(index: matching.NameIndex, directory: Path) -> None:
    """Saved beside, then renamed into place: a directory under its final name is complete."""
    partial = directory.with_name(f".{directory.name}.{os.getpid()}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    index.save(partial)
    partial.rename(directory)


def _prune(root: Path, *, keep: Path) -> None:
    cutoff = time.time() - KEEP_OLD_SECONDS
    for directory in root.iterdir():
        if directory != keep and directory.is_dir() and directory.stat().st_mtime < cutoff:
            shutil.rmtree(directory, ignore_errors=True)
