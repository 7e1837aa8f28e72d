"""Outlook .msg files (OLE compound documents, [MS-OXMSG]) converted to the same shape as a
parsed .eml.

Each property is read on its own from its own stream, and a property that does not decode is
skipped (and noted) while the others are kept: one bad RTF body or a contact's odd property
must not cost the sender, the subject and the links. 8-bit strings are decoded with the code
page the message itself names (PR_MESSAGE_CODEPAGE, else PR_INTERNET_CPID, else Windows-1252);
an RTF body with its own `\\ansicpg`. Meeting requests, appointments and contacts are read the
same way as mail, so their bodies, links and attachments are seen.
"""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Callable
from email.message import Message
from email.parser import Parser
from email.policy import compat32

import olefile

from portcullis.lib.safetext import clean_text

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


# Property ids ([MS-OXPROPS]).
SUBJECT = 0x0037
MESSAGE_CLASS = 0x001A
HEADERS = 0x007D
SENT_REPRESENTING_NAME = 0x0042
SENT_REPRESENTING_EMAIL = 0x0065
SENDER_NAME = 0x0C1A
SENDER_EMAIL = 0x0C1F
SENDER_SMTP = 0x5D01
BODY = 0x1000
RTF_COMPRESSED = 0x1009
HTML = 0x1013
MESSAGE_CODEPAGE = 0x3FFD
INTERNET_CPID = 0x3FDE
ATTACH_DATA = 0x3701
ATTACH_FILENAME = 0x3704
ATTACH_LONG_FILENAME = 0x3707
ATTACH_MIME = 0x370E
PT_STRING8, PT_UNICODE, PT_BINARY, PT_LONG = 0x001E, 0x001F, 0x0102, 0x0003


class _Item:
    """One storage of the file (the message, or an attachment): its properties, read one by
    one."""

    def __init__(self, ole: olefile.OleFileIO, path: list[str], findings: Findings) -> None:
        self.ole, self.path, self.findings = ole, path, findings
        self.longs = self._fixed_properties()
        self.codepage = _codec(self.longs.get(MESSAGE_CODEPAGE) or self.longs.get(INTERNET_CPID))

    def stream(self, name: str, limit: int) -> bytes | None:
        path = [*self.path, name]
        try:
            if not self.ole.exists("/".join(path)):
                return None
            with self.ole.openstream(path) as handle:
                return bytes(handle.read(limit))
        except Exception as exc:  # a broken chain loses this property, not the message
            self.findings.flag("parse.decode", f"Outlook property {name}: {type(exc).__name__}")
            return None

    def _fixed_properties(self) -> dict[int, int]:
        """The 4-byte values of the property stream (code pages, flags)."""
        data = self.stream("__properties_version1.0", 64 * 1024) or b""
        header = 32 if not self.path else 8
        out: dict[int, int] = {}
        for offset in range(header, len(data) - 15, 16):
            tag, _, value = struct.unpack_from("<IIi", data, offset)
            if tag & 0xFFFF == PT_LONG:
                out[tag >> 16] = value
        return out

    def text(self, prop: int, codepage: str | None = None) -> str:
        limit = self.findings.limits.max_bytes
        unicode = self.stream(f"__substg1.0_{prop:04X}{PT_UNICODE:04X}", limit)
        if unicode is not None:
            return clean_text(unicode.decode("utf-16-le", "replace").rstrip("\x00"))
        eight = self.stream(f"__substg1.0_{prop:04X}{PT_STRING8:04X}", limit)
        if eight is None:
            return ""
        codec = codepage or self.codepage
        try:
            return clean_text(eight.decode(codec).rstrip("\x00"))
        except (UnicodeDecodeError, LookupError):
            self.findings.flag("parse.charset", f"Outlook property {prop:04X} is not {codec}")
            return clean_text(eight.decode(codec, "replace").rstrip("\x00"))

    def binary(self, prop: int) -> bytes | None:
        return self.stream(f"__substg1.0_{prop:04X}{PT_BINARY:04X}", self.findings.limits.max_bytes)


def _codec(codepage: int | None) -> str:
    if not codepage:
        return "cp1252"
    name = {65001: "utf-8", 20127: "ascii", 28591: "latin-1", 1200: "utf-16-le"}.get(codepage)
    name = name or f"cp{codepage}"
    try:
        "".encode(name)
    except LookupError:
        return "cp1252"
    return name


def parse_msg(raw: bytes, findings: Findings) -> ParsedMessage:
    try:
        ole = olefile.OleFileIO(io.BytesIO(raw))
    except Exception as exc:
        findings.flag("parse.error", f"unreadable Outlook message: {type(exc).__name__}")
        return ParsedMessage(message=Message())
    try:
        return _convert(ole, findings)
    except Exception as exc:  # last resort: the parts read so far are lost only here
        findings.flag("parse.error", f"Outlook message only partly read: {type(exc).__name__}")
        return ParsedMessage(message=Message())
    finally:
        ole.close()


def _convert(ole: olefile.OleFileIO, findings: Findings) -> ParsedMessage:
    item = _Item(ole, [], findings)
    message = _headers(item.text(HEADERS), findings)
    name = item.text(SENDER_NAME) or item.text(SENT_REPRESENTING_NAME)
    address = next(
        (
            a
            for a in (
                item.text(SENDER_SMTP),
                item.text(SENDER_EMAIL),
                item.text(SENT_REPRESENTING_EMAIL),
            )
            if "@" in a
        ),
        "",
    )
    if "From" not in message and (name or address):
        message["From"] = f'"{name}" <{address}>' if address else name
    subject = item.text(SUBJECT)
    if "Subject" not in message and subject:
        message["Subject"] = subject
    parsed = ParsedMessage(message=message)
    _read_safely(lambda: _bodies(item, parsed, findings), "body", findings)
    _read_safely(lambda: _attachments(ole, parsed, findings), "attachments", findings)
    return parsed


def _read_safely(read: Callable[[], None], what: str, findings: Findings) -> None:
    try:
        read()
    except Exception as exc:  # one part lost, not the rest of the message
        findings.flag("parse.decode", f"Outlook {what} not read: {type(exc).__name__}")


def _headers(text: str, findings: Findings) -> Message:
    """The transport headers Outlook kept (PR_TRANSPORT_MESSAGE_HEADERS), as a header block."""
    limit = findings.limits.max_header_bytes
    if not text.strip():
        return Message()
    try:
        message = Parser(policy=compat32).parsestr(text[:limit].strip() + "\n\n", headersonly=True)
    except Exception:
        return Message()
    for name in ("Content-Type", "Content-Transfer-Encoding"):
        del message[name]  # they describe the original MIME body, not what is read here
    return message


def _bodies(item: _Item, parsed: ParsedMessage, findings: Findings) -> None:
    body = item.text(BODY)
    if body:
        parsed.texts.append(body)
    html = item.binary(HTML)
    if html is not None:
        parsed.htmls.append(html.decode(_html_charset(html, item.codepage), "replace"))
    elif item.text(HTML):
        parsed.htmls.append(item.text(HTML))
    rtf = item.binary(RTF_COMPRESSED)
    if rtf and not body and html is None:
        text = rtf_text(rtf, item.codepage, findings)
        if text:
            parsed.texts.append(text)


_META_CHARSET = re.compile(rb"charset=[\"']?([A-Za-z0-9_-]{2,30})")


def _html_charset(html: bytes, default: str) -> str:
    match = _META_CHARSET.search(html[:4096])
    if match:
        name = match.group(1).decode()
        try:
            "".encode(name)
            return name
        except LookupError:
            pass
    return "utf-8" if default == "cp1252" else default


def _attachments(ole: olefile.OleFileIO, parsed: ParsedMessage, findings: Findings) -> None:
    storages = sorted(
        {
            entry[0]
            for entry in ole.listdir(streams=False, storages=True)
            if len(entry) == 1 and entry[0].startswith("__attach_version1.0_")
        }
    )
    for storage in storages[: findings.limits.max_attachments]:
        attachment = _Item(ole, [storage], findings)
        name = attachment.text(ATTACH_LONG_FILENAME) or attachment.text(ATTACH_FILENAME)
        data = attachment.binary(ATTACH_DATA)
        if data is None:
            continue  # an embedded message or OLE object: not read as a file here
        mime = attachment.text(ATTACH_MIME) or "application/octet-stream"
        parsed.attachments.append(RawAttachment(name or "attachment", mime, data, False))


# --- RTF bodies -------------------------------------------------------------------------------

_RTF_TOKEN = re.compile(
    rb"\\'([0-9a-fA-F]{2})|\\u(-?\d{1,6}) ?|\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\(.)|([{}])"
    rb"|[\r\n]+|([^\\{}\r\n]+)",
    re.S,
)
# Destinations that hold no readable text.
_SKIP = frozenset(
    [
        b"fonttbl",
        b"colortbl",
        b"stylesheet",
        b"info",
        b"pict",
        b"object",
        b"themedata",
        b"listtable",
        b"listoverridetable",
        b"datastore",
        b"latentstyles",
        b"rsidtbl",
        b"generator",
        b"xmlnstbl",
        b"mmathPr",
    ]
)
_BREAKS = {b"par": "\n", b"line": "\n", b"tab": "\t", b"cell": "\t", b"row": "\n"}


def rtf_text(compressed: bytes, codepage: str, findings: Findings) -> str:
    """The text of a compressed RTF body (links in HYPERLINK fields and in encapsulated HTML
    tags stay in it as written), bounded by `limits.max_rtf_bytes`."""
    import compressed_rtf

    limit = findings.limits.max_rtf_bytes
    if len(compressed) >= 16:
        raw_size = struct.unpack_from("<I", compressed, 4)[0]
        if raw_size > limit:
            findings.flag("limit.rtf", f"RTF body of {raw_size} bytes; not read")
            return ""
    try:
        rtf = bytes(compressed_rtf.decompress(compressed))[:limit]
    except Exception as exc:
        findings.flag("parse.decode", f"Outlook RTF body: {type(exc).__name__}")
        return ""
    return _rtf_to_text(rtf, codepage)


def _rtf_to_text(rtf: bytes, codepage: str) -> str:
    match = re.search(rb"\\ansicpg(\d{3,5})", rtf[:2048])
    codec = _codec(int(match.group(1))) if match else codepage
    out: list[str] = []
    pending = bytearray()
    stack: list[bool] = []
    skip = False
    starred = False  # the previous token was \* (an optional destination)
    skip_chars = 0  # fallback characters still to drop after a \u character
    fallback = 1  # \ucN: how many follow each \u

    def flush() -> None:
        if pending:
            out.append(pending.decode(codec, "replace"))
            pending.clear()

    for token in _RTF_TOKEN.finditer(rtf):
        hexbyte, unicode, word, number, symbol, brace, text = token.groups()
        if brace == b"{":
            stack.append(skip)
            starred = False
            continue
        if brace == b"}":
            flush()
            skip = stack.pop() if stack else False
            continue
        if symbol == b"*":
            starred = True
            continue
        if word is not None:
            if starred and word != b"htmltag" or word in _SKIP:
                skip = True
            elif word == b"uc" and number is not None:
                fallback = max(0, min(int(number), 4))
            elif not skip and word in _BREAKS:
                flush()
                out.append(_BREAKS[word])
            starred = False
            continue
        starred = False
        if skip:
            continue
        if hexbyte is not None:
            if skip_chars:
                skip_chars -= 1
                continue
            pending.append(int(hexbyte, 16))
        elif unicode is not None:
            flush()
            value = int(unicode)
            out.append(chr((value + 65536 if value < 0 else value) % 0x110000))
            skip_chars = fallback
        elif symbol is not None:
            skip_chars = 0
            pending.extend(symbol if symbol in (b"\\", b"{", b"}") else b"")
        elif text is not None:
            dropped, skip_chars = min(skip_chars, len(text)), max(0, skip_chars - len(text))
            pending.extend(text[dropped:])
    flush()
    return clean_text("".join(out))
