"""Evidence files: up to five, 10 MB each, screenshots, forwarded e-mails, PDF or text; checked by
`lib.uploads` (the type read from the content, oversized uploads dropped while they stream in)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile

from portcullis.lib import uploads
from portcullis.lib.uploads import BoundedUploadHandler, CheckedFile, Kind
from portcullis.lib.uploads import UploadError as EvidenceError

__all__ = ["ACCEPT", "ALLOWED", "BoundedUploadHandler", "CheckedFile", "EvidenceError"]

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5

ALLOWED = {
    ".png": Kind("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": Kind("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": Kind("image/jpeg", (b"\xff\xd8\xff",)),
    ".gif": Kind("image/gif", (b"GIF87a", b"GIF89a")),
    ".webp": Kind("image/webp", (b"RIFF",)),
    ".pdf": Kind("application/pdf", (b"%PDF-",)),
    ".eml": Kind("message/rfc822", check=uploads.email_message),
    ".txt": Kind("text/plain", check=uploads.utf8_text),
}
ACCEPT = uploads.accept(ALLOWED)
REFUSAL = (
    "only screenshots (PNG, JPEG, GIF, WebP), forwarded e-mails (.eml), PDF and text files can "
    "be attached."
)


def check(upload: UploadedFile) -> CheckedFile:
    return uploads.check(
        upload, allowed=ALLOWED, max_bytes=MAX_BYTES, refusal=REFUSAL, default_name="evidence"
    )


def bound_uploads(request: Any) -> BoundedUploadHandler:
    return uploads.bound_uploads(request, MAX_BYTES)
