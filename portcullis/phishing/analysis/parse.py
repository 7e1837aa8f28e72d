"""Bounded MIME parsing: raw bytes in, text/HTML bodies and attachments out.

The stdlib parser is robust against damage but not against cost: 10,000 parts take seconds,
a megabyte of encoded words exhausts memory and deep nesting overflows the stack. So the raw
bytes are first trimmed by a cheap pre-pass (`bound_raw`) and only then handed to `email`.

The `compat32` policy is used: it leaves header values as raw strings, and the few headers
the analysis reads are decoded here (`header_text`). `policy.default` re-parses a structured
header on every access, which was a fifth of the analysis time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import policy
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesParser
from typing import TypeVar

from portcullis.lib.safetext import clean_text

from .model import Findings, Limits

T = TypeVar("T")

# Searched in the lower-cased bytes (the same length, so the same positions): a case-sensitive
# pattern starting with a literal is found several times faster than one with re.I or `^`.
_BOUNDARY = re.compile(rb'boundary\s*=\s*(?:"([^"\r\n]{1,200})"|([^\s;"]{1,200}))')
_MULTIPART = re.compile(rb"content-type:\s*multipart/")
_DELIMITER_LINE = re.compile(rb"--[^\r\n]{1,202}\r?\n")
_BLANK_LINE = re.compile(rb"\n\r?\n")


@dataclass
class RawAttachment:
    filename: str
    content_type: str
    data: bytes
    inline: bool


@dataclass
class ParsedMessage:
    message: Message
    texts: list[str] = field(default_factory=list)
    htmls: list[str] = field(default_factory=list)
    attachments: list[RawAttachment] = field(default_factory=list)


def parse_message(raw: bytes, findings: Findings) -> ParsedMessage:
    bounded = bound_raw(raw, findings)
    try:
        message = BytesParser(policy=policy.compat32).parsebytes(bounded)
    except Exception as exc:  # the parser is the first thing hostile bytes reach
        findings.flag("parse.error", f"MIME parser failed: {type(exc).__name__}")
        message = _fallback_message(bounded)
    parsed = ParsedMessage(message=message)
    _walk(parsed, findings)
    return parsed


_FIELD = re.compile(rb"^[!-9;-~]{1,76}[ \t]*:")
# Fields an e-mail's header block holds (RFC 5322 and the transport's own); a file whose first
# lines name none of them is a note, a document or noise, not a message.
_MAIL_FIELDS = frozenset(
    [
        b"from",
        b"sender",
        b"to",
        b"cc",
        b"subject",
        b"date",
        b"message-id",
        b"received",
        b"return-path",
        b"reply-to",
        b"mime-version",
        b"delivered-to",
        b"x-original-to",
        b"authentication-results",
        b"dkim-signature",
        b"arc-seal",
        b"thread-topic",
        b"x-ms-exchange-organization-authas",
    ]
)


def looks_like_email(raw: bytes) -> bool:
    """Whether `raw` has the shape of a message: an Outlook .msg (`msg.is_msg`, checked by the
    caller) or a header block whose every line is a header field or its continuation and which
    names at least one field e-mails carry. Plain text, random bytes and empty files do not."""
    head = raw[:65536].lstrip(b"\xef\xbb\xbf\r\n\t ")
    if head.startswith(b"From "):  # mbox envelope line
        head = head.split(b"\n", 1)[1] if b"\n" in head else b""
    named = 0
    lines = 0
    for line in head.splitlines():
        if not line.strip():
            break
        lines += 1
        if line[:1] in (b" ", b"\t") and lines > 1:
            continue
        if not _FIELD.match(line):
            return False
        if line.split(b":", 1)[0].strip().lower() in _MAIL_FIELDS:
            named += 1
    return named > 0


def _fallback_message(raw: bytes) -> Message:
    """A plain-text message holding the bytes, so the language checks still see the words."""
    message = Message()
    message["Content-Type"] = "text/plain; charset=utf-8"
    message.set_payload(raw[:200_000].decode("utf-8", "replace"))
    return message


_FOLD = re.compile(r"\r?\n(?=[ \t])")


_HEADER_INDEX = "_portcullis_header_index"


def _first_headers(message: Message) -> dict[str, object]:
    """Each header name (lower-cased) with the value of its first occurrence, built once per
    message and built again if headers were added since (`len(message)` counts them): the
    analysis asks for some twenty headers, and each look-up scanned them all."""
    cached: tuple[int, dict[str, object]] = getattr(message, _HEADER_INDEX, (-1, {}))
    count, index = cached
    if count != len(message):
        index = {}
        for key, value in message.raw_items():
            index.setdefault(key.lower(), value)
        setattr(message, _HEADER_INDEX, (len(message), index))
    return index


def raw_header(message: Message, name: str) -> str:
    """The first `name` header as the sender wrote it (unfolded; 8-bit bytes read as UTF-8;
    without NUL and other characters PostgreSQL cannot store)."""
    value = _first_headers(message).get(name.lower())
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if not text.isascii():
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return clean_text(_FOLD.sub("", text)).strip()


def decode_words(text: str) -> str:
    """RFC 2047 encoded words (`=?utf-8?b?...?=`) decoded; broken ones left as written."""
    if "=?" not in text:
        return text
    try:
        return clean_text(str(make_header(decode_header(text))))
    except Exception:  # hostile encoded words: keep the raw text
        return text


def header_text(message: Message, name: str) -> str:
    return decode_words(raw_header(message, name))


def bound_raw(raw: bytes, findings: Findings) -> bytes:
    limits = findings.limits
    if len(raw) > limits.max_bytes:
        findings.flag("limit.size", f"message is {len(raw)} bytes; read {limits.max_bytes}")
        raw = raw[: limits.max_bytes]
    if raw.startswith(b"From "):  # mbox envelope line, not a header
        raw = raw.split(b"\n", 1)[1] if b"\n" in raw else b""
    raw = _bound_structure(raw, limits, findings)
    return _bound_header_blocks(raw, limits, findings)


def _bound_structure(raw: bytes, limits: Limits, findings: Findings) -> bytes:
    """Cut the message before the part that would exceed the container or part budget."""
    lowered = raw.lower()
    containers = list(_line_starts(_MULTIPART, lowered))
    if len(containers) > limits.max_depth:
        cut = containers[limits.max_depth].start()
        findings.flag("limit.depth", f"{len(containers)} multipart containers; kept the first")
        raw, lowered = raw[:cut], lowered[:cut]
    boundaries = {_group_of(raw, m) for m in _BOUNDARY.finditer(lowered)}
    # Every delimiter starts a line with `--`: with no more such lines than parts allowed, the
    # count below cannot exceed the budget, and its pattern (one per message) is not compiled.
    if not boundaries or raw.startswith(b"--") + raw.count(b"\n--") <= limits.max_parts:
        return raw
    # Longest first, in a fixed order: the pattern is the same whatever the hash seed.
    ordered = sorted(boundaries, key=lambda b: (-len(b), b))
    delimiter = re.compile(rb"--(?:" + b"|".join(re.escape(b) for b in ordered) + rb")")
    for count, match in enumerate(_line_starts(delimiter, raw)):
        # Each part has an opening delimiter, so this bounds the part count.
        if count > limits.max_parts:
            findings.flag("limit.parts", f"more than {limits.max_parts} MIME parts")
            return raw[: match.start()]
    return raw


def _line_starts(pattern: re.Pattern[bytes], data: bytes) -> Iterator[re.Match[bytes]]:
    """The matches of `pattern` that start a line of `data`: those of `^pattern` with re.M,
    provided no match holds, after a line break inside it, the start of another (true of the
    patterns here). A pattern starting with a literal is searched for fast; one starting with
    `^` is tried at every byte."""
    for match in pattern.finditer(data):
        if match.start() == 0 or data[match.start() - 1] == 0x0A:
            yield match


def _group_of(raw: bytes, match: re.Match[bytes]) -> bytes:
    """The boundary `_BOUNDARY` found in the lower-cased bytes, as `raw` spells it."""
    group = 1 if match.start(1) >= 0 else 2
    return raw[match.start(group) : match.end(group)]


def _bound_header_blocks(raw: bytes, limits: Limits, findings: Findings) -> bytes:
    """Trim oversized header blocks (top level and parts) before `email` decodes them."""
    starts = [0] + [m.end() for m in _line_starts(_DELIMITER_LINE, raw)]
    if len(raw) <= limits.max_header_line_bytes and len(starts) == 1:
        return raw
    pieces: list[bytes] = []
    position = 0
    for start in starts:
        if start < position:
            continue
        end = _block_end(raw, start)
        block = raw[start:end]
        if len(block) > limits.max_header_line_bytes:
            block = _trim_block(block, limits, findings)
        pieces += [raw[position:start], block]
        position = end
    pieces.append(raw[position:])
    return b"".join(pieces)


def _block_end(raw: bytes, start: int) -> int:
    """Where the block from `start` ends: at its first blank line, `\\r?\\n\\r?\\n` (looked for by
    its first `\\n`, which the engine scans for fast, and a `\\r` before it then added)."""
    match = _BLANK_LINE.search(raw, start)
    if not match:
        return len(raw)
    end = match.start()
    return end - 1 if end > start and raw[end - 1] == 0x0D else end


def _trim_block(block: bytes, limits: Limits, findings: Findings) -> bytes:
    kept: list[bytes] = []
    total = 0
    current = 0
    for line in block.splitlines(keepends=True):
        continuation = line[:1] in (b" ", b"\t")
        current = current + len(line) if continuation else len(line)
        if current > limits.max_header_line_bytes:
            findings.flag("limit.header_size", "a header longer than the limit was cut")
            continue
        total += len(line)
        if total > limits.max_header_bytes:
            findings.flag("limit.header_size", f"header block over {limits.max_header_bytes} bytes")
            break
        kept.append(line)
    result = b"".join(kept)
    return result if result.endswith(b"\n") or not result else result + b"\r\n"


def _walk(parsed: ParsedMessage, findings: Findings) -> None:
    stack: list[tuple[Message, int]] = [(parsed.message, 0)]
    seen = 0
    while stack:
        part, depth = stack.pop()
        seen += 1
        if seen > findings.limits.max_parts:
            findings.flag("limit.parts", f"more than {findings.limits.max_parts} MIME parts")
            return
        _note_defects(part, findings)
        if part.is_multipart():
            children = _children(part, findings)
            if depth >= findings.limits.max_depth and children:
                findings.flag("limit.depth", f"MIME nesting deeper than {depth}")
                continue
            stack.extend((child, depth + 1) for child in reversed(children))
            continue
        _read_leaf(parsed, part, findings)


def _children(part: Message, findings: Findings) -> list[Message]:
    payload = part.get_payload()
    if isinstance(payload, list):
        return [p for p in payload if isinstance(p, Message)]
    findings.flag("parse.error", "multipart without parts")
    return []


def _note_defects(part: Message, findings: Findings) -> None:
    for defect in part.defects[:3]:
        findings.flag("parse.defect", type(defect).__name__)


def _read_leaf(parsed: ParsedMessage, part: Message, findings: Findings) -> None:
    content_type = _safe(lambda: part.get_content_type(), "application/octet-stream")
    filename = _safe(lambda: decode_words(part.get_filename() or ""), "")
    disposition = _safe(lambda: part.get_content_disposition() or "", "")
    data = _payload_bytes(part, findings)
    is_body = content_type in ("text/plain", "text/html") and disposition != "attachment"
    if is_body and not filename:
        text = decode_text(part, data, findings)
        (parsed.htmls if content_type == "text/html" else parsed.texts).append(text)
        return
    inline = disposition == "inline" or (not filename and disposition != "attachment")
    parsed.attachments.append(RawAttachment(filename, content_type, data, inline))


def _payload_bytes(part: Message, findings: Findings) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception as exc:
        findings.flag("parse.decode", f"undecodable part body: {type(exc).__name__}")
        return b""
    return data if isinstance(data, bytes) else b""


def decode_text(part: Message, data: bytes, findings: Findings) -> str:
    charset = _safe(lambda: part.get_content_charset() or "utf-8", "utf-8")
    try:
        return data.decode(charset)
    except LookupError:
        findings.flag("parse.charset", f"unknown charset {charset[:40]!r}")
    except UnicodeDecodeError:
        findings.flag("parse.charset", f"text does not decode as {charset[:40]!r}")
    return data.decode("utf-8", "replace")


def _safe(read: Callable[[], T], default: T) -> T:
    try:
        return read()
    except Exception:  # header parsing bugs on hostile values must not escape
        return default
