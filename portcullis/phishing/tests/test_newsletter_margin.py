"""Ordinary list and newsletter mail, written by shape for these tests, kept well below the
suspicious line and not only just under it: replies that go to the discussion list the message
came through (named by its command addresses or by its owner's Sender), the stock words of news
("congratulations to the winners", "patch immediately") in the middle of a long issue, a
forwarding service's promise to keep the reader's private address safe, and a member's post to
a discussion list. Each narrowed rule is tested both ways; so is the one phrase family widened,
"as soon as possible" in each language the analyser reads."""

from __future__ import annotations

from portcullis.phishing.analysis import analyse, language
from portcullis.phishing.analysis.model import Findings, Limits


def _codes(head: str, body: str, subject: str = "Weekly notes") -> set[str]:
    raw = f"{head}\r\nSubject: {subject}\r\nContent-Type: text/plain\r\n\r\n{body}\r\n"
    return analyse(raw.encode()).codes()


POSTER = "From: Ann Poster <ann@home-isp.example.net>"
REPLY_TO_LIST = "Reply-To: gardeners@groups.example.com"
LIST_BOUNCE = "Return-Path: <bounce-4711@groups.example.com>"


def test_replies_to_the_list_named_by_its_command_addresses_are_no_mismatch() -> None:
    body = "Has anyone tried the new compost bins?"
    commands = [
        "List-Unsubscribe: <mailto:gardeners-unsubscribe@groups.example.com>",
        "Mailing-List: list gardeners@groups.example.com; contact gardeners-owner@groups."
        "example.com",
        "List-Help: <mailto:gardeners-help@groups.example.com?subject=help>",
    ]
    for header in commands:
        head = f"{POSTER}\r\n{REPLY_TO_LIST}\r\n{LIST_BOUNCE}\r\n{header}\r\nPrecedence: bulk"
        assert "sender.reply_to_mismatch" not in _codes(head, body), header
    # No list header, a web-only unsubscribe link (any mailing service's) or a list elsewhere:
    # replies going to another organisation are still a mismatch.
    for header in [
        "Precedence: bulk",
        "List-Unsubscribe: <https://groups.example.com/leave?u=1>",
        "List-Unsubscribe: <mailto:leave@other-list.example.org>",
    ]:
        head = f"{POSTER}\r\n{REPLY_TO_LIST}\r\n{header}"
        assert "sender.reply_to_mismatch" in _codes(head, body), header


def test_replies_to_the_list_whose_owner_is_the_sender_are_no_mismatch() -> None:
    reply = "Reply-To: tls-users@crypto-project.example.org"
    body = "How do I serve two virtual hosts on one address?"
    for header in [
        "Sender: owner-tls-users@crypto-project.example.org",
        "Errors-To: tls-users-admin@crypto-project.example.org",
    ]:
        head = f"{POSTER}\r\n{reply}\r\n{header}\r\nPrecedence: bulk"
        assert "sender.reply_to_mismatch" not in _codes(head, body), header
    # A Sender that is not the list's own owner address does not vouch for the Reply-To.
    for header in [
        "Sender: mailer@crypto-project.example.org",
        "Sender: owner-tls-users@elsewhere.example.net",
    ]:
        head = f"{POSTER}\r\n{reply}\r\n{header}"
        assert "sender.reply_to_mismatch" in _codes(head, body), header


NEWS = (
    "In this issue: the committee's new timetable, the library's opening hours and the "
    "results of the spring survey. " * 30
)


def _lures(texts: list[str]) -> set[str]:
    findings = Findings(Limits())
    folded = language.folded_text(texts, 200_000)
    language.check_language(folded, findings, language.opening_text(texts, 200_000))
    return set(findings.evidence)


def test_a_stock_lure_word_in_the_middle_of_a_long_issue_is_news() -> None:
    deep = f"{NEWS} Congratulations to the winners of the photo contest. Patch immediately. {NEWS}"
    assert len(NEWS.split()) > language.OPENING_WORDS
    assert not _lures(["Weekly notes", deep]) & {"lure.prize", "lure.urgency"}
    # The same words at the start of the body, or in the subject, are the lure a phish leads
    # with; so are they in the opening of a second body (the HTML beside the plain text).
    opening = f"Congratulations! Act immediately. {NEWS}"
    assert _lures(["Weekly notes", opening]) >= {"lure.prize", "lure.urgency"}
    assert "lure.prize" in _lures(["Congratulations, you have won", deep])
    assert "lure.prize" in _lures(["Weekly notes", deep, "Congratulations, you have won"])
    # Without an opening given, every phrase counts wherever it is.
    findings = Findings(Limits())
    language.check_language(language.folded_text(["Weekly notes", deep], 200_000), findings)
    assert {"lure.prize", "lure.urgency"} <= set(findings.evidence)


def test_a_long_newsletter_with_news_words_deep_inside_stays_far_below_suspicious() -> None:
    head = "From: Parish News <news@parish-news.example.org>"
    body = f"{NEWS}\r\nCongratulations to Mrs Lee, whose marrow won the show.\r\n{NEWS}"
    raw = f"{head}\r\nSubject: Parish News\r\nContent-Type: text/plain\r\n\r\n{body}\r\n"
    result = analyse(raw.encode())
    assert "lure.prize" not in result.codes()
    assert result.score < 1.0, (result.score, sorted(result.codes()))


def _approach(text: str) -> set[str]:
    findings = Findings(Limits())
    language.check_approach(language.folded_text([text], 200_000), findings)
    return set(findings.evidence)


def test_a_privacy_promise_about_the_readers_address_is_no_move_off_platform() -> None:
    for promise in [
        "Mailshell will forward your replies and keep your private email address safe.",
        "We will never share your personal e-mail address with anyone.",
        "We do not sell or rent your personal phone number.",
    ]:
        assert "approach.off_platform" not in _approach(promise), promise
    for ask in [
        "Could we continue this on your personal email rather than the office one?",
        "Please send the draft to a private email address; I will explain why.",
        "What is your personal mobile? It is easier to talk there.",
    ]:
        assert "approach.off_platform" in _approach(ask), ask


MEMBER = 'From: "Terry W. Colvin" <fortean1@dialup-isp.example.net>'
THROUGH_LIST = (
    "List-Post: <mailto:skeptics@lists.example.org>\r\n"
    "Return-Path: <skeptics-admin@lists.example.org>\r\nPrecedence: bulk"
)
POST = "An article on pseudoscience: https://www.science-news.example.com/2002/12/quotes.html"


def test_a_members_post_through_a_discussion_list_is_no_organisation_writing() -> None:
    codes = _codes(f"{MEMBER}\r\n{THROUGH_LIST}", POST)
    assert not codes & {"sender.name_unrelated", "sender.unanchored"}
    # Replies to another organisation than the list still count in a post.
    other_box = "Reply-To: claims@payout.example"
    assert "sender.reply_to_mismatch" in _codes(f"{MEMBER}\r\n{other_box}\r\n{THROUGH_LIST}", POST)


def test_a_digest_the_list_software_writes_is_no_organisation_writing() -> None:
    digest = (
        "From: Digestifier <Announce-Request@lists.example.edu>\r\n"
        "Reply-To: Announce@lists.example.edu\r\nPrecedence: bulk"
    )
    assert not _codes(digest, POST) & {"sender.name_unrelated", "sender.unanchored"}
    # Another box than the list's own command address does not speak for the list.
    other = "From: Digestifier <news@lists.example.edu>\r\nReply-To: Announce@lists.example.edu"
    assert {"sender.name_unrelated", "sender.unanchored"} <= _codes(other, POST)


def test_a_newsletter_or_a_list_header_it_did_not_come_through_is_no_discussion_list() -> None:
    for head in [
        # A newsletter's unsubscribe address names no place where members post.
        "List-Unsubscribe: <mailto:leave@lists.example.org>\r\n"
        "Return-Path: <bounce@lists.example.org>",
        # The list is named, but bounces and replies go elsewhere.
        "List-Post: <mailto:skeptics@lists.example.org>\r\nReturn-Path: <x@elsewhere.example>",
    ]:
        codes = _codes(f"{MEMBER}\r\n{head}", POST)
        assert {"sender.name_unrelated", "sender.unanchored"} <= codes, head


def test_as_soon_as_possible_is_pressure_in_each_language_read() -> None:
    for text in [
        "Please settle this as soon as possible.",
        "Regularize o seu cadastro o mais rapido possível.",
        "Responda o quanto antes para não perder o acesso.",
        "Actualice sus datos lo antes posible.",
        "Darum müssen Sie sich schnellstmöglich kümmern.",
        "Bitte antworten Sie so schnell wie möglich.",
        "Bevestig uw gegevens zo snel mogelijk.",
        "Merci de répondre dès que possible.",
        "Confermi i suoi dati il prima possibile.",
    ]:
        assert "lure.urgency" in _lures([text]), text
    assert "lure.urgency" not in _lures(["We answered as soon as we could; possibly next week."])
