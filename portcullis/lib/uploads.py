"""Uploaded files: bounded in size, number and type; the type is read from the content, not
trusted from the name or the browser. Oversized uploads are dropped while they stream in.

Each app names the kinds it accepts (`Kind`: the content type served, the magic prefixes, and a
content check where the prefix is not enough); this module is the one place that checks them.
"""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email import message_from_bytes, policy
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class UploadError(ValueError):
    pass


@dataclass(frozen=True)
class Kind:
    content_type: str
    magic: tuple[bytes, ...] = ()
    # (name, the whole file) -> raises UploadError when the content is not this kind
    check: Callable[[str, bytes], None] | None = None


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    original_name: str
    content_type: str
    extension: str
    sha256: str
    size: int

    @property
    def stored_name(self) -> str:
        return f"{uuid.uuid4().hex}{self.extension}"


def safe_name(name: str, default: str = "file") -> str:
    """The name as shown to people and in downloads: no path, no control characters."""
    base = PurePath(name.replace("\\", "/")).name
    cleaned = "".join(c for c in base if c.isprintable() and c not in '"\r\n;')
    return cleaned[:150] or default


def accept(allowed: Mapping[str, Kind]) -> str:
    return ",".join(allowed)


def check(
    upload: UploadedFile,
    *,
    allowed: Mapping[str, Kind],
    max_bytes: int,
    refusal: str,
    default_name: str = "file",
) -> CheckedFile:
    """The upload checked against `allowed` (by extension, then by content); `refusal` says in
    words which kinds are accepted, after the file's name."""
    name = safe_name(upload.name or "", default_name)
    extension = PurePath(name).suffix.lower()
    if extension not in allowed:
        raise UploadError(f"{name}: {refusal}")
    size = upload.size or 0
    if size > max_bytes:
        raise UploadError(f"{name} is larger than {max_bytes // (1024 * 1024)} MB.")
    if size == 0:
        raise UploadError(f"{name} is empty.")
    digest, head = _read(upload)
    kind = allowed[extension]
    if kind.magic and not head.startswith(kind.magic):
        raise UploadError(f"{name} is not really a {extension[1:].upper()} file.")
    if kind.check is not None:
        data = upload.read(max_bytes)
        upload.seek(0)
        kind.check(name, data)
    return CheckedFile(upload, name, kind.content_type, extension, digest, size)


def _read(upload: UploadedFile) -> tuple[str, bytes]:
    digest = hashlib.sha256()
    head = b""
    upload.seek(0)
    for chunk in upload.chunks():
        if not head:
            head = chunk[:16]
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest(), head


# --- content checks -----------------------------------------------------------------------------


def utf8_text(name: str, data: bytes) -> None:
    if b"\x00" in data:
        raise UploadError(f"{name} is not a text file.")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UploadError(f"{name} is not UTF-8 text.") from exc


def email_message(name: str, data: bytes) -> None:
    if b"\x00" in data:
        raise UploadError(f"{name} is not a text file.")
    message = message_from_bytes(data, policy=policy.default)
    if not (message.get("From") or message.get("Subject") or message.get("Date")):
        raise UploadError(f"{name} does not look like a forwarded e-mail (.eml).")


def calendar(name: str, data: bytes) -> None:
    utf8_text(name, data)
    if not data.lstrip(b"\xef\xbb\xbf \r\n\t").upper().startswith(b"BEGIN:VCALENDAR"):
        raise UploadError(f"{name} is not really a calendar invitation (.ics).")


def office_document(main_part: str) -> Callable[[str, bytes], None]:
    """A Word or Excel file (Office Open XML, a zip) with `main_part` and no macros."""

    def check_office(name: str, data: bytes) -> None:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                parts = {info.filename.lower() for info in archive.infolist()}
                types = archive.read("[Content_Types].xml")[:200_000].lower()
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise UploadError(f"{name} is not really a Word or Excel document.") from exc
        if main_part not in parts:
            raise UploadError(f"{name} is not really a {PurePath(name).suffix[1:].upper()} file.")
        if any(p.endswith(("vbaproject.bin", ".bin")) for p in parts) or b"macroenabled" in types:
            raise UploadError(f"{name} contains macros: save it without them (as .docx or .xlsx).")

    return check_office


# --- bounding uploads while they stream in ------------------------------------------------------


class BoundedUploadHandler(FileUploadHandler):
    """Put first in `request.upload_handlers`: a file over the limit is skipped as it streams in,
    so a 50 MB upload never lands on disk; the form then says which file was too large."""

    def __init__(self, request: Any = None, limit: int = 10 * 1024 * 1024) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.too_large: list[str] = []

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_large.append(safe_name(self.file_name or ""))
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def bound_uploads(request: Any, limit: int) -> BoundedUploadHandler:
    handler = BoundedUploadHandler(request, limit)
    request.upload_handlers.insert(0, handler)
    return handler
