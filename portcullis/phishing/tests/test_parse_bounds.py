"""The cheap pre-pass of `parse.bound_raw` finds its delimiters as `^...` with re.M would,
and the host look-ups of `domains` answer as the suffix comparisons they replaced."""

from __future__ import annotations

import re

import pytest

from portcullis.phishing.analysis import domains, parse

SAMPLE = (
    b'--top\r\nContent-Type: multipart/mixed; boundary="Inner"\r\n\r\n'
    b"x--Inner\n--Inner\n--Inner\r\nCONTENT-TYPE:\n multipart/alternative\n"
    b"content-type: text/plain\ncontent-type:\ncontent-type: multipart/x\n--\n---\n--last"
)


@pytest.mark.parametrize(
    ("pattern", "data"),
    [
        (parse._MULTIPART, SAMPLE.lower()),
        (parse._DELIMITER_LINE, SAMPLE),
        (re.compile(rb"--(?:Inner|top)"), SAMPLE),
    ],
)
def test_line_starts_are_the_matches_of_the_pattern_at_the_start_of_a_line(
    pattern: re.Pattern[bytes], data: bytes
) -> None:
    anchored = re.compile(b"^" + pattern.pattern, re.M)
    expected = [m.span() for m in anchored.finditer(data)]
    assert expected
    assert [m.span() for m in parse._line_starts(pattern, data)] == expected


def test_boundaries_keep_the_case_they_are_written_in() -> None:
    match = next(parse._BOUNDARY.finditer(SAMPLE.lower()))
    assert parse._group_of(SAMPLE, match) == b"Inner"


@pytest.mark.parametrize("start", range(12))
def test_a_header_block_ends_where_the_first_blank_line_starts(start: int) -> None:
    data = b"a: 1\r\n\r\nb\n\nc\r\n\nd\n\r\n\r\r\n"
    blank = re.compile(rb"\r?\n\r?\n").search(data, start)
    assert parse._block_end(data, start) == (blank.start() if blank else len(data))


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("web.app", True),
        ("login.example.web.app", True),
        ("a..web.app", True),
        ("notweb.app", False),
        ("web.app.example.com", False),
        ("", False),
    ],
)
def test_a_host_is_free_hosting_when_it_is_or_is_under_a_listed_name(
    host: str, expected: bool
) -> None:
    by_suffix = any(host == h or host.endswith("." + h) for h in domains.FREE_HOSTING)
    assert by_suffix is expected
    assert domains.is_free_hosting(host) is expected
