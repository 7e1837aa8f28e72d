"""Attacks on this round's margin rules, written by shape: each dresses a lure as the ordinary
list or newsletter mail a rule was narrowed for, and each must still be seen."""

from __future__ import annotations

from portcullis.phishing.analysis import analyse

# Ordinary words, about 330 of them: what a kit pads a message with so that a filter reads a
# newsletter before it reaches the lure.
FILLER = (
    "The committee met on Tuesday to discuss the timetable for the spring term, the opening "
    "hours of the library and the results of the annual survey of members. " * 12
)


def _html_mail(head: str, html: str, subject: str = "Notice") -> bytes:
    raw = f"{head}\r\nSubject: {subject}\r\nContent-Type: text/html\r\n\r\n{html}\r\n"
    return raw.encode()


HELPDESK = "From: Mail Administrator <admin@mailbox-service.example>"
LURE = (
    "<p>Your mailbox is almost full and your account will be suspended. "
    '<a href="https://mailbox-service.example/keep">Verify your account immediately</a></p>'
)


def test_a_lure_behind_three_hundred_words_of_filler_still_counts_at_its_link() -> None:
    assert len(FILLER.split()) > 300
    for filler in [
        f"<p>{FILLER}</p>",  # words a reader scrolls past
        f'<div style="color:#ffffff;font-size:1px">{FILLER}</div>',  # words a reader never sees
    ]:
        codes = analyse(_html_mail(HELPDESK, filler + LURE)).codes()
        assert {"lure.credential", "lure.urgency"} <= codes, filler[:40]
    plain = (
        f"{HELPDESK}\r\nSubject: Notice\r\nContent-Type: text/plain\r\n\r\n{FILLER}\r\n\r\n"
        "Your mailbox is almost full. Verify your account now at "
        "https://mailbox-service.example/keep\r\n"
    )
    assert "lure.credential" in analyse(plain.encode()).codes()


def test_news_words_in_a_newsletters_item_before_its_link_are_still_news() -> None:
    item = (
        "<p>Congratulations to the winners of the photo contest, announced immediately after "
        "the show. The judges thank everyone who entered. "
        '<a href="https://parish-news.example.org/show">Read more</a></p>'
    )
    head = "From: Parish News <news@parish-news.example.org>"
    codes = analyse(_html_mail(head, f"<p>{FILLER}</p>{item}", "Parish News")).codes()
    assert not codes & {"lure.prize", "lure.urgency"}


PAYROLL = "From: Payroll Office <payroll@company.example>"
BOX = "Reply-To: payroll@salary-desk.example"
PAY = "Please confirm the new bank account for your salary by return."


def _codes(head: str, body: str = PAY) -> set[str]:
    raw = f"{head}\r\nSubject: Salary account\r\nContent-Type: text/plain\r\n\r\n{body}\r\n"
    return analyse(raw.encode()).codes()


def test_a_list_unsubscribe_line_at_the_reply_box_does_not_make_it_a_list() -> None:
    # One header naming the attacker's own box as a list's command address.
    command = "List-Unsubscribe: <mailto:leave@salary-desk.example>"
    assert "sender.reply_to_mismatch" in _codes(f"{PAYROLL}\r\n{BOX}\r\n{command}")
    # Bounces there too, but the receiving server saw neither SPF nor DKIM pass for it: the
    # message did not come from a list's server at salary-desk.example.
    bounce = "Return-Path: <bounces@salary-desk.example>"
    received = (
        "Authentication-Results: mx.company.example; spf=none smtp.mailfrom=salary-desk.example;"
        " dkim=none; dmarc=fail header.from=company.example"
    )
    codes = _codes(f"{received}\r\n{PAYROLL}\r\n{BOX}\r\n{bounce}\r\n{command}")
    assert {"sender.reply_to_mismatch", "sender.return_path_mismatch"} <= codes


def test_list_lines_at_a_webmail_provider_do_not_excuse_a_reply_there() -> None:
    # Anyone may open boxes at gmail.com: a "list" whose command, bounce and reply addresses are
    # all there is a sender's own lines, whichever way they are written.
    reply = "Reply-To: payroll.desk@gmail.com"
    for lines in [
        "List-Unsubscribe: <mailto:leave@gmail.com>\r\nReturn-Path: <bounces@gmail.com>",
        "Return-Path: <payroll.desk-bounce@gmail.com>",
        "List-Id: <payroll.gmail.com>\r\nList-Post: <mailto:payroll.desk@gmail.com>\r\n"
        "Return-Path: <payroll.desk-owner@gmail.com>",
    ]:
        codes = _codes(f"{PAYROLL}\r\n{reply}\r\n{lines}")
        assert {"sender.reply_to_freemail", "sender.return_path_mismatch"} <= codes, lines
    # A webmail provider's own list host is a list's (an MSN group of 2002, as in the corpus).
    group = (
        "From: joyful <abcusa88@hotmail.com>\r\n"
        'Reply-To: "One Income Living" <OneIncomeLiving@groups.msn.com>\r\n'
        "Return-Path: <OneIncomeLiving-bounce@groups.msn.com>"
    )
    codes = _codes(group, "Any tips on cheap family meals this week?")
    assert not codes & {"sender.reply_to_mismatch", "sender.return_path_mismatch"}


def test_a_list_whose_server_sent_the_post_still_takes_its_replies() -> None:
    head = (
        "Authentication-Results: mx.home.example; spf=pass "
        "smtp.mailfrom=gardeners-bounces@groups.example.com; dkim=pass header.d=groups.example.com"
        "\r\nFrom: Ann Poster <ann@home-isp.example.net>\r\n"
        "Reply-To: gardeners@groups.example.com\r\n"
        "Return-Path: <bounce-4711@groups.example.com>\r\n"
        "List-Unsubscribe: <mailto:gardeners-unsubscribe@groups.example.com>"
    )
    codes = _codes(head, "Has anyone tried the new compost bins?")
    assert not codes & {"sender.reply_to_mismatch", "sender.return_path_mismatch"}


def test_a_second_at_sign_does_not_hide_a_bounce_or_reply_address() -> None:
    # The standard parser reads an address with two @ as no address, or as pieces of one.
    for bounce in [
        "Return-Path: <payroll@company.example@salary-desk.example>",
        "Return-Path: payroll@company.example@salary-desk.example",
    ]:
        result = analyse(f"{PAYROLL}\r\n{bounce}\r\nSubject: Salary\r\n\r\n{PAY}\r\n".encode())
        assert "sender.return_path_mismatch" in result.codes(), bounce
        assert result.observables.return_path.endswith("@salary-desk.example")
    # A webmail box behind a second @ is still a webmail box, not a mismatch with no domain.
    reply = "Reply-To: <payroll@company.example@gmail.com>"
    assert "sender.reply_to_freemail" in _codes(f"{PAYROLL}\r\n{reply}")
    # A From like it was already read by its last domain, and is no valid address list.
    codes = _codes("From: Payroll Office <payroll@company.example@salary-desk.example>\r\n" + BOX)
    assert "sender.malformed" in codes
    assert "sender.reply_to_mismatch" not in codes
