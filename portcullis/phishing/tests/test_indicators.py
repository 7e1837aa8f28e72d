"""Newer indicators, each raised by a sample file named by its shape, and the ordinary cases
that must stay quiet."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from portcullis.phishing.analysis import CATALOGUE, analyse
from portcullis.phishing.analysis.confusables import disguised, disguised_brand
from portcullis.phishing.analysis.domains import random_looking

from .helpers import DATA, analyse_sample


def _from(header: str, body: str = "Hello") -> set[str]:
    return analyse(f"From: {header}\r\nSubject: News\r\n\r\n{body}\r\n".encode()).codes()


SHOP = "A <a@shop.example>"


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
        ("scam_offer_weight_loss.eml", "lure.scam_offer"),
        ("extortion_bitcoin.eml", "lure.extortion"),
        ("padded_display_name.eml", "sender.name_filler"),
        ("app_hosting_sender.eml", "sender.free_hosting"),
        ("role_name_unrelated_domain.eml", "sender.role_name_unrelated"),
        ("unfilled_merge_field.eml", "lure.template_placeholder"),
        ("unanchored_sender.eml", "sender.unanchored"),
        ("display_name_web_address.eml", "sender.display_name_domain"),
        ("machine_made_display_name.eml", "sender.random_name"),
        ("contact_form_echo_lure.eml", "lure.form_echo"),
        ("favour_request_ceo_fraud.eml", "lure.favour_request"),
        ("romance_reply_elsewhere.eml", "lure.romance"),
        ("callback_renewal_no_link.eml", "lure.callback"),
        ("romance_reply_elsewhere.eml", "sender.reply_in_text"),
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


def test_a_mass_scam_offer_is_what_makes_its_message_suspicious() -> None:
    raw = (DATA / "scam_offer_weight_loss.eml").read_bytes()
    assert analyse(raw).verdict.value != "clean"
    # The same message selling nothing (subject and opening offer replaced) stays below the line.
    offer = b"Doctors are stunned: a simple kitchen trick that helps you lose 20 pounds in 30 days,"
    neutral = raw.replace(b"This 10-second morning ritual melts belly fat", b"Our December guide")
    neutral = neutral.replace(offer, b"Here is our guide to winter walks in the hills near you,")
    result = analyse(neutral)
    assert "lure.scam_offer" not in result.codes()
    assert result.verdict.value == "clean", (result.score, sorted(result.codes()))


@pytest.mark.parametrize(
    ("text", "offered"),
    [
        ("This 10-second morning ritual melts belly fat", True),
        ("Lose 20 pounds in 30 days without dieting", True),
        ("Earn $500 a day from home", True),
        ("Your car warranty has expired: call now", True),
        ("See if you qualify for student loan forgiveness today", True),
        ("Take our short quiz to win a $100 gift card", True),
        ("Ganhe dinheiro em casa com este metodo", True),
        ("Perdre 10 kilos sans effort", True),
        # The topics, as news or warnings, are no offer.
        ("Patients who lose 5% of their weight lower their blood pressure", False),
        ("Beware of calls claiming your car warranty has expired", False),
        ("The court ruling on student loan forgiveness, explained", False),
        ("Spammers still sell viagra and timeshares", False),
        ("Our pharmacist explains GLP-1 medicines and who can be prescribed them", False),
    ],
)
def test_a_scam_offer_is_the_offer_not_the_topic(text: str, offered: bool) -> None:
    assert ("lure.scam_offer" in _from(SHOP, text)) is offered


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "You have 7 pending messages. Release your messages before they are deleted",
            "credential",
        ),
        ("Sie haben 4 ausstehende Nachrichten in Ihrem Postfach", "credential"),
        ("Voce tem 3 mensagens retidas no servidor", "credential"),
        ("We need to confirm your billing details", "credential"),
        ("Voce possui um saldo disponivel junto ao banco", "prize"),
        ("Votre solde CPF a change de regles", "prize"),
        ("12.500 EUR wurden deinem FamBet-Konto gutgeschrieben", "prize"),
        ("Notificacao ao Contribuinte: regularize sua situacao", "payment"),
        ("You have a new voicemail (00:45). Listen to voicemail", "credential"),
        ("Anna has shared a document with you: Salary review.pdf", "credential"),
        ("Maria hat ein Dokument mit Ihnen geteilt", "credential"),
        ("Your Apple ID has been locked for security reasons", "credential"),
        ("We could not process your payment. Your membership is on hold", "payment"),
        ("Please find attached the remittance advice for today's transfer", "payment"),
        ("Your invoice INV-2231 is overdue. Pay now to avoid a late fee", "payment"),
        ("Lonely women are waiting to meet you tonight", "romance"),
        ("A new girl is waiting to meet you", "romance"),
    ],
)
def test_well_known_lure_phrasings_name_their_family(text: str, code: str) -> None:
    assert f"lure.{code}" in _from(SHOP, text)


@pytest.mark.parametrize(
    "text",
    [
        "Your message to the gardeners list is awaiting moderator approval",
        "Herzlichen Glueckwunsch zum Geburtstag, lieber Klaus!",
        "Please keep your contact details up to date in the members' area",
        "The singles club meets on Tuesday at the village hall",
    ],
)
def test_ordinary_phrasings_beside_those_lures_stay_quiet(text: str) -> None:
    assert not {c for c in _from(SHOP, text) if c.startswith("lure.")}


def test_an_extortion_message_is_suspicious() -> None:
    assert analyse_sample("extortion_bitcoin.eml").verdict.value != "clean"


@pytest.mark.parametrize(
    ("text", "extortion"),
    [
        (
            "Ich habe Ihr Gerät gehackt. Zahlen Sie, sonst geht das Video von Ihnen an alle Ihre "
            "Kontakte.",
            True,
        ),
        (
            "J'ai piraté votre ordinateur et j'ai une vidéo de vous. Payez sur mon portefeuille "
            "bitcoin.",
            True,
        ),
        ("Eu invadi seu computador. Envie 500 dólares para minha carteira de bitcoin.", True),
        ("I recorded you. Send 900 USD in bitcoin or I send it to your contacts.", True),
        # One part alone is not it: a wallet address, news about adult sites, a friend's video.
        ("Donations welcome: my bitcoin address is on the project page.", False),
        ("The new law makes adult websites check their users' age.", False),
        ("Here is a video of you crossing the finish line!", False),
    ],
)
def test_extortion_needs_two_of_its_parts(text: str, extortion: bool) -> None:
    assert ("lure.extortion" in _from(SHOP, text)) is extortion


def test_a_mail_servers_own_bounce_is_no_brand_claim_but_a_copy_of_one_is() -> None:
    bounce = "This message was created automatically by mail delivery software."
    real = _from("Mail Delivery System <MAILER-DAEMON@mx2.isp.example>", bounce)
    assert "sender.brand_impersonation" not in real
    fake = _from("Mail Delivery System <support@mx-notice.example>", bounce)
    assert "sender.brand_impersonation" in fake


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


def test_a_newsletter_that_links_to_its_own_site_is_anchored() -> None:
    """Sent through a mailing service under an editorial name, it still links home."""
    result = analyse_sample("newsletter_via_mailing_service_legit.eml")
    assert "sender.name_unrelated" in result.codes()
    assert "sender.unanchored" not in result.codes()
    assert result.verdict.value == "clean"


def test_a_free_mail_sender_linking_elsewhere_is_not_unanchored() -> None:
    """Constituents write from webmail under their own names and link to anything."""
    raw = (
        b"From: Pat Reid <sunnyside1961@gmail.com>\r\nSubject: Bus route\r\n\r\n"
        b"Please see https://www.council.example/buses/route-12 before Friday.\r\n"
    )
    codes = analyse(raw).codes()
    assert "sender.name_unrelated" in codes
    assert "sender.unanchored" not in codes


def test_a_publication_named_after_its_domain_is_related_to_it() -> None:
    raw = b"From: Effector List <alerts@action.eff.example>\r\nSubject: Issue 25\r\n\r\nNews.\r\n"
    codes = analyse(raw).codes()
    assert "sender.name_unrelated" not in codes
    suffix = b"From: Comet Digest <news@online.com>\r\nSubject: Issue 25\r\n\r\nNews.\r\n"
    assert "sender.name_unrelated" in analyse(suffix).codes()  # `com` is no label of theirs


def test_a_page_named_by_date_and_words_is_no_recipient_token() -> None:
    def codes(url: str) -> set[str]:
        raw = f"From: a@news.example\r\nSubject: News\r\n\r\nSee {url}\r\n".encode()
        return analyse(raw).codes()

    page = "http://www.news.example/IP/Video/20020816_consolidation_granted.html"
    assert "tracking.recipient_token" not in codes(page)
    token = "https://news.example/c/4QNoTG2575GpNM269xqyewbayad551UMRZZRRLAPOLJWG26"
    assert "tracking.recipient_token" in codes(token)


def _with_pdf(sender: str, link: str) -> bytes:
    pdf = (
        b"%PDF-1.4\n1 0 obj << /Type /Annot /Subtype /Link /A << /S /URI /URI ("
        + link.encode()
        + b") >> >> endobj\n%%EOF\n"
    )
    message = EmailMessage()
    message["From"], message["Subject"] = sender, "Your document"
    message.set_content("Please find the document attached.")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename="Doc 18.pdf")
    return message.as_bytes()


def test_a_pdf_that_links_to_another_site_is_a_doorway() -> None:
    raw = _with_pdf("Zena Kell <zena.kell@outlook.example>", "https://docs.share.example/d/15pl4")
    result = analyse(raw)
    assert "attachment.pdf_link" in result.codes()
    evidence = next(i.evidence for i in result.indicators if i.code == "attachment.pdf_link")
    assert evidence == "Doc 18.pdf links to docs.share.example"


def test_a_pdf_that_links_to_the_senders_own_site_is_no_doorway() -> None:
    raw = _with_pdf("Accounts <accounts@printshop.example>", "https://www.printshop.example/help")
    assert "attachment.pdf_link" not in analyse(raw).codes()


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


def _html_mail(sender: str, html: str) -> bytes:
    head = f"From: Prize Desk <{sender}>\r\nSubject: Your reward\r\nContent-Type: text/html\r\n\r\n"
    return (head + html).encode()


def test_pictures_from_an_image_sharing_site_are_their_own_indicator() -> None:
    words = "Thank you for shopping with us this season. " * 10
    hosted = _html_mail(
        "news@shop.example.com", f'<img src="https://i.imgur.com/a1b2.png"><p>{words}</p>'
    )
    found = analyse(hosted)
    assert "link.image_host" in found.codes()
    assert "i.imgur.com" in next(
        i.evidence for i in found.indicators if i.code == "link.image_host"
    )
    own = hosted.replace(b"i.imgur.com", b"cdn.shop.example.com")
    assert "link.image_host" not in analyse(own).codes()


def test_a_message_that_is_all_picture_is_flagged_and_a_written_one_is_not() -> None:
    picture = _html_mail(
        "news@shop.example.com",
        '<a href="https://claim.example.net/x"><img src="https://cdn.example.net/offer.jpg"></a>'
        "<p>Unsubscribe here</p>",
    )
    assert "html.picture_only" in analyse(picture).codes()
    letter = "We have moved our opening hours for the holidays, details below. " * 5
    written = _html_mail(
        "news@shop.example.com", f'<img src="https://cdn.example.net/logo.png"><p>{letter}</p>'
    )
    assert "html.picture_only" not in analyse(written).codes()
    plain = b"From: a@shop.example.com\r\nSubject: Hi\r\n\r\nSee you on Monday.\r\n"
    assert "html.picture_only" not in analyse(plain).codes()


def test_filler_in_elements_no_reader_sees_is_not_the_message_s_text() -> None:
    """The attack: a picture lure padded with words a filter reads and a browser never shows,
    the raw text of `noframes`, `iframe`, `noembed` and `template`. It is neither text that
    answers "all picture" nor text for the lure phrases."""
    filler = "We have moved our opening hours for the holidays, details below. " * 5
    for element in ("noframes", "iframe", "noembed", "template"):
        html = (
            '<a href="https://claim.example.net/x"><img src="https://cdn.example.net/offer.jpg">'
            f"</a><{element}><p>{filler}</p></{element}>"
        )
        assert "html.picture_only" in analyse(_html_mail("news@shop.example.com", html)).codes()
    shown = f'<img src="https://cdn.example.net/logo.png"><noscript></noscript><p>{filler}</p>'
    assert "html.picture_only" not in analyse(_html_mail("news@shop.example.com", shown)).codes()


def test_text_inside_an_invisible_element_is_hidden_however_it_nests_or_ends() -> None:
    """The attack: filler inside an invisible block after a nested element of the same name
    (whose end tag once closed the invisible one), or in a block never closed, which a browser
    hides to the end of the document."""
    filler = "Many customers are happy with this lovely filler text for filters. " * 6
    nested = f'<div style="display:none"><div>a</div>{filler}</div><p>Your reward waits.</p>'
    unclosed = f'<p>Your reward waits.</p><div style="display: none">{filler}'
    for html in (nested, unclosed):
        found = analyse(_html_mail("news@shop.example.com", html))
        assert "html.hidden_text" in found.codes(), html[:60]
    visible = f"<div><div>a</div>{filler}</div>"
    assert "html.hidden_text" not in analyse(_html_mail("news@shop.example.com", visible)).codes()


def test_a_link_is_read_as_a_browser_follows_it() -> None:
    """`&sect` inside a query is no section sign to a browser (HTML5: a named reference
    without `;` is left alone in an attribute before `=` or a letter), so the link's host and
    path stay as written."""
    html = '<a href="https://shop.example.com/main.asp?target=3&sectionid=1&copy=2">Books</a>'
    found = analyse(_html_mail("news@shop.example.com", html))
    assert "https://shop.example.com/main.asp?target=3&sectionid=1&copy=2" in found.observables.urls


def test_a_sender_under_a_much_abused_or_pseudo_national_suffix() -> None:
    for sender in ("lina_29352@aspernatur.sa.com", "contact@gymstrom.de.com", "info@deals.xyz"):
        raw = f"From: Offer <{sender}>\r\nSubject: Hello\r\n\r\nHello there.\r\n".encode()
        assert "sender.suspicious_tld" in analyse(raw).codes(), sender
    for sender in ("info@shop.de", "team@company.com", "office@saudi.com"):
        raw = f"From: Offer <{sender}>\r\nSubject: Hello\r\n\r\nHello there.\r\n".encode()
        assert "sender.suspicious_tld" not in analyse(raw).codes(), sender


def test_a_microsoft_365_trial_tenant_and_ipfs_pages() -> None:
    raw = (
        b"From: Amazon Visa <noreply-863@cgbedugt.onmicrosoft.com>\r\nSubject: PIN\r\n\r\n"
        b"Confirm your PIN: https://bafybeigd.ipfs.w3s.link/index.html\r\n"
    )
    codes = analyse(raw).codes()
    assert {"sender.free_hosting", "link.free_hosting"} <= codes


@pytest.mark.parametrize(
    "url",
    [
        "https://forms.office.com/r/Ab12Cd34",
        "https://form.jotform.com/231234567890",
        "https://acme.typeform.com/to/xYz12",
        "https://drive.google.com/file/d/1AbC/view",
        "https://bafybeigd.ipfs.cf-ipfs.com/",
        "https://gateway.pinata.cloud/ipfs/bafybeigd",
    ],
)
def test_a_form_builder_cloud_drive_or_ipfs_gateway_is_free_hosting(url: str) -> None:
    raw = f"From: IT <it@company.example>\r\nSubject: Hello\r\n\r\nSign in: {url}\r\n"
    assert "link.free_hosting" in analyse(raw.encode()).codes()


def test_prize_lures_in_german_french_italian_and_dutch() -> None:
    for line in (
        "Herzliche Glueckwuensche! Sie wurden ausgewählt!",
        "TU ES NOTRE GAGNANT ! Vous avez été sélectionné",
        "Congratulazioni! Sei stato scelto per ricevere un regalo",
        "Gefeliciteerd, u bent geselecteerd",
    ):
        raw = f"From: x@shop.example.com\r\nSubject: Info\r\n\r\n{line}\r\n".encode()
        assert "lure.prize" in analyse(raw).codes(), line


def test_a_retail_brand_from_someone_elses_domain_is_impersonation() -> None:
    raw = b"From: Temu Paletten <reply@telekom.com>\r\nSubject: Gewinn\r\n\r\nHallo\r\n"
    assert "sender.brand_impersonation" in analyse(raw).codes()
    real = b"From: Temu <news@temu.com>\r\nSubject: Neu\r\n\r\nHallo\r\n"
    assert "sender.brand_impersonation" not in analyse(real).codes()


def test_new_indicators_have_a_plain_english_explanation() -> None:
    from portcullis.phishing.analysis import score

    for code in (
        "link.image_host",
        "html.picture_only",
        "sender.suspicious_tld",
        "sender.display_name_domain",
        "sender.random_name",
        "lure.form_echo",
        "lure.favour_request",
        "lure.romance",
        "sender.reply_in_text",
        "lure.callback",
    ):
        assert code in score.EXPLANATIONS and code in CATALOGUE


def test_a_display_name_that_is_the_senders_own_site_or_has_words_is_no_web_address() -> None:
    assert "sender.display_name_domain" in _from('"Coinvault.io" <support@ticket-desk.example>')
    assert "sender.display_name_domain" not in _from('"Amazon.com" <store-news@amazon.com>')
    assert "sender.display_name_domain" not in _from('"CNET News.com" <newsletter@online.com>')
    assert "sender.display_name_domain" not in _from("Jane Smith <jane@mail.example.org>")


def test_real_names_heavy_in_consonants_are_not_machine_made() -> None:
    for name in (
        "Krzysztof Szczepański",
        "Angela Schwarzschild",
        "R2D2 Fan Club",
        "Mr. Przybylski",
        "ACM SIGPLAN",
        "Newsletter 2026",
    ):
        assert "sender.random_name" not in _from(f'"{name}" <news@example.org>'), name
    assert "sender.random_name" in _from('"W2BSAGXRAO88YRSRJC" <news@example.org>')


def test_a_chosen_for_a_reward_story_is_a_prize_lure_and_being_chosen_to_speak_is_not() -> None:
    assert "lure.prize" in _from("Shop <a@shop.example>", "You have been chosen to receive a gift")
    assert "lure.prize" in _from("Shop <a@shop.example>", "Yes! You earned 1.3 Bitcoin!")
    assert "lure.prize" not in _from("Clerk <c@parliament.uk>", "You have been chosen to chair")


def test_a_civil_case_naming_the_reader_is_a_legal_threat_lure() -> None:
    body = "Seu nome foi citado no processo civil abaixo. Confirme o recebimento."
    assert "lure.payment" in _from("Danilo <d@uol.com.br>", body)
    assert "lure.payment" not in _from("Ana <a@uol.com.br>", "O processo seletivo abre amanha.")


def _linked(sender: str, text: str, href: str) -> set[str]:
    html = f'<html><body><p>Offers: <a href="{href}">{text}</a></p></body></html>'
    return analyse(_html_mail(sender, html)).codes()


def test_a_shop_naming_a_partner_through_its_own_site_hides_nothing() -> None:
    own = "https://www.buy4now.example.ie/partner/arnotts"
    assert "link.text_mismatch" not in _linked("news@buy4now.example.ie", "arnotts.ie", own)
    # ...but a brand's or our own name shown over the sender's link is still a disguise,
    assert "link.text_mismatch" in _linked(
        "a@pay-secure.example", "paypal.com", "https://pay-secure.example/x"
    )
    assert "link.text_mismatch" in _linked(
        "a@pay-secure.example", "parliament.uk", "https://pay-secure.example/x"
    )
    # and so is any site shown over a link to a third one.
    assert "link.text_mismatch" in _linked(
        "news@buy4now.example.ie", "arnotts.ie", "https://t.example/x"
    )


def _list_post(reply_to: str, return_path: str) -> set[str]:
    raw = (
        f"Return-Path: <{return_path}>\r\nFrom: Kate Byrne <kate@tuatha.example.ie>\r\n"
        f"Reply-To: {reply_to}\r\nList-Id: Irish Linux Users <ilug.linux.ie>\r\n"
        "List-Post: <mailto:ilug@linux.ie>\r\nSubject: [ILUG] FAT undelete?\r\n\r\n"
        "Has anyone used an undelete program on Linux?\r\n"
    )
    return analyse(raw.encode()).codes()


def test_a_discussion_list_sending_replies_and_bounces_to_itself_is_no_mismatch() -> None:
    codes = _list_post("ilug@linux.ie", "ilug-admin@linux.ie")
    assert not {"sender.reply_to_mismatch", "sender.return_path_mismatch"} & codes
    # Elsewhere than the list, they still count.
    assert "sender.reply_to_mismatch" in _list_post("claims@payout.example", "ilug-admin@linux.ie")
    assert "sender.return_path_mismatch" in _list_post("ilug@linux.ie", "b@bulk-sender.example")


def test_a_contact_forms_own_reply_without_a_lure_is_no_echo() -> None:
    result = analyse_sample("contact_form_reply_legit.eml")
    assert "lure.form_echo" not in result.codes()
    assert result.verdict.value == "clean"
    assert analyse_sample("contact_form_echo_lure.eml").verdict.value != "clean"


def test_a_favour_asked_in_a_thread_or_in_a_real_letter_is_no_ceo_fraud_opener() -> None:
    assert analyse_sample("favour_request_ceo_fraud.eml").verdict.value != "clean"
    ask = "Are you free for a quick call? I need your help with the rota."
    assert "lure.favour_request" in _from("Sam <sam@example.org>", ask)
    reply = f"From: Sam <sam@example.org>\r\nIn-Reply-To: <1@example.org>\r\n\r\n{ask}\r\n"
    assert "lure.favour_request" not in analyse(reply.encode()).codes()
    letter = ask + " " + " ".join(["The rota for December is attached below as before."] * 8)
    assert "lure.favour_request" not in _from("Sam <sam@example.org>", letter)
    linked = ask + " https://rota.example.org/december"
    assert "lure.favour_request" not in _from("Sam <sam@example.org>", linked)


def test_a_mailbox_in_random_case_is_machine_made_and_words_run_together_are_not() -> None:
    for mailbox in ("uSrPfPP", "hxJXOMee", "fWscatuD", "CQiBWSnJbjazmOQ"):
        codes = _from(f'"Smart Home Coverage." <{mailbox}@pier.mailer.example>')
        assert "sender.random_name" in codes, mailbox
    for mailbox in ("JaneSmith", "OneIncomeLiving", "ThosStew", "David.McQuirk", "jm", "info"):
        assert "sender.random_name" not in _from(f"Someone <{mailbox}@example.org>"), mailbox
    # A mailer's per-message token is no name anyone reads.
    token = "Online#3.19578.34-UgGTgZFN19NAr9RR.1@newsletter.online.example"
    assert "sender.random_name" not in _from(f'"CNET News.com" <{token}>')


def test_a_romance_lure_is_suspicious_and_a_letter_about_lonely_people_is_not() -> None:
    assert analyse_sample("romance_reply_elsewhere.eml").verdict.value != "clean"
    letter = (
        "Dear Ms Smith, many older people in our ward are lonely; the lunch club would welcome "
        "a visit. You can write to me at the parish office or at jane.doe@parish.example.org."
    )
    codes = _from("Jane Doe <jane.doe@parish.example.org>", letter)
    assert not {"lure.romance", "sender.reply_in_text"} & codes


def test_an_answer_asked_at_the_senders_own_or_an_organisations_address_is_no_trick() -> None:
    own = "Reply to me at sam.jones@gmail.com with the minutes."
    assert "sender.reply_in_text" not in _from("Sam <sam.jones@gmail.com>", own)
    work = "Write to me at sam.jones@parliament.uk when you can."
    assert "sender.reply_in_text" not in _from("Sam <sam@charity.example.org>", work)
    other = "Please contact me at my private email: sam.private77@gmail.com"
    assert "sender.reply_in_text" in _from("Sam <sam@charity.example.org>", other)


def test_a_real_order_with_a_link_or_a_letter_with_a_phone_number_is_no_callback_lure() -> None:
    assert analyse_sample("callback_renewal_no_link.eml").verdict.value != "clean"
    renewal = "Your plan will be charged USD 299.00 today. To cancel, call 1 800 555 0199 or see"
    shop = "Shop <orders@shop.example>"
    assert "lure.callback" not in _from(shop, renewal + " https://shop.example/orders/4471")
    letter = "Thank you for your letter about the bypass. Please ring me on 202 555 0143."
    assert "lure.callback" not in _from("Jane Smith <jane.smith.mp@parliament.uk>", letter)
    assert "lure.callback" in _from(shop, renewal.removesuffix(" or see"))
    # A shop's receipt for an order placed names its number and the sum charged: no lure.
    receipt = "Order number 4471: your card has been charged $95.50. Questions? Call 1 800 555 0199"
    assert "lure.callback" not in _from(shop, receipt)


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("Su cuenta ha sido suspendida", "lure.credential"),
        ("Accesso non autorizzato al tuo account", "lure.credential"),
        ("Connexion inhabituelle détectée", "lure.credential"),
        ("Verdachte aanmelding op uw account", "lure.credential"),
        ("Ihr Postfach ist voll", "lure.credential"),
        ("Enter your secret recovery phrase", "lure.crypto"),
        ("Connectez votre portefeuille", "lure.crypto"),
        ("Bitte unverzüglich antworten", "lure.urgency"),
        ("Rispondi entro 24 ore", "lure.urgency"),
        ("Dernière chance !", "lure.urgency"),
        ("Actie vereist", "lure.urgency"),
        ("Su paquete retenido en aduana", "lure.payment"),
        ("Il suo pacco in giacenza", "lure.payment"),
        ("Votre colis en attente: frais de livraison", "lure.payment"),
        ("Zahlung abgelehnt", "lure.payment"),
        ("Openstaande factuur", "lure.payment"),
        ("Pay the redelivery fee", "lure.payment"),
    ],
)
def test_lure_families_in_each_language_the_module_reads(line: str, code: str) -> None:
    raw = f"From: Info <info@company.example>\r\nSubject: Hello\r\n\r\n{line}\r\n"
    assert code in analyse(raw.encode()).codes(), line


def test_an_advance_fee_story_in_german_dutch_italian_and_french() -> None:
    for story in (
        "Mein verstorbener Ehemann hinterließ ein vertrauliches Angebot.",
        "Mijn overleden echtgenoot liet een zakelijk voorstel na.",
        "Il mio defunto marito: una proposta confidenziale.",
        "Feu mon mari a laissé une proposition confidentielle.",
    ):
        raw = f"From: Ann <ann@company.example>\r\nSubject: Hello\r\n\r\n{story}\r\n"
        assert "lure.advance_fee" in analyse(raw.encode()).codes(), story


def test_replies_from_one_webmail_box_diverted_to_another() -> None:
    def codes(sender: str, reply: str, extra: str = "") -> set[str]:
        raw = f"From: Ann <{sender}>\r\nReply-To: {reply}\r\n{extra}Subject: Hi\r\n\r\nHello\r\n"
        return analyse(raw.encode()).codes()

    assert "sender.reply_to_freemail" in codes("ann1984@outlook.com", "mrs.ann@gmail.com")
    assert "sender.reply_to_freemail" in codes("ann1984@gmail.com", "mrs.ann@gmail.com")
    assert "sender.reply_to_freemail" not in codes("ann1984@gmail.com", "ann1984@gmail.com")
    # A group under a webmail provider, or list mail, takes its members' answers.
    assert "sender.reply_to_freemail" not in codes("ann1984@hotmail.com", "club@groups.msn.com")
    listed = "List-Id: Club <club.example.org>\r\n"
    assert "sender.reply_to_freemail" not in codes("ann1984@gmail.com", "mrs.ann@gmail.com", listed)


@pytest.mark.parametrize(
    ("name", "own", "other"),
    [
        ("eBay", "reply.ebay.com", "ebay-resolution.example"),
        ("Rabobank", "info.rabobank.nl", "mijnrabo-veilig.example"),
        ("Verizon Wireless", "vzw.com", "billing-center.example"),
        ("Intesa Sanpaolo", "intesasanpaolo.com", "notifiche-conto.example"),
        ("La Banque Postale", "labanquepostale.fr", "service-client.example"),
    ],
)
def test_more_of_the_brands_phish_borrow(name: str, own: str, other: str) -> None:
    def codes(domain: str) -> set[str]:
        raw = f'From: "{name}" <alerts@{domain}>\r\nSubject: Hello\r\n\r\nHello\r\n'
        return analyse(raw.encode()).codes()

    assert "sender.brand_impersonation" not in codes(own)
    assert "sender.brand_impersonation" in codes(other)
