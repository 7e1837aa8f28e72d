"""Legitimate mail of 2026 from the services a parliament's staff use every day, written by
shape for these tests: Google Drive's own share notice, a colleague's Dropbox and Drive links, a
department's Microsoft Forms survey, a think tank's HubSpot newsletter with a form to register,
a constituent answering from their other webmail box, a DocuSign envelope, a Teams meeting
invitation and a LinkedIn InMail. Each links to the file-sharing, form or tracking hosts that
phishing borrows and each must stay below suspicious; each narrowed rule is tested both ways."""

from __future__ import annotations

import pytest

from portcullis.phishing.analysis import analyse
from portcullis.phishing.analysis.score import SUSPICIOUS_AT

from .helpers import DATA

LEGITIMATE = [
    "drive_share_notification_legit.eml",
    "colleague_drive_link_legit.eml",
    "department_forms_survey_legit.eml",
    "thinktank_hubspot_newsletter_legit.eml",
    "constituent_two_webmail_boxes_legit.eml",
    "docusign_envelope_legit.eml",
    "teams_meeting_invitation_legit.eml",
    "linkedin_inmail_legit.eml",
]


@pytest.mark.parametrize("sample", LEGITIMATE)
def test_everyday_service_mail_stays_below_suspicious(sample: str) -> None:
    result = analyse((DATA / sample).read_bytes())
    assert result.score < SUSPICIOUS_AT, (sample, result.score, sorted(result.codes()))


def _mail(head: str, body: str) -> set[str]:
    raw = f"{head}\r\nSubject: Hello\r\nContent-Type: text/plain\r\n\r\n{body}\r\n"
    return analyse(raw.encode()).codes()


def test_a_cloud_service_linking_to_its_own_pages_is_no_free_hosting_link() -> None:
    link = "Open: https://docs.google.com/document/d/1xQ7vK2mT9rB4nLp/edit"
    assert "link.free_hosting" not in _mail("From: Drive <drive-shares@google.com>", link)
    # Anyone else's link to the same host is still one, and so is a sender on the hosting.
    assert "link.free_hosting" in _mail("From: Sam <sam@allotments.example.org>", link)
    page = "Sign in: https://secure-login.firebaseapp.com/index.html"
    assert "link.free_hosting" in _mail("From: IT <it@secure-login.firebaseapp.com>", page)


def test_a_persons_own_second_webmail_box_is_no_diverted_reply() -> None:
    own = "From: David Okafor <david.okafor@outlook.com>\r\nReply-To: d.okafor1971@gmail.com"
    assert "sender.reply_to_freemail" not in _mail(own, "Dear Ms Smith, the 42 bus.")


@pytest.mark.parametrize(
    "head",
    [
        # A brand or institution writing from webmail, answered elsewhere.
        "From: Microsoft Support <support.team@outlook.com>\r\nReply-To: support.desk@gmail.com",
        # An unrelated name taking the answers.
        "From: David Okafor <david.okafor@outlook.com>\r\nReply-To: barrister.james@gmail.com",
        # A name that is not in the writing box.
        "From: David Okafor <claims.office@outlook.com>\r\nReply-To: d.okafor1971@gmail.com",
    ],
)
def test_replies_diverted_to_someone_elses_webmail_box_stay_flagged(head: str) -> None:
    assert "sender.reply_to_freemail" in _mail(head, "Dear friend, your funds are ready.")


def test_a_marketing_form_host_is_no_free_hosting_but_a_form_builder_is() -> None:
    # HubSpot's forms are where newsletters send readers to register; the general form builders
    # are where anyone makes a sign-in page in minutes.
    event = "Register: https://share.hsforms.com/1Kq8vR2mTzW4nL7pYb3cX5A2ab7c"
    assert "link.free_hosting" not in _mail("From: Events <events@policy-forum.example>", event)
    builder = "Sign in: https://form.jotform.com/231234567890123"
    assert "link.free_hosting" in _mail("From: IT <it@policy-forum.example>", builder)
