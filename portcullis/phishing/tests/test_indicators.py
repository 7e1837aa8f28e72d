"""Newer indicators, each raised by a sample file named by its shape, and the ordinary cases
that must stay quiet."""

from __future__ import annotations

import pytest

from portcullis.phishing.analysis import CATALOGUE, analyse
from portcullis.phishing.analysis.confusables import disguised, disguised_brand
from portcullis.phishing.analysis.domains import random_looking

from .helpers import analyse_sample


@pytest.mark.parametrize(
    ("sample", "code"),
    [
        ("brand_lookalike_display_name.eml", "sender.brand_lookalike"),
        ("disguised_lure_words.eml", "lure.disguised_words"),
        ("hidden_filler_text.eml", "html.hidden_text"),
        ("offscreen_filler_text.eml", "html.offscreen"),
        ("machine_made_sender_domain.eml", "sender.random_domain"),
        ("mailbox_in_subject.eml", "lure.address_in_subject"),
        ("advance_fee_portuguese.eml", "lure.advance_fee"),
        ("casino_free_spins.eml", "lure.gambling"),
        ("padded_display_name.eml", "sender.name_filler"),
        ("app_hosting_sender.eml", "sender.free_hosting"),
        ("role_name_unrelated_domain.eml", "sender.role_name_unrelated"),
        ("unfilled_merge_field.eml", "lure.template_placeholder"),
    ],
)
def test_each_shape_raises_its_indicator(sample: str, code: str) -> None:
    result = analyse_sample(sample)
    assert code in result.codes()
    assert code in CATALOGUE
    assert next(i for i in result.indicators if i.code == code).evidence


def test_a_brand_spelled_with_lookalike_letters_is_suspicious() -> None:
    result = analyse_sample("brand_lookalike_display_name.eml")
    assert result.verdict.value != "clean"
    assert "'paypal'" in next(i.evidence for i in result.indicators if i.code.endswith("lookalike"))


def test_an_advance_fee_story_is_suspicious() -> None:
    assert analyse_sample("advance_fee_portuguese.eml").verdict.value != "clean"


def test_icu_skeletons_find_disguised_words_and_leave_real_ones() -> None:
    assert disguised("Iedger") == [("Iedger", "ledger")]
    assert disguised_brand("lRS.GOV") == "irs"
    assert disguised_brand("\u0410pple Support") == "apple"  # Cyrillic A
    assert ("C0NSUMER", "consumer") in disguised("_C0NSUMER__REWARDS__")
    assert disguised("Log in to your Account, LOGIN login Ledger IRS PayPal Apple") == []
    assert disguised_brand("Apple Support") is None


def test_machine_made_labels() -> None:
    assert random_looking("5ihk859k24cwdh6rswnzu7x2a6ad")
    assert random_looking("cqibwsnjbjazmoq")
    assert not random_looking("unitedmedia")
    assert not random_looking("spamassassin")
    assert not random_looking("xn--bcher-kva")


def test_a_short_hidden_preheader_is_not_hidden_text() -> None:
    assert "html.hidden_text" not in analyse_sample("hidden_preheader_only.eml").codes()


def test_one_stock_business_phrase_is_not_an_advance_fee_story() -> None:
    raw = (
        b"From: Ann <ann@firm.example>\r\nSubject: Proposal\r\n\r\n"
        b"Please find our business proposal for the new office attached.\r\n"
    )
    assert "lure.advance_fee" not in analyse(raw).codes()


def test_a_brand_writing_from_its_own_domain_is_not_a_role_mismatch() -> None:
    raw = b"From: Banco do Brasil <noreply@bb.com.br>\r\nSubject: Extrato\r\n\r\nSeu extrato.\r\n"
    codes = analyse(raw).codes()
    assert "sender.role_name_unrelated" not in codes
    assert "sender.brand_impersonation" not in codes


def test_file_sharing_services_are_not_hosting_senders() -> None:
    raw = b"From: Dropbox <no-reply@dropbox.com>\r\nSubject: A file\r\n\r\nShared with you.\r\n"
    assert "sender.free_hosting" not in analyse(raw).codes()


def test_a_non_ascii_link_host_is_flagged_as_idn() -> None:
    raw = (
        "From: a@shop.example\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        '<a href="http://\u00f0d6df\u0178\u0153pza9.example.com/r.php">open</a>\r\n'
    ).encode()
    assert "link.idn" in analyse(raw).codes()


def test_encoded_words_in_headers_are_decoded() -> None:
    result = analyse_sample("encoded_display_name.eml")
    assert result.observables.sender_name == "Jo\u00e3o Silva, Equipe"
    assert result.observables.sender == "joao.silva@empresa.example"
    assert result.observables.subject == "Reuni\u00e3o de segunda"
    assert "sender.malformed" not in result.codes()
    assert result.verdict.value == "clean"


@pytest.mark.parametrize(
    "protected",
    [("parliament.example", "assembly.example"), ("parliament.internal",), ("parliament.uk",)],
)
def test_protected_domains_are_compared_by_their_own_name_not_their_suffix(
    protected: tuple[str, ...],
) -> None:
    from portcullis.phishing.analysis.domains import lookalike_of

    for host in ["example.com", "mail.example.net", "machine.example", "silly.example", "a.test"]:
        assert lookalike_of(host, protected) is None, host
    for host in ["intranet.corp", "foo.internal", "www.bbc.co.uk"]:
        assert lookalike_of(host, protected) is None, host
    caught = {
        "parliament-uk.org": "added words or hyphens",
        "parliarnent.uk": "",
        "parliment.co": "edit distance",
        "p\u0430rliament.com": "",  # Cyrillic a
        f"{protected[0]}.evil.com": "used as a subdomain",
        "parliament.net": "",
    }
    for host, reason in caught.items():
        found = lookalike_of(host, protected)
        assert found and found.startswith("parliament."), (host, found)
        assert reason in found
    for own in protected:
        assert lookalike_of(own, protected) is None
        assert lookalike_of("www." + own, protected) is None


def test_textbook_messages_from_example_domains_are_not_lookalikes() -> None:
    from portcullis.phishing.analysis import AnalysisContext

    context = AnalysisContext(protected_domains=("parliament.example", "assembly.example"))
    for sender in ["jdoe@machine.example", "john.q.public@example.com", "pete@silly.example"]:
        raw = (
            f"From: Someone <{sender}>\r\nTo: Mary Smith <mary@example.net>\r\n"
            "Subject: Saying Hello\r\nMessage-ID: <1234@local.machine.example>\r\n\r\n"
            "This is a message just to say hello. See http://www.example.com/hello\r\n"
        ).encode()
        result = analyse(raw, context)
        assert "domain.lookalike" not in result.codes(), sender
        assert result.verdict.value == "clean"


def test_an_encoded_word_posing_as_the_address_is_its_own_indicator() -> None:
    raw = (
        b"From: =?utf-8?q?seguranca=40bradesco=2Ecom=2Ebr?=\r\nTo: a@example.org\r\n"
        b"Subject: Aviso\r\n\r\nOla\r\n"
    )
    result = analyse(raw)
    assert "sender.encoded_address" in result.codes()
    assert "only once decoded" in next(
        i.evidence for i in result.indicators if i.code == "sender.encoded_address"
    )
    plain = b"From: =?utf-8?b?QW5h?= <ana@example.org>\r\nSubject: Oi\r\n\r\nOla\r\n"
    assert "sender.encoded_address" not in analyse(plain).codes()


def test_weights_fitted_on_the_calibration_half_replace_only_what_that_half_can_weigh() -> None:
    import json

    from portcullis.phishing.analysis import score

    fitted = json.loads(score.FITTED.read_text())["weights"]
    for code, weight in fitted.items():
        assert CATALOGUE[code][1] == weight
        assert not code.startswith(score.FIXED)
    assert CATALOGUE["alert.match"][1] == score.SUSPICIOUS_AT


def test_our_own_domain_under_an_unlisted_suffix_is_a_valid_sender_domain() -> None:
    from portcullis.phishing.analysis import AnalysisContext

    context = AnalysisContext(protected_domains=("parliament.internal",))
    raw = b"From: Tom <tom@parliament.internal>\r\nSubject: Papers\r\n\r\nAttached.\r\n"
    assert "sender.invalid_domain" not in analyse(raw, context).codes()
    other = b"From: Tom <tom@elsewhere.internal>\r\nSubject: Papers\r\n\r\nAttached.\r\n"
    assert "sender.invalid_domain" in analyse(other, context).codes()


def test_ordinary_layout_sizes_are_not_content_pushed_out_of_sight() -> None:
    html = (
        '<table style="width: 600px; height: 1200px; margin-top: 20px; left: -10px">'
        '<tr><td style="min-height: 100vh">Newsletter</td></tr></table>'
    )
    raw = b"From: a@shop.example\r\nSubject: News\r\nContent-Type: text/html\r\n\r\n"
    assert "html.offscreen" not in analyse(raw + html.encode()).codes()
    pushed = html.replace("margin-top: 20px", "margin-top: 470500px")
    assert "html.offscreen" in analyse(raw + pushed.encode()).codes()
    aside = html.replace("left: -10px", "left: -9999px")
    assert "html.offscreen" in analyse(raw + aside.encode()).codes()
