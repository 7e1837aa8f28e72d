"""Unwrapping what people send to the report mailbox: the suspect message attached (as
message/rfc822, an .eml or an Outlook .msg file) or forwarded inline. Pure, no Django.

The outer message is parsed with the standard library only after the poller has checked its
size; the part walk is bounded so a hostile wrapper cannot make us loop over thousands of parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from email.parser import BytesHeaderParser
from email.utils import parseaddr, parsedate_to_datetime

from portcullis.lib.safetext import clean_text

MAX_PARTS = 200
ATTACHED_TYPES = {"message/rfc822", "application/vnd.ms-outlook"}
ATTACHED_SUFFIXES = (".eml", ".msg")
INLINE_MARKERS = re.compile(
    r"^[ \t>]*(?:-{2,}\s*(?:forwarded message|original message)\s*-{2,}"
    r"|begin forwarded message:"
    r"|_{10,})[ \t\r]*$",
    re.IGNORECASE | re.MULTILINE,
)
MAX_ADDRESS = 254  # RFC 5321's limit, and the length of every e-mail address column
_HEADER_LINE = re.compile(r"^[ \t>]*\*?(from|sent|date|to|cc|subject|reply-to)\*?:\s*(.*)$", re.I)


@dataclass(frozen=True)
class Unwrapped:
    original: bytes
    how: str  # attached | inline | as-is
    reporter_address: str
    reporter_name: str
    message_id: str
    subject: str
    is_bounce: bool = False


def unwrap(raw: bytes) -> Unwrapped:
    outer = message_from_bytes(raw, policy=policy.default)
    name, address = parseaddr(str(outer.get("From", "")))
    facts = {
        "reporter_address": _address_or_nothing(address),
        "reporter_name": clean_text(name).strip(),
        "message_id": clean_text(str(outer.get("Message-ID", ""))).strip()[:300],
        "subject": clean_text(str(outer.get("Subject", "")))[:300],
        "is_bounce": _is_bounce(outer),
    }
    attached = _attached(outer)
    if attached is not None:
        return Unwrapped(original=attached, how="attached", **facts)  # type: ignore[arg-type]
    inline = _inline(outer)
    if inline is not None:
        return Unwrapped(original=inline, how="inline", **facts)  # type: ignore[arg-type]
    return Unwrapped(original=raw, how="as-is", **facts)  # type: ignore[arg-type]


def _address_or_nothing(address: str) -> str:
    address = clean_text(address).strip().lower()
    return address if len(address) <= MAX_ADDRESS else ""  # longer is no real address


def message_id_of(raw: bytes) -> str:
    """The Message-ID of a message that may not parse further (for recording a failure)."""
    try:
        return str(BytesHeaderParser(policy=policy.compat32).parsebytes(raw).get("Message-ID", ""))
    except Exception:  # only used to name a message that already failed
        return ""


def _is_bounce(outer: Message) -> bool:
    return (
        outer.get_content_type() == "multipart/report"
        and outer.get_param("report-type", "") == "delivery-status"
    )


def _parts(message: Message) -> list[Message]:
    found: list[Message] = []
    for part in message.walk():
        found.append(part)
        if len(found) >= MAX_PARTS:
            break
    return found


def _attached(outer: Message) -> bytes | None:
    for part in _parts(outer)[1:]:
        ctype = part.get_content_type()
        filename = (part.get_filename() or "").lower()
        if ctype == "message/rfc822":
            inner = part.get_payload()
            message = inner[0] if isinstance(inner, list) and inner else None
            if isinstance(message, Message):
                return _bytes_of(message)
        elif ctype in ATTACHED_TYPES or filename.endswith(ATTACHED_SUFFIXES):
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload:
                return payload
    return None


def _bytes_of(message: Message) -> bytes:
    try:
        return message.as_bytes(policy=policy.compat32)
    except Exception:  # a broken inner message is still worth analysing as text
        return str(message).encode("utf-8", "replace")


def _inline(outer: Message) -> bytes | None:
    text = _first_text(outer)
    if not text:
        return None
    match = INLINE_MARKERS.search(text)
    if match is None:
        return None
    return _rebuild(text[match.end() :])


def _first_text(outer: Message) -> str:
    for part in _parts(outer):
        if part.get_content_type() == "text/plain" and not part.get_filename():
            try:
                content = part.get_content() if isinstance(part, EmailMessage) else ""
            except (LookupError, ValueError):
                payload = part.get_payload(decode=True)
                content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
            return str(content)
    return ""


def _is_date(value: str) -> bool:
    try:
        parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return False
    return True


def _rebuild(forwarded: str) -> bytes:
    """A message made from the forwarded header block and the text that follows it."""
    lines = forwarded.lstrip("\r\n").splitlines()
    headers: dict[str, str] = {}
    body_start = 0
    for number, line in enumerate(lines):
        match = _HEADER_LINE.match(line)
        if match:
            key = match.group(1).lower()
            headers["date" if key == "sent" else key] = match.group(2).strip()
            body_start = number + 1
        elif line.strip() == "" and headers:
            body_start = number + 1
            break
        elif headers:
            break
    message = EmailMessage(policy=policy.default.clone(raise_on_defect=False))
    if headers.get("date") and not _is_date(headers["date"]):
        headers.pop("date")  # "Mon, 3 Mar 2025 at 09:12" is how clients quote it, not RFC 5322
    for key in ("from", "reply-to", "to", "cc", "date", "subject"):
        if headers.get(key):
            try:
                message[key.title()] = headers[key]
            except (ValueError, TypeError):
                continue
    body = "\n".join(
        line[1:].lstrip() if line.startswith(">") else line for line in lines[body_start:]
    )
    message.set_content(body or "(empty)")
    return message.as_bytes()
