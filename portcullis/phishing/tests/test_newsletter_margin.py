"""Ordinary list and newsletter mail, written by shape for these tests, kept well below the
suspicious line and not only just under it: replies that go to the discussion list the message
came through (named by its command addresses or by its owner's Sender). Each narrowed rule is
tested both ways."""

from __future__ import annotations

from portcullis.phishing.analysis import analyse


def _codes(head: str, body: str, subject: str = "Weekly notes") -> set[str]:
    raw = f"{head}\r\nSubject: {subject}\r\nContent-Type: text/plain\r\n\r\n{body}\r\n"
    return analyse(raw.encode()).codes()


POSTER = "From: Ann Poster <ann@home-isp.example.net>"
REPLY_TO_LIST = "Reply-To: gardeners@groups.example.com"


def test_replies_to_the_list_named_by_its_command_addresses_are_no_mismatch() -> None:
    body = "Has anyone tried the new compost bins?"
    commands = [
        "List-Unsubscribe: <mailto:gardeners-unsubscribe@groups.example.com>",
        "Mailing-List: list gardeners@groups.example.com; contact gardeners-owner@groups."
        "example.com",
        "List-Help: <mailto:gardeners-help@groups.example.com?subject=help>",
    ]
    for header in commands:
        head = f"{POSTER}\r\n{REPLY_TO_LIST}\r\n{header}\r\nPrecedence: bulk"
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
