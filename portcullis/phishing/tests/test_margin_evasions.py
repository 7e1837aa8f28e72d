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
