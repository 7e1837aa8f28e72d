"""Legitimate commercial and list mail, written by shape for these tests: a shop's sale
newsletter sent through a mailing service, a bank's statement notice, a mailing-list digest, a
password reset the reader asked for, an event invitation, a plain receipt, a help desk's
automatic answer, a small trader's newsletter, a travel offer and a surgery's newsletter. Each
carries the words phishing borrows ("limited offer", "call us on", "reset your password", "help
needed", "congratulations", "casino", "lose weight", "car warranty") and each must stay below
suspicious; each narrowed rule is tested both ways."""

from __future__ import annotations

import pytest

from portcullis.phishing.analysis import CATALOGUE, analyse
from portcullis.phishing.analysis.model import Indicator
from portcullis.phishing.analysis.score import SOFT_CAP, SUSPICIOUS_AT, total

from .helpers import DATA

LEGITIMATE = {
    "shop_sale_newsletter_legit.eml": "sender.display_name_domain",
    "bank_statement_notice_legit.eml": "lure.callback",
    "list_digest_legit.eml": "sender.reply_in_text",
    "password_reset_requested_legit.eml": "lure.form_echo",
    "event_invitation_legit.eml": "approach.flattery_urgency",
    "order_receipt_plain_legit.eml": "lure.callback",
    "customer_service_autoreply_legit.eml": "lure.form_echo",
    "small_shop_newsletter_legit.eml": "sender.random_name",
    "travel_deals_newsletter_legit.eml": "lure.gambling",
    "health_newsletter_legit.eml": "lure.scam_offer",
}


@pytest.mark.parametrize(("sample", "code"), sorted(LEGITIMATE.items()))
def test_ordinary_commercial_and_list_mail_stays_below_suspicious(sample: str, code: str) -> None:
    result = analyse((DATA / sample).read_bytes())
    assert result.score < SUSPICIOUS_AT, (sample, result.score, sorted(result.codes()))
    assert code not in result.codes()


def _mail(head: str, body: str) -> set[str]:
    raw = f"{head}\r\nSubject: Hello\r\nContent-Type: text/plain\r\n\r\n{body}\r\n"
    return analyse(raw.encode()).codes()


LIST = "List-Id: Gardeners <garden.lists.example.org>\r\nPrecedence: list"


def test_a_favour_or_an_address_to_write_to_in_list_mail_is_no_lure() -> None:
    ask = "Help needed: are you free on Saturday? I need a quick favour with the shed."
    one_to_one = "From: Sam <sam@allotments.example.org>"
    assert "lure.favour_request" in _mail(one_to_one, ask)
    assert "lure.favour_request" not in _mail(f"{one_to_one}\r\n{LIST}", ask)
    write = "Lovely to meet you. Write to me at sam.garden77@gmail.com"
    assert "sender.reply_in_text" in _mail(one_to_one, write)
    assert "sender.reply_in_text" not in _mail(f"{one_to_one}\r\n{LIST}", write)


def test_a_help_desks_automatic_answer_is_no_contact_form_echo() -> None:
    shop = "From: Care <care@insure.example>"
    lure = "Congratulations, you have won a gift card! Claim your prize now."
    assert "lure.form_echo" not in _mail(shop, f"Thank you for contacting us. {lure}")
    assert "lure.form_echo" not in _mail(shop, f"We have received your message. {lure}")
    assert "lure.form_echo" in _mail(shop, f"You have submitted the contact form. {lure}")
    assert "lure.form_echo" in _mail(shop, f"New contact form submission: {lure}")


def test_a_renewal_to_ring_about_in_bulk_mail_is_customer_service() -> None:
    renewal = "Your membership will be renewed and charged today. Call 1 800 555 0199 to cancel."
    shop = "From: Club <club@members.example>"
    assert "lure.callback" in _mail(shop, renewal)
    assert "lure.callback" not in _mail(f"{shop}\r\n{LIST}", renewal)


def test_a_shop_named_in_its_own_mailbox_at_a_mailing_service_shows_its_own_site() -> None:
    shown = _mail('From: "Buy4Less.com" <buy4less@mailings.esp.example.net>', "Sale")
    assert "sender.display_name_domain" not in shown
    other = _mail('From: "Buy4Less.com" <offers@mailings.esp.example.net>', "Sale")
    assert "sender.display_name_domain" in other
    # A short name (three letters) is too common inside other words to vouch for the sender.
    assert "sender.display_name_domain" in _mail('From: "IRS.gov" <firstname@bank.example>', "x")


def test_a_trailing_acronym_is_part_of_a_mailbox_made_of_words() -> None:
    for mailbox in ("HilltopHoneyUK", "iPhoneNEWS", "PayPalUSA", "newsTeamUK"):
        codes = _mail(f"From: Shop <{mailbox}@mail.example>", "Hello")
        assert "sender.random_name" not in codes, mailbox
    for mailbox in ("tNFKcCT", "uSrPfPP", "CQiBWSnJbjazmOQ"):
        codes = _mail(f"From: Shop <{mailbox}@mail.example>", "Hello")
        assert "sender.random_name" in codes, mailbox


def _sign(code: str) -> Indicator:
    return Indicator(code, "", CATALOGUE[code][1], "")


def test_a_display_name_unlike_its_address_does_not_lift_the_soft_cap() -> None:
    """A newsletter through a mailing service: prize, urgency, pixel and token beside a display
    name unlike its address stay at the soft cap; a real trick (no link home) lifts it."""
    pile = [_sign(c) for c in ("lure.prize", "lure.urgency", "tracking.pixel", "lure.action")]
    assert sum(s.weight for s in pile) > SOFT_CAP
    newsletter = [*pile, _sign("sender.name_unrelated")]
    assert total(newsletter) == SOFT_CAP + CATALOGUE["sender.name_unrelated"][1]
    assert total(newsletter) < SUSPICIOUS_AT
    tricked = [*newsletter, _sign("sender.unanchored")]
    assert total(tricked) == sum(s.weight for s in tricked)


def test_a_newsletter_pile_and_one_weak_sign_stay_below_suspicious() -> None:
    """A shop's prize, pixel, token and call to click (the tracking pair counted once) plus one
    weak hard sign stays below suspicious; the same pile beside a strong sign still crosses."""
    pile = [_sign(c) for c in ("lure.prize", "tracking.pixel", "tracking.recipient_token")]
    pile.append(_sign("lure.action"))
    assert total([*pile, _sign("sender.random_domain")]) < SUSPICIOUS_AT
    assert total([*pile, _sign("html.hidden_text")]) >= SUSPICIOUS_AT
    assert total([*pile, _sign("sender.brand_impersonation")]) >= SUSPICIOUS_AT


def test_casino_is_a_gambling_lure_beside_a_gambling_word_only() -> None:
    shop = "From: Offers <offers@mail.example>"
    for body in ("Big wins await at Titan Spins Casino!", "Your Dragonia casino bonus is ready"):
        assert "lure.gambling" in _mail(shop, body), body
    assert "lure.gambling" in _mail(shop, "Welcome to Casino Classic, the world of games!")
    for body in ("Three nights at a casino resort from $199", "Charity casino night, 8pm"):
        assert "lure.gambling" not in _mail(shop, body), body
    assert "lure.gambling" in _mail(shop, "50 free spins today")


def _analysed(head: str, body: str) -> tuple[float, set[str]]:
    raw = f"{head}\r\nSubject: Hello\r\nContent-Type: text/plain\r\n\r\n{body}\r\n"
    result = analyse(raw.encode())
    return result.score, result.codes()


# A publication's newsletter through a mailing service, with the commercial pile (prize,
# urgency, click, per-recipient token) and a shortened link: it used to cross the line on a
# display name "unrelated" to the service's address.
NEWSLETTER = (
    "Congratulations, you won our readers' draw! Reply immediately to collect. "
    "Click here: https://www.orbitnews.example/draw?email=reader@home.example "
    "More: https://bit.ly/3xYzAbC Unsubscribe: https://click.mailhouse.example/u/1"
)


def test_a_display_name_naming_the_site_it_links_to_is_not_unrelated() -> None:
    head = 'From: "Orbitnews Weekly" <nl#3.1984.ab-7q@bulk.mailhouse.example>'
    score, codes = _analysed(head, NEWSLETTER)
    assert "sender.name_unrelated" not in codes
    assert score < SUSPICIOUS_AT
    # A second domain registered under the same name is a lure's, beside the real site.
    lure = NEWSLETTER + " Claim: https://orbitnews-claims.example/win"
    assert "sender.name_unrelated" in _analysed(head, lure)[1]
    other = 'From: "Comet Weekly" <nl#3.1984.ab-7q@bulk.mailhouse.example>'
    assert "sender.name_unrelated" in _analysed(other, NEWSLETTER)[1]


def test_a_forwarders_display_name_showing_the_site_it_links_to_is_the_original_sender() -> None:
    head = 'From: "updates@publisher.example" <ticket_23aj49@anonymous-relay.example>'
    body = (
        "Congratulations, you won a signed copy! Click here: "
        "https://www.publisher.example/win?email=ticket_23aj49@anonymous-relay.example"
    )
    score, codes = _analysed(head, body)
    assert "sender.display_name_address" not in codes
    assert score < SUSPICIOUS_AT
    elsewhere = body + " Sign in: https://login.other.example/"
    assert "sender.display_name_address" in _analysed(head, elsewhere)[1]


def test_a_brands_own_bulk_mail_domain_is_no_impersonation() -> None:
    body = (
        "Congratulations, you won early access! Offer ends immediately. Click here: "
        "https://www.microsoft.com/store?email=reader@home.example"
    )
    score, codes = _analysed('From: "Microsoft Store" <deals@microsoftstoreemail.com>', body)
    assert "sender.brand_impersonation" not in codes
    assert score < SUSPICIOUS_AT
    for lookalike in ("microsoft-store-mail.com", "microsoftsecure.com", "paypalemail.com"):
        codes = _analysed(f'From: "Microsoft Store" <deals@{lookalike}>', body)[1]
        assert "sender.brand_impersonation" in codes, lookalike


def test_a_lists_notice_naming_the_members_mailbox_is_no_kit_addressing() -> None:
    raw = (
        "From: Gardeners list <gardeners-owner@lists.example.org>\r\n"
        "Subject: Your membership of Gardeners: jane@home.example\r\n"
        "Content-Type: text/plain\r\n{list}\r\n\r\n"
        "Congratulations, you won the spring raffle! The password is on the notice board; "
        "confirm immediately. Click here: https://lists.example.org/options?email=jane@home.example"
    )
    result = analyse(raw.format(list=LIST).encode())
    assert "lure.address_in_subject" not in result.codes()
    assert result.score < SUSPICIOUS_AT
    assert "lure.address_in_subject" in analyse(raw.format(list="X-Mailer: x").encode()).codes()


def test_a_projects_appeal_for_donations_about_cryptography_is_no_prize() -> None:
    """ "You won't", "cryptography" and a plea for donations are not "you won", crypto coins and
    a fortune on offer: with an urgent word, a shortened link and a mirror at a raw address,
    such a newsletter used to cross the line."""
    head = "From: Project News <news@project.example>"
    body = (
        "You won't believe the new cryptography release. Please make a donation immediately "
        "to keep us going: https://bit.ly/3xYzAbC Mirror: http://192.0.2.10/pub/ "
        "Click here: https://project.example/news?email=reader@home.example"
    )
    score, codes = _analysed(head, body)
    assert "lure.prize" not in codes
    assert score < SUSPICIOUS_AT
    for lure in (
        "You won a laptop!",
        "Invest in cryptocurrency",
        "Ganhe com criptomoedas",
        "Achetez de la cryptomonnaie",
        "Jetzt Kryptowährung kaufen",
        "A donation of $5,000,000 awaits you",
    ):
        assert "lure.prize" in _mail(head, lure), lure


def test_a_groups_post_answering_and_bouncing_to_the_group_is_list_mail() -> None:
    """A member's post through a web group without List headers: replies to the group,
    bounces to its -bounce box. With an urgent word and a link to a raw address it used to
    cross the line on "replies go to another organisation"."""
    raw = (
        'From: "joyful" <abcusa88@hotmail.com>\r\n'
        "Reply-To: Thrifty Living <thriftyliving@groups.portal.example>\r\n"
        "Return-Path: <{bounce}>\r\nSubject: Hi! I'm new here.\r\nContent-Type: text/plain\r\n\r\n"
        "Urgent tip for everyone: click here for my budget sheet http://192.0.2.44/budget.xls\r\n"
    )
    listed = analyse(raw.format(bounce="thriftyliving-bounce@groups.portal.example").encode())
    assert not {"sender.reply_to_mismatch", "sender.return_path_mismatch"} & listed.codes()
    assert listed.score < SUSPICIOUS_AT
    other = analyse(raw.format(bounce="bounces@mailer.other.example").encode()).codes()
    assert {"sender.reply_to_mismatch", "sender.return_path_mismatch"} <= other


def test_a_person_at_a_national_webmail_provider_needs_no_link_home() -> None:
    """A list member's post from a webmail box links to what they discuss, never to the
    provider's site: with a prize word and a shortened link it used to near the line."""
    for box in ("gojomo@usa.net", "marie.dupont@laposte.net", "jan.devries@ziggo.nl"):
        body = "Congratulations on the crypto talk! Slides: https://bit.ly/3xYzAbC"
        score, codes = _analysed(f'From: "Gordon Mohr" <{box}>', body)
        assert "sender.unanchored" not in codes, box
        assert score < SUSPICIOUS_AT - 1, box
    role = _analysed('From: "Servicio al cliente" <soporte.banco@hotmail.es>', "Hola")[1]
    assert "sender.role_name_freemail" in role
