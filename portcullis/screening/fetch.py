"""Published lists fetched from their publisher's address on a schedule.

A fetch is a conditional GET (`If-None-Match` / `If-Modified-Since` from the last answer), bounded
in bytes (the format's own size limit) and in time (a deadline over the whole download, not only
per read), and refused for anything but http(s), redirects included. What arrives goes through
`import_list` exactly like an upload: the same validation, the same diff, and an identical file
makes no new version. Every outcome is written on the source, so the lists page can show it, and
in the ledger.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portcullis import ledger
from portcullis.ledger.actors import Actor

from .imports import ListImportError, import_list
from .models import ListSource
from .sources import SOURCES

if TYPE_CHECKING:
    from portcullis.accounts.models import User

CHUNK = 64 * 1024


class FetchError(Exception):
    """The download failed or was refused; the message is for people."""


@dataclass(frozen=True)
class FetchOutcome:
    status: str  # a ListSource.FetchStatus value
    message: str


def _opener() -> urllib.request.OpenerDirector:
    """http(s) only, redirects included: no file://, ftp:// or data: handlers at all."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPErrorProcessor(),
        urllib.request.HTTPDefaultErrorHandler(),
    ):
        opener.add_handler(handler)
    return opener


def check_url(url: str) -> str:
    """The address as given, or `FetchError` saying what is wrong with it."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError("Enter an address that starts with https:// (or http://).")
    return url.strip()


def download(
    url: str, *, max_bytes: int, timeout: float, etag: str = "", last_modified: str = ""
) -> tuple[bytes | None, str, str]:
    """The body (None when the publisher says it has not changed), and the new validators."""
    # http(s) only: check_url refuses other schemes and the opener has no other handlers.
    request = urllib.request.Request(check_url(url), headers={"User-Agent": "Portcullis"})  # noqa: S310
    if etag:
        request.add_header("If-None-Match", etag)
    if last_modified:
        request.add_header("If-Modified-Since", last_modified)
    deadline = time.monotonic() + timeout
    try:
        with _opener().open(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"The file is {declared} bytes, over the {max_bytes}-byte limit.")
            body = bytearray()
            while chunk := response.read1(CHUNK):  # what has arrived, so the deadline holds
                body += chunk
                if len(body) > max_bytes:
                    raise FetchError(f"The file is over the {max_bytes}-byte limit.")
                if time.monotonic() > deadline:
                    raise FetchError(f"The download took longer than {timeout:g} seconds.")
            headers = response.headers
            return bytes(body), headers.get("ETag", ""), headers.get("Last-Modified", "")
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return None, etag, last_modified
        raise FetchError(f"The publisher answered {exc.code} {exc.reason}.") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError) or isinstance(exc, TimeoutError):
            raise FetchError(f"The download took longer than {timeout:g} seconds.") from None
        raise FetchError(f"The download failed: {reason}.") from None


def fetch_source(*, source: ListSource, actor: Actor) -> FetchOutcome:
    """Fetch one source now and import what changed."""
    if not source.download_url:
        raise FetchError(f"{source.name} has no download address.")
    source.refresh_from_db()
    before = source.current_version_id
    status = ListSource.FetchStatus
    try:
        body, etag, modified = download(
            source.download_url,
            max_bytes=SOURCES[source.kind]().max_bytes,
            timeout=settings.PORTCULLIS_LIST_FETCH_TIMEOUT,
            etag=source.fetch_etag,
            last_modified=source.fetch_last_modified,
        )
    except FetchError as exc:
        return _finish(source, actor, FetchOutcome(status.FAILED, str(exc)))
    if body is None:
        outcome = FetchOutcome(status.UNCHANGED, "The publisher says the file has not changed.")
        return _finish(source, actor, outcome, etag, modified)
    file_name = urlsplit(source.download_url).path.rsplit("/", 1)[-1][:255]
    try:
        version = import_list(source=source, data=body, actor=actor, file_name=file_name)
    except ListImportError as exc:
        return _finish(source, actor, FetchOutcome(status.REJECTED, str(exc)))
    if version.pk == before:
        outcome = FetchOutcome(status.UNCHANGED, f"Identical to version {version.number}.")
    else:
        outcome = FetchOutcome(
            status.IMPORTED,
            f"Version {version.number} in force: {version.added_count} added, "
            f"{version.removed_count} removed, {version.changed_count} changed.",
        )
    return _finish(source, actor, outcome, etag, modified)


@transaction.atomic
def _finish(
    source: ListSource,
    actor: Actor,
    outcome: FetchOutcome,
    etag: str | None = None,
    modified: str | None = None,
) -> FetchOutcome:
    fields = {
        "last_fetched_at": timezone.now(),
        "last_fetch_status": outcome.status,
        "last_fetch_message": outcome.message[:500],
    }
    if etag is not None and modified is not None:
        fields |= {"fetch_etag": etag[:200], "fetch_last_modified": modified[:100]}
    ListSource.objects.filter(pk=source.pk).update(**fields)
    for name, value in fields.items():
        setattr(source, name, value)
    ledger.record(
        actor=actor,
        action="list_source.fetch",
        target=source,
        data={"outcome": outcome.status, "message": outcome.message[:500]},
    )
    return outcome


@transaction.atomic
def set_download_url(*, source: ListSource, url: str, actor: User) -> ListSource:
    """Set (or, with an empty address, stop) the scheduled fetch of a published list."""
    if source.is_internal:
        raise FetchError("Internal watchlists are edited entry by entry, not fetched.")
    url = check_url(url) if url.strip() else ""
    source.download_url = url
    source.fetch_etag = source.fetch_last_modified = ""
    source.save(update_fields=["download_url", "fetch_etag", "fetch_last_modified"])
    ledger.record(actor=actor, action="list_source.set_download", target=source, data={"url": url})
    return source


def fetch_due(*, actor: Actor, now: datetime | None = None) -> int:
    """Fetch every source whose last fetch is older than its interval; the number fetched."""
    now = now or timezone.now()
    fetched = 0
    for source in ListSource.objects.exclude(download_url="").order_by("pk"):
        last = source.last_fetched_at
        if last is None or now - last >= timedelta(hours=source.fetch_every_hours):
            fetch_source(source=source, actor=actor)
            fetched += 1
    return fetched
