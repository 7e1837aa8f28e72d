"""Outlook .msg reports, built here byte by byte (`msgfile`): each property is read on its own,
8-bit strings in the message's own code page, RTF bodies included, calendar items like mail."""

from __future__ import annotations

import struct

import compressed_rtf

from portcullis.phishing.analysis import Limits, Verdict, analyse, looks_like_email
from portcullis.phishing.analysis import msg as m

from .helpers import CONTEXT
from .msgfile import write_msg


def _rtf(text: str, codepage: int) -> bytes:
    data = text.encode(f"cp{codepage}")
    escaped = b"".join(b"\\'%02x" % c if c > 127 or c in b"{}\\" else bytes([c]) for c in data)
    body = b"{\\rtf1\\ansi\\ansicpg%d\\deff0{\\fonttbl{\\f0 MS Gothic;}}" % codepage
    body += b"{\\*\\generator Microsoft Exchange Server;}\\f0 " + escaped + b"\\par }"
    return bytes(compressed_rtf.compress(body))


def test_a_cp932_message_with_an_rtf_body_keeps_sender_subject_body_and_links() -> None:
    raw = write_msg(
        {
            m.MESSAGE_CLASS: ("IPM.Note", "cp932"),
            m.MESSAGE_CODEPAGE: 932,
            m.SUBJECT: ("【重要】アカウントの確認", "cp932"),
            m.SENDER_NAME: ("山田 太郎", "cp932"),
            m.SENDER_SMTP: ("yamada@parliarnent.uk", "cp932"),
            m.RTF_COMPRESSED: _rtf(
                "至急アカウントを確認してください。 https://parliarnent.uk/login", 932
            ),
        }
    )
    assert looks_like_email(raw)
    result = analyse(raw, CONTEXT)
    assert result.observables.subject == "【重要】アカウントの確認"
    assert result.observables.sender_name == "山田 太郎"
    assert result.observables.sender == "yamada@parliarnent.uk"
    assert any("至急アカウントを確認してください" in text for text in result.texts)
    assert "https://parliarnent.uk/login" in result.observables.urls
    assert "domain.lookalike" in result.codes()
    assert "parse.error" not in result.codes()


def test_chinese_and_cyrillic_subjects_use_the_messages_own_code_page() -> None:
    for codepage, subject in [(936, "关于合作的邀请"), (1251, "Предложение о сотрудничестве")]:
        raw = write_msg(
            {
                m.INTERNET_CPID: codepage,
                m.SUBJECT: (subject, f"cp{codepage}"),
                m.SENDER_SMTP: ("someone@example.org", "ascii"),
                m.BODY: ("Hello", "ascii"),
            }
        )
        assert analyse(raw).observables.subject == subject


def test_a_property_that_does_not_decode_costs_only_itself() -> None:
    raw = write_msg(
        {
            m.MESSAGE_CODEPAGE: 932,
            m.SUBJECT: "Quarterly figures",
            m.SENDER_NAME: "Finance team",
            m.SENDER_SMTP: "finance@example.org",
            m.BODY: ("Open https://example.org/figures", "ascii"),
            m.HTML: b"\x81\xff\xfe not html in any code page",
            m.RTF_COMPRESSED: b"\x00\x01 not compressed RTF at all",
        },
    )
    # The broken RTF sits beside a readable body: it is not even needed.
    result = analyse(raw)
    assert result.observables.subject == "Quarterly figures"
    assert result.observables.sender == "finance@example.org"
    assert "https://example.org/figures" in result.observables.urls
    garbage = struct.pack("<II4sI", 40, 64, b"LZFu", 0) + b"not a compressed stream" * 2
    broken = write_msg({m.SUBJECT: "Only RTF", m.RTF_COMPRESSED: garbage})
    result = analyse(broken)
    assert result.observables.subject == "Only RTF"
    assert "parse.decode" in result.codes()


def test_a_meeting_request_keeps_its_links_and_attachments() -> None:
    raw = write_msg(
        {
            m.MESSAGE_CLASS: "IPM.Schedule.Meeting.Request",
            m.SUBJECT: "Briefing: committee visit",
            m.SENDER_NAME: "Tom Brown",
            m.SENDER_SMTP: "tom.brown.office@gmail.com",
            m.BODY: "Join the briefing here: https://parliament-uk.org/meeting/join?id=8812",
        },
        attachments=[
            {
                m.ATTACH_LONG_FILENAME: "agenda.html",
                m.ATTACH_MIME: "text/html",
                m.ATTACH_DATA: b'<a href="https://parliament-uk.org/agenda">agenda</a>',
            },
            {
                m.ATTACH_LONG_FILENAME: "invite.ics",
                m.ATTACH_MIME: "text/calendar",
                m.ATTACH_DATA: b"BEGIN:VCALENDAR\r\nURL:https://parliament-uk.org/cal\r\nEND:VCALENDAR",
            },
        ],
    )
    result = analyse(raw, CONTEXT)
    urls = result.observables.urls
    assert "https://parliament-uk.org/meeting/join?id=8812" in urls
    assert "https://parliament-uk.org/agenda" in urls
    assert [a.filename for a in result.observables.attachments] == ["agenda.html", "invite.ics"]
    assert {
        "domain.lookalike",
        "sender.impersonates_person",
        "attachment.calendar",
    } <= result.codes()
    assert result.verdict == Verdict.MALICIOUS


def test_a_contact_item_with_few_properties_is_read_without_error() -> None:
    raw = write_msg({m.MESSAGE_CLASS: "IPM.Contact", m.SUBJECT: "Li Wei"})
    result = analyse(raw)
    assert result.observables.subject == "Li Wei"
    assert "parse.error" not in result.codes()


def test_an_rtf_body_larger_than_its_bound_is_not_decompressed() -> None:
    rtf = bytearray(_rtf("hello", 1252))
    struct.pack_into("<I", rtf, 4, 50 * 1024 * 1024)  # claims 50 MB once decompressed
    raw = write_msg({m.SUBJECT: "Big", m.RTF_COMPRESSED: bytes(rtf)})
    result = analyse(raw, limits=Limits(max_rtf_bytes=1024 * 1024))
    assert "limit.rtf" in result.codes()
    assert result.observables.subject == "Big"


def test_an_ole_file_that_is_no_outlook_item_is_not_an_email() -> None:
    from .msgfile import write_cfb

    assert not looks_like_email(write_cfb({"WordDocument": b"\x00" * 600}))
