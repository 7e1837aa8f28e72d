"""Targeted approaches (DOMAIN.md §3): the polite, authenticated e-mail of a "recruiter", "think
tank" or "journalist". Each sample is written by shape for these tests; each tactic raises its
own explained indicator and makes the message at least suspicious, while ordinary recruiter
newsletters, constituents' letters and press enquiries stay below."""

from __future__ import annotations

from dataclasses import replace

import pytest

from portcullis.phishing.analysis import CATALOGUE, Verdict, analyse
from portcullis.phishing.analysis.score import EXPLANATIONS, SUSPICIOUS_AT

from .helpers import CONTEXT, DATA

# Who the organisation already deals with, besides the directory (parliament.uk).
KNOWN = replace(CONTEXT, known_domains=frozenset({"bbc.co.uk", "hansardsociety.org.uk"}))

APPROACHES = {
    "approach_recruiter.eml": {
        "approach.paid_consultancy",
        "approach.unusual_payment",
        "approach.flattery_urgency",
        "approach.cold_persona",
    },
    "approach_thinktank_trip.eml": {"approach.sponsored_trip", "approach.cold_persona"},
    "approach_journalist_signal.eml": {
        "approach.insider_request",
        "approach.off_platform",
        "approach.cold_persona",
    },
    "approach_consultancy_chinese.eml": {
        "approach.paid_consultancy",
        "approach.insider_request",
        "approach.off_platform",
    },
    "approach_russian_crypto.eml": {
        "approach.paid_consultancy",
        "approach.insider_request",
        "approach.unusual_payment",
        "approach.off_platform",
    },
    "approach_recon_survey.eml": {"recon.first_contact_tracking", "sender.first_contact"},
}
LEGITIMATE = [
    "recruiter_newsletter_legit.eml",
    "constituent_letter_legit.eml",
    "journalist_enquiry_legit.eml",
    "conference_invite_legit.eml",
]


def analysed(name: str):  # type: ignore[no-untyped-def]
    return analyse((DATA / name).read_bytes(), KNOWN)


@pytest.mark.parametrize(("sample", "codes"), sorted(APPROACHES.items()))
def test_each_approach_raises_its_tactics_and_is_at_least_suspicious(
    sample: str, codes: set[str]
) -> None:
    result = analysed(sample)
    assert codes <= result.codes(), sorted(result.codes())
    assert result.verdict in (Verdict.SUSPICIOUS, Verdict.MALICIOUS), result.score
    for indicator in result.indicators:
        if indicator.code in codes:
            assert indicator.evidence
            assert indicator.explanation == EXPLANATIONS[indicator.code]


def test_every_tactic_has_its_own_indicator_and_explanation() -> None:
    tactics = {code for codes in APPROACHES.values() for code in codes}
    expected = {
        "approach.paid_consultancy",
        "approach.insider_request",
        "approach.unusual_payment",
        "approach.sponsored_trip",
        "approach.off_platform",
        "approach.flattery_urgency",
        "approach.cold_persona",
        "recon.first_contact_tracking",
    }
    assert expected <= tactics
    for code in expected:
        assert code in CATALOGUE and code in EXPLANATIONS


def test_one_tactic_alone_from_someone_known_stays_below_suspicious() -> None:
    # A single sign is not a verdict: each tactic's weight is below the suspicious line.
    for code in {c for codes in APPROACHES.values() for c in codes}:
        assert CATALOGUE[code][1] < SUSPICIOUS_AT


@pytest.mark.parametrize("sample", LEGITIMATE)
def test_ordinary_mail_stays_below_suspicious(sample: str) -> None:
    result = analysed(sample)
    assert result.verdict == Verdict.CLEAN, [(i.code, i.evidence) for i in result.indicators]
    assert not {c for c in result.codes() if c.startswith("approach.")}


def test_the_newsletter_is_a_first_contact_but_bulk_mail_is_no_cold_approach() -> None:
    result = analysed("recruiter_newsletter_legit.eml")
    assert "sender.first_contact" in result.codes()
    assert "approach.cold_persona" not in result.codes()


def test_the_reconnaissance_signal_says_why() -> None:
    result = analysed("approach_recon_survey.eml")
    recon = next(i for i in result.indicators if i.code == "recon.first_contact_tracking")
    assert "never written before" in recon.evidence
    assert "who opens" in recon.explanation and "who clicks" in recon.explanation


def test_without_knowledge_of_correspondents_nobody_is_called_a_first_contact() -> None:
    result = analyse((DATA / "approach_recon_survey.eml").read_bytes(), CONTEXT)
    assert not {"sender.first_contact", "recon.first_contact_tracking"} & result.codes()
    assert "approach.cold_persona" not in result.codes()


def test_a_known_correspondent_is_no_first_contact() -> None:
    known = replace(KNOWN, known_domains=frozenset({"northsea-institute.org"}))
    result = analyse((DATA / "approach_recon_survey.eml").read_bytes(), known)
    assert "sender.first_contact" not in result.codes()


def test_a_lone_approach_phrase_lifts_other_signs_only_to_the_soft_cap() -> None:
    """A newsletter's "not yet public" beside tracking and an unrelated display name is words
    alone: below suspicious. A second tactic makes it an approach."""
    from portcullis.phishing.analysis.model import Indicator
    from portcullis.phishing.analysis.score import SOFT_CAP, total

    def sign(code: str) -> Indicator:
        return Indicator(code, "", CATALOGUE[code][1], "")

    newsletter = [
        sign("approach.insider_request"),
        sign("sender.name_unrelated"),
        sign("tracking.pixel"),
        sign("tracking.recipient_token"),
    ]
    assert total(newsletter) < SUSPICIOUS_AT
    assert total(newsletter) == CATALOGUE["sender.name_unrelated"][1] + SOFT_CAP
    assert total([*newsletter, sign("approach.off_platform")]) >= SUSPICIOUS_AT


def _plain(body: str) -> bytes:
    head = "From: Li Wei <li.wei@harbour-advisory.com>\r\nSubject: Our offer\r\n"
    return (head + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n").encode()


def test_payment_offered_in_usdt_is_the_payment_tactic_not_also_a_crypto_lure() -> None:
    result = analysed("approach_recruiter.eml")
    payment = next(i for i in result.indicators if i.code == "approach.unusual_payment")
    assert "usdt" in payment.evidence
    assert "lure.crypto" not in result.codes()


def test_a_crypto_lure_elsewhere_in_the_message_still_counts_on_its_own() -> None:
    offer = "Payment can be made in USDT, whichever you prefer."
    assert "lure.crypto" not in analyse(_plain(offer)).codes()
    both = analyse(_plain(offer + " Meanwhile, claim your USDT airdrop today."))
    assert {"approach.unusual_payment", "lure.crypto"} <= both.codes()
    assert "lure.crypto" in analyse(_plain("Your USDT balance is waiting.")).codes()


def test_claiming_a_reward_is_a_prize_lure_not_also_a_crypto_one() -> None:
    codes = analyse(_plain("Claim your reward now! Claim rewards today.")).codes()
    assert "lure.prize" in codes
    assert "lure.crypto" not in codes
    assert "lure.crypto" in analyse(_plain("Claim your tokens now.")).codes()
