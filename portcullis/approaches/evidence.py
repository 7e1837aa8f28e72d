"""Evidence files: up to five, 10 MB each, screenshots, forwarded e-mails, PDF or text; checked by
`lib.uploads` (the type read from the content, oversized uploads cut off while they stream in)."""

from __future__ import annotations

from portcullis.lib import uploads
from portcullis.lib.uploads import CheckedFile
from portcullis.lib.uploads import UploadError as EvidenceError

__all__ = ["ACCEPT", "CheckedFile", "EvidenceError", "check"]

MAX_BYTES = uploads.EVIDENCE_MAX_BYTES
MAX_FILES = 5
ACCEPT = uploads.accept(uploads.EVIDENCE)
check = uploads.check_evidence
