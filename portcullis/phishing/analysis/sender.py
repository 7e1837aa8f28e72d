"""Who the message claims to be from, and whether the claim holds.

Only originator headers are read (From, Reply-To, Return-Path, Subject,
Authentication-Results). Date, Received and recipient headers are deliberately ignored: in
the benchmark data they encode the corpus era and anonymisation, not phishing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.message import Message
from email.utils import getaddresses, parseaddr
from functools import cache, partial
from itertools import product

from rapidfuzz import fuzz

from portcullis.lib.observables import public_suffix, registrable_domain, url_host

from . import brands, confusables, domains
from .brands import fold
from .model import AnalysisContext, Findings
from .parse import decode_words, raw_header

_EMAIL = re.compile(r"[\w.+'-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+")
_BRACKETED = re.compile(r"<\s*([^<>\s]+@[^<>\s]+?)\s*>")
_ROLE = re.compile(
    r"\b(support|service|team|security|account|admin|administrator|help ?desk|billing|"
    r"notification|department|atendimento|suporte|servico|seguranca|conta|comunicado|"
    r"notificacao|central|equipe|cliente|banco|kundenservice|sicherheit|konto|klantenservice|"
    r"soporte|cuenta|servicio|assistenza|servizio)\b"
)
_REPLY = re.compile(r"^\s*(re|aw|sv|antw|res|resp)\s*:", re.I)
_AUTH = re.compile(r"\b(spf|dkim|dmarc)\s*=\s*([a-z]+)", re.I)
_HEADER_FROM = re.compile(r"header\.from\s*=\s*([\w.-]+)", re.I)


@dataclass
class Sender:
    address: str = ""
    name: str = ""
    reply_to: list[str] = field(default_factory=list)
    return_path: str = ""
    subject: str = ""
    mailbox: str = ""  # the address's local part as written (its letter case is evidence)

    @property
    def domain(self) -> str:
        return domain_of(self.address)


def domain_of(address: str) -> str:
    return address.rpartition("@")[2].lower().strip(".>") if "@" in address else ""


def header_text(message: Message, name: str) -> str:
    """A header as decoded text (never raises: hostile encoded words stay as written)."""
    return decode_words(raw_header(message, name))


def read_sender(message: Message, findings: Findings) -> Sender:
    raw_from = raw_header(message, "From")
    name, address = parseaddr(raw_from)
    if "@" in address and "=?" not in address:
        # Addresses are parsed before encoded words are decoded (a decoded display name may
        # hold commas or brackets); only the name is then decoded.
        name = decode_words(name).strip()
    else:
        name, address = split_from(decode_words(raw_from), findings)
        if "@" in address and address not in raw_from:
            # RFC 2047 forbids encoded words in an address: one that decodes to an address is
            # written to pass a filter as text and to show a reader a mailbox it is not from.
            findings.flag(
                "sender.encoded_address",
                f"From header {raw_from[:120]!r} shows {address} only once decoded",
            )
    sender = Sender(address=address.lower(), name=name, mailbox=address.rpartition("@")[0])
    sender.reply_to = read_addresses(message, "Reply-To")
    sender.return_path = next(iter(read_addresses(message, "Return-Path")), "")
    sender.subject = header_text(message, "Subject")[:500]
    if not sender.address or "@" not in sender.address:
        findings.flag("sender.missing", f"From header has no usable address: {name[:80]!r}")
    obs = findings.observables
    obs.sender, obs.sender_name, obs.subject = sender.address, sender.name, sender.subject
    obs.reply_to, obs.return_path = sender.reply_to, sender.return_path
    for address in [sender.address, *sender.reply_to, sender.return_path]:
        if address and address not in obs.emails:
            obs.emails.append(address)
    return sender


def split_from(text: str, findings: Findings) -> tuple[str, str]:
    """Display name and address, also from the unquoted-comma Froms that spam kits write."""
    name, address = parseaddr(text)
    if "@" in address:
        return name.strip(), address
    bracketed = _BRACKETED.search(text)
    found = bracketed or _EMAIL.search(text)
    if not found:
        return text.strip(), ""
    findings.flag("sender.malformed", f"From header is not a valid address list: {text[:80]!r}")
    address = found.group(1) if bracketed else found.group(0)
    return text[: found.start()].strip(" \t\"',_"), address


def read_addresses(message: Message, name: str) -> list[str]:
    """The addresses of a Reply-To or Return-Path header, lower-cased. One the standard parser
    rejects (`<a@b@evil.example>`: two @, which it reads as no address at all, or as pieces of
    one, `evil.example`) is still read as written, and so compared by the domain after its last
    @, where mail to it goes: otherwise a second @ hides a bounce or reply address from every
    check (and a Reply-To at a webmail box is `sender.reply_to_freemail`, not a mismatch with
    no domain). Not `sender.malformed`, as such a From is: in the calibration half 20 of the 21
    phish with such a Return-Path or Reply-To have it from the corpus's anonymisation (the
    recipient replaced by `phishing@pot` inside a bounce address, `bounce-84-phishing@pot=
    hotmail.com@host`), which the message as sent did not have; no ham has one."""
    raw = raw_header(message, name)
    found = [a.lower() for _, a in getaddresses([raw]) if a]
    if "@" not in raw or (found and all(_well_formed(a) for a in found)):
        return found
    written = []
    for piece in raw.lower().split(","):
        bracketed = _BRACKETED.search(piece)
        address = bracketed.group(1) if bracketed else piece.strip()
        if "@" in address:
            written.append(address)
    return written


def _well_formed(address: str) -> bool:
    local, _, domain = address.partition("@")
    return bool(local) and bool(domain) and "@" not in domain


_BULK = ("List-Unsubscribe", "List-Id", "List-Post")


def is_bulk(message: Message) -> bool:
    return any(raw_header(message, name) for name in _BULK) or raw_header(
        message, "Precedence"
    ).lower() in ("bulk", "list")


def check_sender(
    sender: Sender, message: Message, context: AnalysisContext, findings: Findings
) -> None:
    check_directory_impersonation(sender, context, findings)
    check_brand(sender, findings)
    check_role_name_freemail(sender, findings)
    check_name_unrelated(sender, message, findings)
    check_role_name_unrelated(sender, findings)
    check_sender_domain(sender, context, findings)
    check_random_domain(sender, findings)
    check_random_name(sender, findings)
    check_name_filler(sender, findings)
    check_free_hosting_sender(sender, findings)
    check_sender_tld(sender, findings)
    check_address_in_subject(sender, message, findings)
    check_fake_reply(sender, message, findings)
    check_display_name_address(sender, findings)
    check_lookalike_sender(sender, context, findings)
    check_reply_paths(sender, message, findings)
    check_authentication(sender, message, context, findings)


def check_directory_impersonation(
    sender: Sender, context: AnalysisContext, findings: Findings
) -> None:
    for person in context.directory.borrowed_by(sender.name, sender.address):
        own = {e.lower() for e in person.emails}
        kind = "free-mail copy" if domains.is_freemail(sender.domain) else "other address"
        findings.flag(
            "sender.impersonates_person",
            f"{sender.name or sender.address!r} <{sender.address}> looks like {person.name}"
            f" ({kind}; theirs: {', '.join(sorted(own)) or 'none on file'})",
        )


def check_brand(sender: Sender, findings: Findings) -> None:
    disguised = confusables.disguised_brand(sender.name)
    if disguised and not (sender.domain and brands.sends_for_brand(disguised, sender.domain)):
        findings.flag(
            "sender.brand_lookalike",
            f"display name {sender.name!r} spells {disguised!r} with look-alike characters",
        )
        return
    brand = brands.claimed_brand(sender.name) or brands.claimed_brand(
        sender.address.partition("@")[0].replace(".", " ")
    )
    if not brand or not sender.domain or brands.sends_for_brand(brand, sender.domain):
        return
    # A mail server reporting a failed delivery writes as "Mail Delivery System" from its own
    # MAILER-DAEMON or postmaster box, at whatever host it is: that is no claim to a brand.
    if brand == "mail delivery" and sender.mailbox.lower() in ("mailer-daemon", "postmaster"):
        return
    # "Lockergnome Apple Core" from lockergnome.com names its own publisher as well.
    own = registrable_domain(sender.domain).split(".", 1)[0]
    if len(own) >= 4 and own in fold(sender.name).replace(" ", ""):
        return
    findings.flag(
        "sender.brand_impersonation",
        f"display name claims {brand!r} but the address is {sender.address}",
    )


def check_role_name_freemail(sender: Sender, findings: Findings) -> None:
    """An institution's voice ("Account Support", "Atendimento") from a private webmail box;
    free-mail on its own is normal (constituents write from gmail)."""
    if sender.domain and domains.is_freemail(sender.domain) and _ROLE.search(fold(sender.name)):
        findings.flag(
            "sender.role_name_freemail",
            f"{sender.name!r} writes from free-mail address {sender.address}",
        )


def check_role_name_unrelated(sender: Sender, findings: Findings) -> None:
    """An institution's voice ("Account Support") from an address that has nothing to do with
    the name and is not a webmail box either: someone else's domain lent to the lure."""
    if (
        sender.domain
        and not domains.is_freemail(sender.domain)
        and _ROLE.search(fold(sender.name))
        and _name_unrelated(sender.name, sender.address)
        and not _brand_owns(sender)
    ):
        findings.flag(
            "sender.role_name_unrelated",
            f"{sender.name!r} writes from an unrelated address {sender.address}",
        )


def _brand_owns(sender: Sender) -> bool:
    """ "Banco do Brasil" <noreply@bb.com.br>: the brand named really sends from this domain."""
    brand = brands.claimed_brand(sender.name)
    return bool(brand and brands.sends_for_brand(brand, sender.domain))


def check_name_unrelated(sender: Sender, message: Message, findings: Findings) -> None:
    """The display name shares nothing with the address ("Aave Team" <contact@cityopp.com>).

    Weak on its own (people use nicknames), so it only lifts other evidence. Not in a member's
    post to a discussion list, which is a person's nickname and mailbox, not an organisation's
    name (nor, then, `check_unanchored`: a member links to what the thread is about)."""
    if (
        sender.address
        and _name_unrelated(sender.name, sender.address)
        and not through_discussion_list(sender, message)
    ):
        findings.flag(
            "sender.name_unrelated", f"{sender.name!r} and {sender.address} share nothing"
        )


def check_unanchored(sender: Sender, findings: Findings) -> None:
    """Once the links are read: a display name that shares nothing with the address, and not
    one link to the sender's own site. An organisation writes under its name from its domain
    and links home (through a mailing service, its links still do); a borrowed or throw-away
    address wearing someone else's name points everywhere but there."""
    if "sender.name_unrelated" not in findings.evidence or domains.is_freemail(sender.domain):
        return
    hosts = {host for url in findings.observables.urls if (host := url_host(url))}
    if _names_linked_site(sender, hosts, findings):
        # "CNET Digital Dispatch" <token@newsletter.online.com> linking to cnet.com: a
        # publication sent through its mailing service, named after the site it links to.
        del findings.evidence["sender.name_unrelated"]
        return
    if hosts and not any(domains.same_org(host, sender.domain) for host in hosts):
        findings.flag(
            "sender.unanchored",
            f"{sender.name!r} <{sender.address}>: none of the {len(hosts)} linked site(s) is "
            f"{registrable_domain(sender.domain)}",
        )


def check_forwarded_name(sender: Sender, findings: Findings) -> None:
    """Once the links are read: a display name showing an address whose site is the only one
    the message links to ("AuthorTracker@publisher.example" <ticket_x@forwarder.example>) is
    the original sender's, as a forwarding or anonymising service rewrites it; a lure shows
    one address and links to another site."""
    if "sender.display_name_address" not in findings.evidence:
        return
    shown = [domain_of(a) for a in _EMAIL.findall(sender.name)]
    hosts = {host for url in findings.observables.urls if (host := url_host(url))}
    if hosts and all(any(domains.same_org(h, d) for d in shown) for h in hosts):
        del findings.evidence["sender.display_name_address"]


def _names_linked_site(sender: Sender, hosts: set[str], findings: Findings) -> bool:
    """A word of the display name is the own name (4 letters or more) of a site the message
    links to, and no other linked domain is registered under that name (`optimism-holder.com` beside
    `optimism.io`: a lure links to the real site's pages too). Not for a brand the address does
    not belong to, nor for a free-hosting site, whose names anyone may choose."""
    if "sender.brand_impersonation" in findings.evidence:
        return False
    words = set(re.findall(r"[a-z0-9]+", fold(sender.name)))
    for host in hosts:
        label = domains.own_label(host)
        if len(label) < 4 or label not in words or domains.is_free_hosting(host):
            continue
        if not any(label in domains.own_label(o) and not domains.same_org(o, host) for o in hosts):
            return True
    return False


# "Write to me at ...", "response to me at: ..." just before an address in the text.
_ANSWER_AT = re.compile(
    r"\b(write|reply|respond|response|answer|contact|e-?mail|mail|message|get back)( back)?"
    r"( to)?( me)?( directly| privately| personally)?( at| on| via| to| through)?( my| this)?"
    r"( private| personal| direct| own)?( e-?mail| address| mailbox)?[ :]{0,3}$"
)


def check_reply_in_text(sender: Sender, texts: list[str], findings: Findings) -> None:
    """Once the text is read: it asks for the answer at a webmail address that is not the
    sender's ("Write at jane1992@gmail.com"), the Reply-To trick written where no header
    check looks (romance and advance-fee scams). Not in list mail: a digest or a newsletter
    quotes its members' and small traders' own webmail addresses ("e-mail me at ...")."""
    if "sender.bulk" in findings.evidence:
        return
    for text in texts:
        at = text.find("@", 0, 100_000)
        while at >= 0:
            # Only around each "@": the address regex tried at every word start costs more.
            start = max(0, at - 64)
            match = _EMAIL.search(text, start, at + 254)
            at = text.find("@", at + 1, 100_000)
            if match is None:
                continue
            address = match.group(0).lower()
            before = " ".join(text[max(0, match.start() - 60) : match.start()].split()).lower()
            if (
                address != sender.address
                and domains.is_freemail(domain_of(address))
                and _ANSWER_AT.search(before)
            ):
                findings.flag(
                    "sender.reply_in_text",
                    f"asks for answers at {address}, not {sender.address or 'the sender'}",
                )
                return


def _name_unrelated(name: str, address: str) -> bool:
    local, _, domain = address.partition("@")
    words = re.findall(r"[a-z0-9]+", fold(name))
    tokens = [t for t in words if len(t) >= 3]
    if not tokens:
        return False
    haystack = re.sub(r"[^a-z0-9]", "", fold(address))
    joined = "".join(words)
    labels = [p for p in re.split(r"[^a-z0-9]+", fold(address)) if len(p) >= 4]
    initials = "".join(w[0] for w in words if w[0].isalpha())
    related = (
        any(t in haystack for t in tokens)
        or any(p in joined for p in labels)
        or (len(initials) >= 2 and fold(local).startswith(initials[:2]))
        or fuzz.partial_ratio(joined, haystack) >= 80
        or _named_after(tokens, domain)
    )
    return not related


def _named_after(tokens: list[str], domain: str) -> bool:
    """A name word that begins with a label the sender owns: "Effector" from `eff.org`, a
    publication named after its publisher. Labels of the public suffix (`com`) do not count."""
    host = fold(domain).strip(".")
    suffix = public_suffix(host)
    own = host[: -len(suffix) - 1] if suffix and host != suffix else host
    labels = [label for label in re.split(r"[^a-z0-9]+", own) if len(label) >= 3]
    return any(token.startswith(label) for token in tokens for label in labels)


def check_sender_domain(sender: Sender, context: AnalysisContext, findings: Findings) -> None:
    if domains.is_protected(sender.domain, context.protected_domains):
        return  # ours, even under a suffix the public list does not know (`.internal`)
    if sender.domain and "." not in sender.domain.strip("."):
        findings.flag("sender.invalid_domain", f"{sender.address} has no top-level domain")
    elif sender.domain and not domains.has_public_suffix(sender.domain):
        findings.flag("sender.invalid_domain", f"{sender.address}: unknown top-level domain")


_FILLER = re.compile(r"_{2,}|\.{3,}|-{2,}|\.\.[A-Za-z]")


def check_name_filler(sender: Sender, findings: Findings) -> None:
    """Display names padded to slip past filters (`__FALL_GIFT_GUIDE__`, `Team...bdaI`)."""
    match = _FILLER.search(sender.name)
    if match:
        findings.flag("sender.name_filler", f"{sender.name!r} is padded with {match.group(0)!r}")


def check_free_hosting_sender(sender: Sender, findings: Findings) -> None:
    """Mail from an app-hosting platform's domain (`x.firebaseapp.com`) borrows its reputation;
    organisations send from their own domains."""
    if sender.domain and domains.is_hosting_sender(sender.domain):
        findings.flag("sender.free_hosting", f"{sender.address} is on a free-hosting platform")


def check_random_domain(sender: Sender, findings: Findings) -> None:
    """Throw-away sending domains are machine-made (`5ihk859k24cwdh6rswnzu7x2a6ad.com`)."""
    org = registrable_domain(sender.domain) if sender.domain else ""
    if org and domains.random_looking(org.split(".", 1)[0]):
        findings.flag("sender.random_domain", f"{sender.address}: machine-made domain name")


def check_sender_tld(sender: Sender, findings: Findings) -> None:
    """A sending domain under a top-level domain that costs next to nothing and is mostly
    abused (`.xyz`, `.top`), or a pseudo-national name (`x.de.com`, `y.sa.com`)."""
    if sender.domain and domains.has_suspicious_tld(sender.domain):
        findings.flag("sender.suspicious_tld", f"{sender.address}: a cheap, much-abused suffix")


_ADDRESS = re.compile(r"[\w.+'-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})*")


def check_address_in_subject(sender: Sender, message: Message, findings: Findings) -> None:
    """Kits address the victim by mailbox ("User ID: jane@example.org", "jane@..., your gift");
    people and newsletters put a name in a subject, hardly ever an e-mail address. A list's
    own notices do ("Your membership of Gardeners: jane@example.org"), so list mail is not
    read for it."""
    if is_bulk(message):
        return
    match = _ADDRESS.search(sender.subject)
    if match and match.group(0).lower() != sender.address:
        findings.flag("lure.address_in_subject", f"subject names a mailbox: {match.group(0)}")


def check_fake_reply(sender: Sender, message: Message, findings: Findings) -> None:
    """ "Re:" without any thread headers pretends to continue a conversation that never was."""
    if not _REPLY.match(sender.subject):
        return
    if not (header_text(message, "In-Reply-To") or header_text(message, "References")):
        findings.flag("sender.fake_reply", f"{sender.subject[:80]!r} answers no earlier message")


# A display name that is nothing but a web address ("Tether.to", "SiriusXM.com"), perhaps with
# a word such as "Team" or "Support" beside it.
_NAME_DOMAIN = re.compile(
    r"^\W*(?:(?:the|team|support|service|noreply|no-reply|info)\W+)*"
    r"((?:[a-z0-9-]+\.)+[a-z]{2,})"
    r"(?:\W+(?:team|support|service|noreply|no-reply|info))*\W*$"
)


def check_display_name_address(sender: Sender, findings: Findings) -> None:
    """The display name shows an identity of its own, an e-mail or web address, that the
    message is not from: "tether.to" <support@pqqjd.zendesk.com>. A shop's name in its own
    mailbox at a mailing service ("Buy4Less.com" <buy4less@esp.example>) is the shop's own."""
    for shown in _EMAIL.findall(sender.name):
        if not domains.same_org(domain_of(shown), sender.domain):
            findings.flag(
                "sender.display_name_address",
                f"display name shows {shown} but the message is from {sender.address}",
            )
    site = _NAME_DOMAIN.match(fold(sender.name))
    if (
        site
        and sender.domain
        and domains.has_public_suffix(site.group(1))
        and not domains.same_org(site.group(1), sender.domain)
        and not _named_in_address(site.group(1), sender.address)
    ):
        findings.flag(
            "sender.display_name_domain",
            f"display name {sender.name!r} is a web address; the message is from {sender.address}",
        )


def _named_in_address(site: str, address: str) -> bool:
    """The shown site's own name (`buy4less` of `buy4less.com`, 4 letters or more) is in the
    address: the sender's mailbox or its mailing service's subdomain bears it."""
    name = re.sub(r"[^a-z0-9]", "", domains.own_label(site))
    return len(name) >= 4 and name in re.sub(r"[^a-z0-9]", "", fold(address))


# Display names people and organisations choose are words: a long run of letters with no vowel
# (`cscsfgdtr`) or letters and digits shuffled together (`W2BSAGXRAO88YRSRJC`) is a kit's.
_NO_VOWEL = re.compile(r"\b[b-df-hj-np-tv-xz]{7,}\b")
_NAME_TOKEN = re.compile(r"\b[a-z0-9]{12,}\b")


# A mailbox of letters in random case (`uSrPfPP`, `hxJXOMee`): capitals inside it twice or
# more (or a run of them between small letters), one of them not starting a word. `JaneSmith`,
# `OneIncomeLiving` and `ThosStew` are words run together; separators
# (`Online#3.19578.34-UgGT`) mark a mailer's token instead.
_MAILBOX = re.compile(r"[A-Za-z0-9]{5,24}")
_CAPITAL_NOT_WORD = re.compile(r"[a-z][A-Z][a-z]?(?:[A-Z]|$)")
_CAPITALS_INSIDE = re.compile(r"[a-z][A-Z]{3,}[a-z]")


# A trailing acronym is a word too: `HilltopHoneyUK`, `iPhoneNEWS`, `PayPalUSA`.
_TRAILING_ACRONYM = re.compile(r"(?<=[a-z])[A-Z]{2,4}$")


def _random_case(mailbox: str) -> bool:
    mailbox = _TRAILING_ACRONYM.sub("", mailbox)
    return (
        bool(_MAILBOX.fullmatch(mailbox))
        and bool(_CAPITAL_NOT_WORD.search(mailbox))
        and (len(re.findall(r"[a-z][A-Z]", mailbox)) >= 2 or bool(_CAPITALS_INSIDE.search(mailbox)))
    )


def check_random_name(sender: Sender, findings: Findings) -> None:
    name = fold(sender.name)
    found = _NO_VOWEL.search(name) or next(
        (m for m in _NAME_TOKEN.finditer(name) if len(domains.SWITCH.findall(m.group())) >= 4),
        None,
    )
    if found:
        findings.flag(
            "sender.random_name", f"display name {sender.name!r}: {found.group(0)!r} is no word"
        )
    elif _random_case(sender.mailbox):
        findings.flag("sender.random_name", f"mailbox {sender.mailbox!r} is letters in random case")


def check_lookalike_sender(sender: Sender, context: AnalysisContext, findings: Findings) -> None:
    for address in [sender.address, *sender.reply_to, sender.return_path]:
        target = domains.lookalike_of(domain_of(address), context.protected_domains)
        if target:
            findings.flag("domain.lookalike", f"sender address {address} imitates {target}")


_LIST_HOST = re.compile(r"[\w-]+(?:\.[\w-]+)+")


# A list's own mail addresses, where its software takes posts, commands and help requests:
# `List-Unsubscribe: <mailto:club-unsubscribe@groups.example>` (RFC 2369) and the older
# `Mailing-List: list club@groups.example; contact club-owner@groups.example` (ezmlm, Yahoo
# Groups). Only mailto addresses: a web link to unsubscribe may be any mailing service's.
_LIST_MAILTO = re.compile(r"mailto:([^\s<>?,;]+@[\w.-]+)", re.I)
_MAILING_LIST = re.compile(r"\b(?:list|contact)\s+([^\s<>;,]+@[\w.-]+)", re.I)
_LIST_COMMANDS = ("List-Unsubscribe", "List-Subscribe", "List-Help", "List-Owner")


def list_domains(sender: Sender, message: Message) -> set[str]:
    """The organisations of the discussion list a message came through (List-Id, List-Post,
    Mailing-List, and the list's own command addresses): a list sends replies and bounces to
    itself, whoever wrote the post. A command address (`List-Unsubscribe: <mailto:...>`) names
    the list only beside a bounce address at the same organisation (the Return-Path, or the
    older lists' Sender or Errors-To): alone, it is one line anyone writes, and a Reply-To at
    the same place as it would then be no mismatch."""
    found = set()
    for name in ("List-Id", "List-Post"):
        value = raw_header(message, name)[:300]
        if name == "List-Id":
            value = value.rpartition("<")[2]
        for host in _LIST_HOST.findall(value):
            found |= _organisation(host.rpartition("@")[2])
    for address in _MAILING_LIST.findall(raw_header(message, "Mailing-List")[:300]):
        found |= _organisation(domain_of(address))
    commands = set()
    for name in _LIST_COMMANDS:
        for address in _LIST_MAILTO.findall(raw_header(message, name)[:300]):
            commands |= _organisation(domain_of(address))
    if commands:
        bounces = [sender.return_path, *_list_senders(message)]
        found |= commands & {_list_key(domain_of(b)) for b in bounces if "@" in b}
    return found


def _organisation(host: str) -> set[str]:
    """The list a header names, if a list can be there: not at a webmail provider's own domain
    (`List-Unsubscribe: <mailto:stop@gmail.com>` beside a Return-Path at gmail.com is two lines
    any sender writes, and would excuse a Reply-To at gmail.com)."""
    host = host.lower().rstrip(".")
    if not domains.has_public_suffix(host) or _anyones_box(host):
        return set()
    return {_list_key(host)}


def _anyones_box(host: str) -> bool:
    """A webmail provider's own domain (`gmail.com`), where anyone may open a box; not the
    provider's list or group hosts (`groups.msn.com`)."""
    return domains.is_freemail(host) and host == registrable_domain(host)


def _list_key(host: str) -> str:
    """What a list is known by: its organisation (registrable domain), but at a webmail
    provider its own list host (`groups.msn.com`), since the provider's domain is anyone's."""
    return host if domains.is_freemail(host) else registrable_domain(host)


# A list's own address pair: answers to `club@host`, bounces to `club-bounce@host`
# (Mailman, ezmlm, the webmail groups), whoever wrote the post.
_LIST_BOUNCE = ("-bounce", "-return", "-owner", "-request", "-admin")
_LIST_SENDERS = ("Sender", "Errors-To")


def _list_pair(sender: Sender, message: Message) -> set[str]:
    """The list's bounce address may be the Return-Path or, as older list software writes
    it, the Sender or Errors-To (`Sender: owner-club@host`, `Errors-To: club-admin@host`)."""
    if not sender.reply_to:
        return set()
    bounces = [sender.return_path, *_list_senders(message)]
    found = set()
    for reply, bounce in product(sender.reply_to, bounces):
        box, _, host = reply.partition("@")
        bounce_box, _, bounce_host = bounce.partition("@")
        if (
            box
            and domains.same_org(host, bounce_host)
            and not _anyones_box(host)
            and (
                bounce_box.startswith(tuple(box + s for s in _LIST_BOUNCE))
                or bounce_box == "owner-" + box
            )
        ):
            found.add(_list_key(host))
    return found


def _list_senders(message: Message) -> list[str]:
    return [parseaddr(raw_header(message, name))[1].lower() for name in _LIST_SENDERS]


def _list_organisations(sender: Sender, message: Message) -> set[str]:
    """The organisations of the list a message came through, by its headers or its address
    pair. When the receiving server says which domains passed SPF or DKIM for the message
    (`Authentication-Results`, the topmost, as `check_authentication` reads it), only those:
    the list's own server sends its posts (the envelope SPF checks is the list's bounce
    address, and list software signs as itself), while any sender can write list headers
    naming the place that takes its replies."""
    found = list_domains(sender, message) | _list_pair(sender, message)
    senders = _authenticated(message) if found else None
    return found if senders is None else found & senders


def through_discussion_list(sender: Sender, message: Message) -> bool:
    """A member's post that a discussion list passed on: the message names where members post
    (List-Post, or the older Mailing-List header), and its bounces or replies go to that list's
    own domain. A newsletter's List-Unsubscribe alone is no discussion list. So is a digest or
    notice the list software writes itself, from the list's own command address beside a
    Reply-To of the list (`club-request@host` answering at `club@host`)."""
    if _from_list_software(sender):
        return True
    if not (raw_header(message, "List-Post") or raw_header(message, "Mailing-List")):
        return False
    lists = _list_organisations(sender, message)
    paths = [sender.return_path, *sender.reply_to, *_list_senders(message)]
    return any(_list_key(domain_of(path)) in lists for path in paths if "@" in path)


def _from_list_software(sender: Sender) -> bool:
    box, _, host = sender.address.partition("@")
    for reply in sender.reply_to:
        list_box, _, list_host = reply.partition("@")
        if (
            list_box
            and domains.same_org(host, list_host)
            and not _anyones_box(host)
            and box.startswith(tuple(list_box + suffix for suffix in _LIST_BOUNCE))
        ):
            return True
    return False


def check_reply_paths(sender: Sender, message: Message, findings: Findings) -> None:
    if not sender.domain:
        return
    # Read only when a reply or bounce goes to another organisation (few messages).
    lists = cache(partial(_list_organisations, sender, message))

    for reply in sender.reply_to:
        if _webmail_to_webmail(sender, reply, message):
            findings.flag(
                "sender.reply_to_freemail",
                f"replies go to another webmail box, {reply}, not to {sender.address}",
            )
            continue
        if domains.same_org(domain_of(reply), sender.domain):
            continue
        if _list_key(domain_of(reply)) in lists():
            continue
        # Corporate From with replies to a webmail box is the advance-fee and BEC shape.
        to_webmail = domains.is_freemail(domain_of(reply)) and not domains.is_freemail(
            sender.domain
        )
        code = "sender.reply_to_freemail" if to_webmail else None
        findings.flag(
            code or "sender.reply_to_mismatch",
            f"replies go to {reply}, not to {sender.address}",
        )
    bounce = domain_of(sender.return_path)
    if bounce and not domains.same_org(bounce, sender.domain) and _list_key(bounce) not in lists():
        findings.flag(
            "sender.return_path_mismatch",
            f"Return-Path {sender.return_path} differs from From {sender.address}",
        )


def _webmail_to_webmail(sender: Sender, reply: str, message: Message) -> bool:
    """One webmail box writes, another takes the answers (`jane1992@outlook.com` replying to
    `mrs.jane@gmail.com`): the advance-fee and romance shape, the scammer's real box kept
    out of the From. Not a group or list under a webmail provider (`x@groups.msn.com`)."""
    host = domain_of(reply)
    return (
        reply != sender.address
        and domains.is_freemail(sender.domain)
        and _anyones_box(host)
        and not is_bulk(message)
        and not _same_person(sender, reply)
    )


def _same_person(sender: Sender, reply: str) -> bool:
    """A person's own two boxes: a display name of plain words, not a brand, whose surname
    is in both mailboxes (`David Okafor <david.okafor@...>` answering at `d.okafor71@...`)."""
    words = fold(sender.name).split()
    if len(words) < 2 or not all(w.isalpha() for w in words) or brands.claimed_brand(sender.name):
        return False
    surname = words[-1]
    boxes = (sender.address.partition("@")[0].lower(), reply.partition("@")[0].lower())
    return len(surname) >= 3 and all(surname in box for box in boxes)


def check_authentication(
    sender: Sender, message: Message, context: AnalysisContext, findings: Findings
) -> None:
    # Only the topmost header is trusted: lower ones may have been written by the sender.
    text = header_text(message, "Authentication-Results")
    results = {m.lower(): r.lower() for m, r in reversed(_AUTH.findall(text))}
    if not results:
        return
    for method in ("spf", "dkim", "dmarc"):
        if results.get(method) in ("fail", "softfail", "permerror"):
            findings.flag(f"auth.{method}_fail", f"{method}={results[method]}")
    passed = any(r == "pass" for r in results.values())
    if not passed and all(r in ("none", "neutral", "fail", "softfail") for r in results.values()):
        findings.flag("auth.unauthenticated", f"no method passed: {_summary(results)}")
    claimed = _HEADER_FROM.search(text)
    claimed_domain = claimed.group(1) if claimed else sender.domain
    if domains.is_protected(claimed_domain, context.protected_domains) and (
        results.get("dmarc") != "pass"
    ):
        findings.flag(
            "auth.protected_domain_unauthenticated",
            f"claims {claimed_domain} but {_summary(results)}",
        )


# In one result of an Authentication-Results header (`spf=pass (...) smtp.mailfrom=x@host`,
# `dkim=pass header.d=host`): the domain it passed for.
_AUTH_PASS = re.compile(r"^\s*(?:spf|dkim)\s*=\s*pass\b", re.I)
_AUTH_DOMAIN = re.compile(r"\b(?:smtp\.mailfrom|header\.[di])\s*=\s*([^\s;()]+)", re.I)


def _authenticated(message: Message) -> set[str] | None:
    """The organisations SPF or DKIM passed for, by the topmost Authentication-Results; None
    when there is no such header (nothing says who sent the message)."""
    text = header_text(message, "Authentication-Results")
    if not text:
        return None
    found: set[str] = set()
    for result in text.split(";"):
        if _AUTH_PASS.match(result):
            for value in _AUTH_DOMAIN.findall(result):
                found |= _organisation(value.rpartition("@")[2].strip("<>\"'.").lower())
    return found


def _summary(results: dict[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(results.items()))
