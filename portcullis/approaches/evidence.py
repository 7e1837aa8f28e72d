"""Evidence files: bounded in size, number and type; the type is read from the content, not
trusted from the name or the browser. Oversized uploads are dropped while they stream in."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from email import message_from_bytes, policy
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5

# extension -> (content type we serve it as, magic prefixes or None for a content check)
ALLOWED = {
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".webp": ("image/webp", (b"RIFF",)),
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".eml": ("message/rfc822", None),
    ".txt": ("text/plain", None),
}
ACCEPT = ",".join(ALLOWED)


class EvidenceError(ValueError):
    pass


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


def safe_name(name: str) -> str:
    """The name as shown to people and in downloads: no path, no control characters."""
    base = PurePath(name.replace("\\", "/")).name
    cleaned = "".join(c for c in base if c.isprintable() and c not in '"\r\n;')
    return cleaned[:150] or "evidence"


def check(upload: UploadedFile) -> CheckedFile:
    name = safe_name(upload.name or "")
    extension = PurePath(name).suffix.lower()
    if extension not in ALLOWED:
        raise EvidenceError(
            f"{name}: only screenshots (PNG, JPEG, GIF, WebP), forwarded e-mails (.eml), PDF and "
            "text files can be attached."
        )
    size = upload.size or 0
    if size > MAX_BYTES:
        raise EvidenceError(f"{name} is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    if size == 0:
        raise EvidenceError(f"{name} is empty.")
    digest, head = _read(upload)
    content_type, magic = ALLOWED[extension]
    if magic is not None and not head.startswith(magic):
        raise EvidenceError(f"{name} is not really a {extension[1:].upper()} file.")
    if magic is None:
        _check_text(name, extension, upload)
    return CheckedFile(upload, name, content_type, extension, digest, size)


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


def _check_text(name: str, extension: str, upload: UploadedFile) -> None:
    data = upload.read(MAX_BYTES)
    upload.seek(0)
    if b"\x00" in data:
        raise EvidenceError(f"{name} is not a text file.")
    if extension == ".eml":
        message = message_from_bytes(data, policy=policy.default)
        if not (message.get("From") or message.get("Subject") or message.get("Date")):
            raise EvidenceError(f"{name} does not look like a forwarded e-mail (.eml).")
        return
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EvidenceError(f"{name} is not UTF-8 text.") from exc


class BoundedUploadHandler(FileUploadHandler):
    """Put first in `request.upload_handlers`: a file over the limit is skipped as it streams in,
    so a 50 MB upload never lands on disk; the form then says which file was too large."""

    def __init__(self, request: Any = None, limit: int = MAX_BYTES) -> None:
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


def bound_uploads(request: Any) -> BoundedUploadHandler:
    handler = BoundedUploadHandler(request)
    request.upload_handlers.insert(0, handler)
    return handler
