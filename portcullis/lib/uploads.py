"""Uploaded files: bounded in size, number and type; the type is read from the content, not
trusted from the name or the browser. Oversized uploads are cut off while they stream in, on
every view (`StreamLimitHandler`, `upload_limit`), before a form or the CSRF check reads them.

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
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse


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


# Evidence of an approach or a briefing: screenshots, forwarded e-mails, PDF or text.
EVIDENCE: dict[str, Kind] = {
    ".png": Kind("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": Kind("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": Kind("image/jpeg", (b"\xff\xd8\xff",)),
    ".gif": Kind("image/gif", (b"GIF87a", b"GIF89a")),
    ".webp": Kind("image/webp", (b"RIFF",)),
    ".pdf": Kind("application/pdf", (b"%PDF-",)),
    ".eml": Kind("message/rfc822", check=email_message),
    ".txt": Kind("text/plain", check=utf8_text),
}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_REFUSAL = (
    "only screenshots (PNG, JPEG, GIF, WebP), forwarded e-mails (.eml), PDF and text files can "
    "be attached."
)


def check_evidence(upload: UploadedFile) -> CheckedFile:
    """An evidence file checked by its content; raises `UploadError` naming the file."""
    return check(
        upload,
        allowed=EVIDENCE,
        max_bytes=EVIDENCE_MAX_BYTES,
        refusal=EVIDENCE_REFUSAL,
        default_name="evidence",
    )


# --- bounding uploads while they stream in ------------------------------------------------------

View = TypeVar("View", bound=Callable[..., Any])


def upload_limit(max_bytes: int) -> Callable[[View], View]:
    """Mark a view (or an API view class) that takes files with the most bytes one file may
    bring; a view not marked takes `settings.UPLOAD_DEFAULT_MAX_BYTES`. The view's form still
    checks the size and names the file: it sees an oversized file as `max_bytes + 1` bytes."""

    def mark(view: View) -> View:
        view.upload_limit = max_bytes  # type: ignore[attr-defined]
        return view

    return mark


class UploadLimitMiddleware:
    """Tells the request its view's `upload_limit`. It runs before `CsrfViewMiddleware`, whose
    check is the first to read a form body, so the limit holds from the first byte."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, *args: Any) -> None:
        limit = getattr(
            view, "upload_limit", getattr(getattr(view, "cls", None), "upload_limit", None)
        )
        if limit is not None:
            request.upload_limit = limit  # type: ignore[attr-defined]


class StreamLimitHandler(FileUploadHandler):
    """First of `FILE_UPLOAD_HANDLERS`: each file passes on to memory or disk at most one byte
    more than the request's limit; the rest is read from the connection and dropped. So an
    upload of gigabytes costs no more memory or disk than one just over the limit, the other
    fields of the form arrive intact, and the form's own size check refuses the file by name."""

    passed = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.passed = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        limit = getattr(self.request, "upload_limit", settings.UPLOAD_DEFAULT_MAX_BYTES)
        room = limit + 1 - self.passed
        if room <= 0:
            return None  # the handlers after this one never see it
        chunk = raw_data[:room]
        self.passed += len(chunk)
        return chunk

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file, of the bytes passed on
