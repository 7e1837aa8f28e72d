"""Hostile input never raises out of the analyser and stops at its limits.

Assertions are on the limit indicators, never on wall-clock time.
"""

from __future__ import annotations

import base64
import gzip
import io
import multiprocessing
import random
import time
import zipfile

import pytest

from portcullis.phishing.analysis import Analysis, Limits, analyse


def _analyse(raw: bytes, limits: Limits | None = None) -> Analysis:
    result = analyse(raw, limits=limits)
    assert result.verdict.value in ("malicious", "suspicious", "clean")
    return result


def _multipart(parts: list[bytes], boundary: bytes = b"zz") -> bytes:
    body = b"".join(b"--" + boundary + b"\r\n" + p + b"\r\n" for p in parts)
    return (
        b"From: a@example.org\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="'
        + boundary
        + b'"\r\n\r\n'
        + body
        + b"--"
        + boundary
        + b"--\r\n"
    )


def _attachment(name: bytes, data: bytes) -> bytes:
    return (
        b"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n"
        b'Content-Disposition: attachment; filename="'
        + name
        + b'"\r\n\r\n'
        + base64.encodebytes(data)
    )


def test_ten_thousand_parts_stop_at_the_part_limit() -> None:
    raw = _multipart([b"Content-Type: text/plain\r\n\r\npart %d" % i for i in range(10_000)])
    result = _analyse(raw)
    assert "limit.parts" in result.codes()
    assert result.truncated


def test_deeply_nested_multiparts_stop_at_the_depth_limit() -> None:
    raw = b"From: a@example.org\r\nMIME-Version: 1.0\r\n"
    for level in range(2_000):
        raw += b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (level, level)
    raw += b"Content-Type: text/plain\r\n\r\ndeep\r\n"
    for level in reversed(range(2_000)):
        raw += b"--b%d--\r\n" % level
    assert "limit.depth" in _analyse(raw).codes()


def test_a_megabyte_of_headers_is_cut() -> None:
    raw = b"From: a@example.org\r\nSubject: " + b"=?utf-8?q?a?= " * 80_000 + b"\r\n\r\nbody\r\n"
    result = _analyse(raw)
    assert "limit.header_size" in result.codes()


def test_many_header_lines_are_cut() -> None:
    raw = (
        b"From: a@example.org\r\n"
        + b"X-Filler: "
        + b"y" * 90
        + b"\r\n" * 1
        + b"".join(b"X-Filler-%d: %s\r\n" % (i, b"y" * 90) for i in range(11_000))
        + b"\r\nbody\r\n"
    )
    assert "limit.header_size" in _analyse(raw).codes()


def test_a_zip_bomb_is_not_unpacked() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"\0" * (64 * 1024 * 1024))
    raw = _multipart(
        [b"Content-Type: text/plain\r\n\r\nhi", _attachment(b"a.zip", buffer.getvalue())]
    )
    result = _analyse(raw)
    assert {"limit.decompression", "attachment.decompression_bomb"} <= result.codes()


def test_a_gzip_bomb_stops_at_the_budget() -> None:
    bomb = gzip.compress(b"\0" * (32 * 1024 * 1024))
    raw = _multipart([_attachment(b"log.gz", bomb)])
    result = _analyse(raw, Limits(max_decompressed_bytes=1024 * 1024))
    assert "limit.decompression" in result.codes()


def test_a_message_over_the_size_limit_is_truncated() -> None:
    raw = b"From: a@example.org\r\n\r\n" + b"x" * 2_000_000
    result = _analyse(raw, Limits(max_bytes=1_000_000))
    assert "limit.size" in result.codes()


@pytest.mark.parametrize("charset", [b"x-no-such-charset", b"utf-7", b"utf-8"])
def test_wrong_or_unknown_charsets_become_indicators(charset: bytes) -> None:
    raw = (
        b"From: a@example.org\r\nContent-Type: text/plain; charset=" + charset + b"\r\n\r\n"
        b"caf\xe9 \xff\xfe broken\r\n"
    )
    assert "parse.charset" in _analyse(raw).codes()


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\r\n\r\n",
        b"From: \r\nContent-Type: multipart/mixed\r\n\r\n--\r\n--\r\n",
        b'Content-Type: multipart/mixed; boundary="x"\r\n\r\n--x\r\nContent-Type: message/rfc822',
        b"From: =?utf-8?b?####?= <@@@>\r\nReply-To: ,,,<>\r\nSubject: =?bogus?q?x?=\r\n\r\n",
        b"Content-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!",
        b"Content-Type: text/html\r\n\r\n<a href='http://[::1'>x</a><img src=\"http://%zz\">",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
    ],
)
def test_broken_mime_never_raises(raw: bytes) -> None:
    _analyse(raw)


def test_garbage_bytes_never_raise() -> None:
    generator = random.Random(5)
    for _ in range(30):
        _analyse(bytes(generator.getrandbits(8) for _ in range(generator.randint(1, 5_000))))


def test_broken_attachments_never_raise() -> None:
    parts = [
        _attachment(b"a.zip", b"PK\x03\x04" + b"\x00" * 50),
        _attachment(b"a.pdf", b"%PDF-1.4 stream\r\n\x78\x9c garbage endstream"),
        _attachment(b"a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x01" * 100),
        _attachment(b"a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),
        _attachment(b"a.gz", b"\x1f\x8b" + b"\x00" * 20),
    ]
    result = _analyse(_multipart(parts))
    assert len(result.observables.attachments) == 5


def test_a_huge_image_is_not_decoded() -> None:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (5000, 5000)).save(buffer, format="PNG")
    result = _analyse(_multipart([_attachment(b"big.png", buffer.getvalue())]))
    assert "limit.image_pixels" in result.codes()


def _zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_the_same_message_gets_the_same_verdict_with_the_cpu_loaded() -> None:
    """No wall-clock limit: work is bounded by bytes, parts, links and items, so a loaded
    machine gives a slower answer, never a different one."""
    assert not any("second" in name for name in Limits.__dataclass_fields__)
    parts = [
        b"Content-Type: text/html\r\n\r\n"
        + b"".join(b'<a href="https://x%d.example.org/p?id=%d">l</a>' % (i, i) for i in range(400))
        + b'<img src="https://t.example.org/o.gif?rid=8f3a9c2e1b7d4f60a1c3e5b2" width=1 height=1>',
        _attachment(b"a.zip", _zip_of({f"f{i}.txt": b"https://y.example.net/" for i in range(50)})),
        b"Content-Type: text/plain\r\n\r\n" + b"Verify your account within 24 hours. " * 2000,
    ]
    raw = _multipart(parts)
    quiet = _analyse(raw).to_dict()
    spinners = [multiprocessing.Process(target=_spin, args=(20.0,)) for _ in range(4)]
    for spinner in spinners:
        spinner.start()
    try:
        loaded = [_analyse(raw).to_dict() for _ in range(3)]
    finally:
        for spinner in spinners:
            spinner.terminate()
            spinner.join()
    assert all(result == quiet for result in loaded)
    assert quiet["score"] > 0 and len(quiet["observables"]["urls"]) > 400


def test_too_many_attachments_are_counted_not_timed() -> None:
    parts = [_attachment(f"a{i}.txt".encode(), b"hello") for i in range(120)]
    result = _analyse(_multipart(parts), Limits(max_attachments=100))
    assert "limit.attachments" in result.codes()
    assert len(result.observables.attachments) == 100
