"""Attachments are inspected as bytes only: magic numbers, archive directories, PDF tokens and
OLE streams. Nothing is executed, rendered or written to disk."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
import zlib
from collections.abc import Callable

import olefile

from portcullis.lib.observables import url_host

from . import domains, images
from .model import AttachmentInfo, Findings
from .parse import RawAttachment

UrlSink = Callable[[str, str], None]

EXECUTABLE = frozenset(
    [
        "exe",
        "scr",
        "com",
        "pif",
        "bat",
        "cmd",
        "js",
        "jse",
        "vbs",
        "vbe",
        "wsf",
        "wsh",
        "hta",
        "lnk",
        "msi",
        "msp",
        "dll",
        "cpl",
        "jar",
        "ps1",
        "psm1",
        "reg",
        "chm",
        "apk",
        "appx",
        "msix",
        "iso",
        "img",
        "vhd",
        "vhdx",
        "one",
        "url",
        "library-ms",
        "scf",
    ]
)
HTML_TYPES = frozenset(["html", "htm", "shtml", "xhtml", "svg", "mht", "mhtml"])
MACRO_EXTENSIONS = frozenset(
    ["docm", "dotm", "xlsm", "xltm", "xlam", "pptm", "potm", "ppsm", "sldm"]
)
OTHER_RISKY = frozenset(["mobileconfig", "ics"])
_PDF_URI = re.compile(rb"/URI\s*\(([^)]{4,2000})\)")
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|OpenAction|EmbeddedFile)\b")
_PDF_STREAM = re.compile(rb"stream\r?\n")
_TEXT_URL = re.compile(rb"https?://[^\s<>\"'()]{4,2000}")


def check_attachments(items: list[RawAttachment], add_url: UrlSink, findings: Findings) -> None:
    budget = [findings.limits.max_decompressed_bytes]
    limit = findings.limits.max_attachments
    if len(items) > limit:
        findings.flag("limit.attachments", f"{len(items)} attachments; inspected the first {limit}")
    for item in items[:limit]:
        _record(item, findings)
        _inspect(item.filename, item.data, item.content_type, add_url, findings, budget, 0)


def _record(item: RawAttachment, findings: Findings) -> None:
    digest = hashlib.sha256(item.data).hexdigest()
    info = AttachmentInfo(item.filename, item.content_type, len(item.data), digest)
    findings.observables.attachments.append(info)


def extension(name: str) -> str:
    return name.lower().rsplit(".", 1)[-1] if "." in name else ""


def _inspect(
    name: str,
    data: bytes,
    content_type: str,
    add_url: UrlSink,
    findings: Findings,
    budget: list[int],
    depth: int,
) -> None:
    _check_name(name, content_type, findings)
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        _check_zip(name, data, add_url, findings, budget, depth)
    elif data.startswith(b"\x1f\x8b"):
        _check_gzip(name, data, add_url, findings, budget, depth)
    elif data.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        _check_pdf(name, data, add_url, findings, budget)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        _check_ole(name, data, findings)
    elif images.is_image(data):
        images.check_image(name, data, add_url, findings)
    elif extension(name) in HTML_TYPES or extension(name) in OTHER_RISKY or "html" in content_type:
        _urls_in_bytes(name, data, add_url)
    elif data.startswith((b"Rar!", b"7z\xbc\xaf")):
        findings.flag("attachment.opaque_archive", f"{name}: RAR/7z archive not inspected")


def _check_name(name: str, content_type: str, findings: Findings) -> None:
    ext = extension(name)
    if ext in EXECUTABLE:
        findings.flag("attachment.executable", f"{name} ({content_type})")
    elif ext in HTML_TYPES:
        findings.flag("attachment.html", f"{name}: opens a local web page")
    elif ext in MACRO_EXTENSIONS:
        findings.flag("attachment.macro", f"{name}: macro-enabled Office type")
    elif ext == "mobileconfig":
        findings.flag("attachment.device_profile", f"{name}: installs a device profile")
    elif ext == "ics" or content_type == "text/calendar":
        findings.flag("attachment.calendar", f"{name}: calendar invitation")
    inner = name.lower().rsplit(".", 2)
    decoy = ("pdf", "doc", "docx", "xls", "jpg", "png", "txt")
    if len(inner) == 3 and inner[1] in decoy and inner[2] in EXECUTABLE:
        findings.flag("attachment.double_extension", name)


def _check_zip(
    name: str, data: bytes, add_url: UrlSink, f: Findings, budget: list[int], depth: int
) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except Exception as exc:
        f.flag("parse.archive", f"{name}: unreadable zip ({type(exc).__name__})")
        return
    if len(members) > f.limits.max_archive_members:
        f.flag("limit.archive_members", f"{name}: {len(members)} members")
        members = members[: f.limits.max_archive_members]
    declared = sum(m.file_size for m in members)
    if declared > f.limits.max_decompressed_bytes or declared > 200 * max(len(data), 1):
        f.flag("limit.decompression", f"{name}: expands to {declared} bytes; not unpacked")
        f.flag("attachment.decompression_bomb", f"{name}: {declared} bytes from {len(data)}")
        return
    names = {m.filename for m in members}
    if "word/vbaProject.bin" in names or any(n.endswith("vbaProject.bin") for n in names):
        f.flag("attachment.macro", f"{name}: contains a VBA project")
    if "[Content_Types].xml" in names:
        return  # an Office document: its parts are not separate attachments
    for member in members:
        _check_member(name, archive, member, add_url, f, budget, depth)


def _check_member(
    name: str,
    archive: zipfile.ZipFile,
    member: zipfile.ZipInfo,
    add_url: UrlSink,
    f: Findings,
    budget: list[int],
    depth: int,
) -> None:
    label = f"{name}/{member.filename}"
    if member.flag_bits & 0x1:
        f.flag("attachment.encrypted_archive", f"{label} is encrypted (zip flag bit 0)")
        return
    if member.is_dir() or depth >= 2:
        _check_name(label, "", f)
        return
    if member.file_size > budget[0]:
        f.flag("limit.decompression", f"{label}: decompression budget spent")
        return
    try:
        with archive.open(member) as stream:
            content = stream.read(budget[0] + 1)
    except Exception as exc:
        f.flag("parse.archive", f"{label}: unreadable ({type(exc).__name__})")
        return
    budget[0] -= len(content)
    if budget[0] < 0:  # the directory lied about the size
        f.flag("limit.decompression", f"{label}: larger than declared")
        f.flag("attachment.decompression_bomb", label)
        return
    _inspect(label, content, "", add_url, f, budget, depth + 1)


def _check_gzip(
    name: str, data: bytes, add_url: UrlSink, f: Findings, budget: list[int], depth: int
) -> None:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        content = inflater.decompress(data, max(budget[0], 1))
    except zlib.error:
        f.flag("parse.archive", f"{name}: broken gzip")
        return
    if inflater.unconsumed_tail:
        f.flag("limit.decompression", f"{name}: gzip expands past the budget")
        f.flag("attachment.decompression_bomb", name)
        return
    budget[0] -= len(content)
    inner = name[:-3] if name.lower().endswith(".gz") else name + ".inner"
    if depth < 2:
        _inspect(inner, content, "", add_url, f, budget, depth + 1)


def _check_pdf(name: str, data: bytes, add_url: UrlSink, f: Findings, budget: list[int]) -> None:
    if b"/Encrypt" in data:
        f.flag("attachment.encrypted_pdf", f"{name}: PDF is encrypted")
    active = {m.decode() for m in _PDF_ACTIVE.findall(data)}
    if active & {"JavaScript", "JS", "Launch", "EmbeddedFile"}:
        f.flag("attachment.pdf_active", f"{name}: {', '.join(sorted(active))}")
    links = []
    for chunk in [data, *_pdf_streams(data, f, budget)]:
        for uri in _PDF_URI.findall(chunk)[:50]:
            links.append(uri.decode("latin-1").replace("\\", ""))
            add_url(links[-1], f"PDF {name}")
    _check_pdf_doorway(name, links, f)


def _check_pdf_doorway(name: str, links: list[str], f: Findings) -> None:
    """A PDF that links to someone else's site: the document is a doorway (a picture of a
    button or an invoice "to view online") that carries the lure past link scanners, which
    read the message and not its attachments."""
    sender = f.observables.sender.rpartition("@")[2]
    for link in links:
        host = url_host(link)
        if (
            host
            and link.lower().startswith(("http", "www."))
            and not (sender and domains.same_org(host, sender))
        ):
            f.flag("attachment.pdf_link", f"{name} links to {host}")
            return


def _pdf_streams(data: bytes, f: Findings, budget: list[int]) -> list[bytes]:
    """Inflated Flate streams (links often sit in compressed object streams), within budget."""
    out: list[bytes] = []
    for match in list(_PDF_STREAM.finditer(data))[:200]:
        if budget[0] <= 0:
            f.flag("limit.decompression", "PDF streams past the decompression budget")
            break
        inflater = zlib.decompressobj()
        try:
            chunk = inflater.decompress(data[match.end() : match.end() + 2_000_000], budget[0])
        except zlib.error:
            continue
        budget[0] -= len(chunk)
        out.append(chunk)
    return out


def _check_ole(name: str, data: bytes, f: Findings) -> None:
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
        streams = {"/".join(s).lower() for s in ole.listdir(streams=True, storages=True)}
        word = ole.openstream("WordDocument").read(16) if ole.exists("WordDocument") else b""
        ole.close()
    except Exception as exc:
        f.flag("parse.archive", f"{name}: unreadable OLE file ({type(exc).__name__})")
        return
    if any(s.endswith(("vba", "_vba_project", "macros")) or "/vba/" in s for s in streams):
        f.flag("attachment.macro", f"{name}: OLE file with VBA macros")
    if {"encryptioninfo", "encryptedpackage"} & streams:
        f.flag("attachment.encrypted_office", f"{name}: password-protected Office document")
    # Word 97-2003 FIB: fEncrypted is bit 0 of byte 0x0B.
    if len(word) > 11 and word[11] & 0x01:
        f.flag("attachment.encrypted_office", f"{name}: password-protected Word document")


def _urls_in_bytes(name: str, data: bytes, add_url: UrlSink) -> None:
    for url in _TEXT_URL.findall(data[:2_000_000])[:100]:
        add_url(url.decode("latin-1"), f"attachment {name}")
