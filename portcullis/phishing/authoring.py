"""Writing lures in the app: the placeholders a lure may use, and a lure drafted from a reported
e-mail (its links pointed at the tracking link, its addresses and remote images taken out).

A lure is rendered with Django's template engine (`rendering.render`), so what a security
officer types is checked here first: only the known placeholders, no template tags, nothing
that could read a file or another variable of the server.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr
from typing import cast

import nh3
from django.core.files.uploadedfile import UploadedFile

from portcullis.lib import uploads
from portcullis.lib.safetext import clean_text

PLACEHOLDERS = {
    "first_name": "the recipient's first name",
    "full_name": "the recipient's full name",
    "office": "the recipient's office",
    "link": "the tracking link (the landing page)",
    "pixel": "a 1×1 tracking image (HTML only)",
    "qr_code": "a QR code of the tracking link (HTML only)",
}
_VARIABLE = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
_LINK = "__portcullis_tracking_link__"
_ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"\bhttps?://[^\s<>\"')]+", re.IGNORECASE)
MAX_BODY_CHARS = 200_000
TAGS = {
    "a", "b", "blockquote", "br", "div", "em", "h1", "h2", "h3", "h4", "hr", "i", "img", "li",
    "ol", "p", "span", "strong", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
}  # fmt: skip


# What a lure may carry: harmless documents, checked by their content (Word and Excel by their zip
# structure, and never with macros). Executables, archives, HTML and macro-enabled files are not
# in the table, so they are refused by name before their content is read.
MAX_ATTACHMENTS = 3
MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024
ATTACHMENTS = {
    ".pdf": uploads.Kind("application/pdf", (b"%PDF-",)),
    ".docx": uploads.Kind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
        uploads.office_document("word/document.xml"),
    ),
    ".xlsx": uploads.Kind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
        uploads.office_document("xl/workbook.xml"),
    ),
    ".png": uploads.Kind("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": uploads.Kind("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": uploads.Kind("image/jpeg", (b"\xff\xd8\xff",)),
    ".txt": uploads.Kind("text/plain", check=uploads.utf8_text),
    ".ics": uploads.Kind("text/calendar", check=uploads.calendar),
}
ATTACHMENT_REFUSAL = (
    "a lure can carry only PDF, Word (.docx), Excel (.xlsx), PNG, JPEG, text and calendar (.ics) "
    "files; programs, archives, web pages and files with macros are refused."
)


def check_attachment(upload: UploadedFile) -> uploads.CheckedFile:
    """One file for a lure, checked by its content; raises `uploads.UploadError` in words."""
    return uploads.check(
        upload,
        allowed=ATTACHMENTS,
        max_bytes=MAX_ATTACHMENT_BYTES,
        refusal=ATTACHMENT_REFUSAL,
        default_name="attachment",
    )


def placeholder_errors(text: str) -> list[str]:
    """What is wrong with the placeholders of a subject or body, in words; empty when fine."""
    problems = []
    if "{%" in text or "{#" in text:
        problems.append("Template tags ({% … %} or {# … #}) are not allowed")
    for name in _VARIABLE.findall(text):
        if name not in PLACEHOLDERS:
            known = ", ".join(f"{{{{ {p} }}}}" for p in PLACEHOLDERS)
            problems.append(f"{{{{ {name[:40]} }}}} is not a placeholder; use one of {known}")
    return problems


@dataclass
class LureDraft:
    """A lure as drafted from a message: the officer reviews and completes it."""

    name: str
    from_name: str
    subject: str
    text_body: str
    html_body: str
    notes: list[str] = field(default_factory=list)


def draft_from_message(raw: bytes) -> LureDraft:
    """Read a reported e-mail (bytes, never opened or rendered) into a lure draft: every link
    becomes the tracking link, every e-mail address is removed, remote images and anything
    active are stripped, and braces that would be read as placeholders are escaped."""
    message = cast(EmailMessage, BytesParser(policy=policy.default).parsebytes(raw[:5_000_000]))
    from_name, _address = parseaddr(str(message.get("From", "")))
    subject = clean_text(str(message.get("Subject", "")))[:200]
    text, html = _bodies(message)
    notes = []
    links = len(_URL.findall(text)) + html.lower().count("href=")
    if links:
        notes.append(f"{links} link(s) now point at the tracking link.")
    if _ADDRESS.search(text + html + subject):
        notes.append("E-mail addresses were removed from the subject and bodies.")
    return LureDraft(
        name=f"From a report: {subject or '(no subject)'}"[:120],
        from_name=_without_addresses(clean_text(from_name))[:120],
        subject=_without_addresses(subject).replace("{", "("),
        text_body=_text_lure(text),
        html_body=_html_lure(html) if html else "",
        notes=notes,
    )


def _bodies(message: EmailMessage) -> tuple[str, str]:
    text = html = ""
    for part in message.walk():
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        kind = part.get_content_type()
        if kind not in ("text/plain", "text/html"):
            continue
        try:
            content = str(part.get_content())
        except (LookupError, UnicodeError, ValueError):
            payload = part.get_payload(decode=True)
            content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
        content = clean_text(content)[:MAX_BODY_CHARS]
        if kind == "text/plain" and not text:
            text = content
        elif kind == "text/html" and not html:
            html = content
    return text, html


def _without_addresses(text: str) -> str:
    return _ADDRESS.sub("[address removed]", text)


def _text_lure(text: str) -> str:
    text = _URL.sub(_LINK, _without_addresses(text))
    text = text.replace("{", "(")
    return text.replace(_LINK, "{{ link }}")


def _html_lure(html: str) -> str:
    def attribute(tag: str, name: str, value: str) -> str | None:
        if tag == "a" and name == "href":
            return _LINK
        if tag == "img" and name == "src":
            return value if value.startswith(("cid:", "data:")) else None
        return value

    cleaned = nh3.clean(
        html,
        tags=TAGS,
        attributes={"a": {"href"}, "img": {"src", "alt", "width", "height"}, "*": {"align"}},
        attribute_filter=attribute,
        url_schemes={"http", "https", "cid", "data"},
        link_rel=None,
    )
    cleaned = _URL.sub(_LINK, _without_addresses(cleaned))
    cleaned = cleaned.replace("{", "&#123;").replace("}", "&#125;")
    return cleaned.replace(_LINK, "{{ link }}")
