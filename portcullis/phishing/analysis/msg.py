"""Outlook .msg files (OLE compound documents) converted to the same shape as a parsed .eml."""

from __future__ import annotations

import io
from email.message import EmailMessage

from .model import Findings
from .parse import ParsedMessage, RawAttachment

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def is_msg(raw: bytes) -> bool:
    return raw.startswith(OLE_MAGIC)


# Every Outlook item stores its properties in streams named so (UTF-16 in the directory); a
# Word or Excel 97 file is an OLE file too, but not a message.
_PROPERTY_STREAM = "__substg1.0_".encode("utf-16-le")


def is_outlook_item(raw: bytes) -> bool:
    return is_msg(raw) and _PROPERTY_STREAM in raw


def parse_msg(raw: bytes, findings: Findings) -> ParsedMessage:
    import extract_msg  # imported lazily: heavy, and only Outlook reports need it

    try:
        item = extract_msg.openMsg(io.BytesIO(raw), delayAttachments=False)
    except Exception as exc:
        findings.flag("parse.error", f"unreadable Outlook message: {type(exc).__name__}")
        return ParsedMessage(message=EmailMessage())
    try:
        return _convert(item, findings)
    except Exception as exc:
        findings.flag("parse.error", f"Outlook message only partly read: {type(exc).__name__}")
        return ParsedMessage(message=EmailMessage())
    finally:
        item.close()


def _convert(item: object, findings: Findings) -> ParsedMessage:
    message = EmailMessage()
    header_text = str(getattr(item, "headerText", "") or "")
    for line in _unfold(header_text):
        name, _, value = line.partition(":")
        if name.strip() and name.strip().lower() not in ("content-type",):
            message[name.strip()] = value.strip()[: findings.limits.max_header_line_bytes]
    if "From" not in message and getattr(item, "sender", None):
        message["From"] = str(item.sender)  # type: ignore[attr-defined]
    if "Subject" not in message and getattr(item, "subject", None):
        message["Subject"] = str(item.subject)  # type: ignore[attr-defined]
    parsed = ParsedMessage(message=message)
    body = getattr(item, "body", None)
    if body:
        parsed.texts.append(str(body))
    html = getattr(item, "htmlBody", None)
    if html:
        parsed.htmls.append(html.decode("utf-8", "replace") if isinstance(html, bytes) else html)
    for attachment in getattr(item, "attachments", [])[: findings.limits.max_parts]:
        data = getattr(attachment, "data", b"")
        if isinstance(data, bytes):
            name = str(getattr(attachment, "longFilename", "") or "attachment")
            parsed.attachments.append(RawAttachment(name, "application/octet-stream", data, False))
    return parsed


def _unfold(text: str) -> list[str]:
    lines: list[str] = []
    for line in text.splitlines():
        if line[:1] in (" ", "\t") and lines:
            lines[-1] += " " + line.strip()
        elif line:
            lines.append(line)
    return lines
