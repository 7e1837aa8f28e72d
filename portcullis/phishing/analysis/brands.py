"""Brands that lures borrow, with the domain names (labels) each really sends from.

A display name naming a brand while the From domain belongs to nobody on its list is the
commonest shape of mass phishing (many samples are Brazilian, hence the local banks).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from portcullis.lib.observables import registrable_domain

# brand as written in display names -> registrable-domain labels that brand really uses
BRANDS: dict[str, tuple[str, ...]] = {
    "microsoft": ("microsoft", "office", "office365", "outlook", "live", "microsoftonline"),
    "office 365": ("microsoft", "office", "office365", "outlook"),
    "outlook": ("microsoft", "outlook", "office", "live"),
    "onedrive": ("microsoft", "onedrive", "live"),
    "sharepoint": ("microsoft", "sharepoint"),
    "apple": ("apple", "icloud"),
    "icloud": ("apple", "icloud"),
    "paypal": ("paypal",),
    "netflix": ("netflix",),
    "amazon": ("amazon", "amazonses"),
    "dhl": ("dhl",),
    "fedex": ("fedex",),
    "usps": ("usps",),
    "royal mail": ("royalmail",),
    "hmrc": ("gov",),
    "correios": ("correios",),
    "mercado pago": ("mercadopago", "mercadolivre", "mercadolibre"),
    "mercado livre": ("mercadolivre", "mercadolibre", "mercadopago"),
    "nubank": ("nubank",),
    "itau": ("itau",),
    "bradesco": ("bradesco",),
    "santander": ("santander",),
    "caixa": ("caixa",),
    "banco do brasil": ("bb",),
    "picpay": ("picpay",),
    "serasa": ("serasa", "serasaexperian"),
    "receita federal": ("gov",),
    "gov.br": ("gov",),
    "detran": ("gov", "detran"),
    "magalu": ("magazineluiza", "magalu"),
    "americanas": ("americanas",),
    "shopee": ("shopee",),
    "aliexpress": ("aliexpress",),
    "facebook": ("facebook", "facebookmail", "meta"),
    "instagram": ("instagram", "facebookmail"),
    "whatsapp": ("whatsapp",),
    "linkedin": ("linkedin",),
    "google": ("google",),
    "gmail": ("google", "gmail"),
    "binance": ("binance",),
    "coinbase": ("coinbase",),
    "metamask": ("metamask",),
    "trust wallet": ("trustwallet",),
    "ledger": ("ledger",),
    "norton": ("norton",),
    "mcafee": ("mcafee",),
    "wells fargo": ("wellsfargo",),
    "chase": ("chase",),
    "bank of america": ("bankofamerica", "bofa"),
    "hsbc": ("hsbc",),
    "barclays": ("barclays",),
    "lloyds": ("lloydsbank", "lloyds"),
    "natwest": ("natwest",),
    "american express": ("americanexpress", "aexp"),
    "albert heijn": ("ah", "albertheijn"),
    "booking.com": ("booking",),
    "airbnb": ("airbnb",),
    "spotify": ("spotify",),
    "adobe": ("adobe",),
    "docusign": ("docusign",),
    "dropbox": ("dropbox",),
    "wetransfer": ("wetransfer",),
    "zoom": ("zoom",),
    "costco": ("costco",),
    "walmart": ("walmart",),
    "mcdonald's": ("mcdonalds",),
    "livelo": ("livelo",),
    "irs": ("irs",),
    "ups": ("ups",),
    "vivo": ("vivo", "telefonica"),
    "correos": ("correos",),
    "poste italiane": ("poste", "posteitaliane"),
    "blockchain.com": ("blockchain",),
    "trezor": ("trezor",),
    "kraken": ("kraken",),
    "opensea": ("opensea",),
    "uniswap": ("uniswap",),
    "crypto.com": ("crypto",),
    "kucoin": ("kucoin",),
    "bybit": ("bybit",),
    "aave": ("aave",),
    "coindesk": ("coindesk",),
    "geico": ("geico",),
    "steam": ("steampowered", "steamcommunity"),
    "roblox": ("roblox",),
    "disney": ("disney", "disneyplus"),
    "telegram": ("telegram",),
    "tiktok": ("tiktok",),
    "youtube": ("youtube", "google"),
    "avast": ("avast",),
    "bitdefender": ("bitdefender",),
    "total av": ("totalav",),
    # retail, telecoms and parcel brands that prize and survey lures borrow across Europe
    "temu": ("temu",),
    "shein": ("shein",),
    "lidl": ("lidl",),
    "aldi": ("aldi", "aldi-sued", "aldi-nord"),
    "kaufland": ("kaufland",),
    "edeka": ("edeka",),
    "rewe": ("rewe",),
    "carrefour": ("carrefour",),
    "decathlon": ("decathlon",),
    "ikea": ("ikea",),
    "zalando": ("zalando",),
    "sephora": ("sephora",),
    "mediamarkt": ("mediamarkt",),
    "t-online": ("t-online", "telekom"),
    "telekom": ("telekom", "t-online"),
    "vodafone": ("vodafone",),
    "walgreens": ("walgreens",),
    "harbor freight": ("harborfreight",),
    "home depot": ("homedepot",),
    "lowe's": ("lowes",),
    "dpd": ("dpd",),
    "postnl": ("postnl",),
    "la poste": ("laposte",),
    "chronopost": ("chronopost",),
    "colissimo": ("colissimo", "laposte"),
    "sparkasse": ("sparkasse",),
    # the rest of the family phish borrow most: banks, payments, carriers, telecoms and tax
    # offices of the languages the language checks read (no brand that is a common word)
    "ebay": ("ebay",),
    "citibank": ("citi", "citibank", "citicards"),
    "capital one": ("capitalone",),
    "usaa": ("usaa",),
    "venmo": ("venmo",),
    "cash app": ("cash", "squareup"),
    "zelle": ("zellepay", "zelle"),
    "verizon": ("verizon", "verizonwireless", "vzw"),
    "t-mobile": ("t-mobile", "tmobile"),
    "at&t": ("att", "att-mail"),
    "best buy": ("bestbuy",),
    "geek squad": ("bestbuy", "geeksquad"),
    "canada post": ("canadapost", "canadapost-postescanada"),
    "evri": ("evri",),
    "bpost": ("bpost",),
    "ctt": ("ctt",),
    "bbva": ("bbva",),
    "caixabank": ("caixabank", "lacaixa"),
    "agencia tributaria": ("agenciatributaria",),
    "rabobank": ("rabobank",),
    "abn amro": ("abnamro",),
    "belastingdienst": ("belastingdienst",),
    "deutsche bank": ("db", "deutsche-bank"),
    "commerzbank": ("commerzbank",),
    "postbank": ("postbank",),
    "volksbank": ("volksbank", "vr"),
    "n26": ("n26",),
    "intesa sanpaolo": ("intesasanpaolo",),
    "unicredit": ("unicredit", "unicreditgroup"),
    "bnp paribas": ("bnpparibas",),
    "societe generale": ("societegenerale",),
    "la banque postale": ("labanquepostale",),
    "ameli": ("ameli",),
    "webmail": (),
    "mail delivery": (),
}

_PATTERNS = {
    brand: re.compile(r"(?<![a-z0-9])" + re.escape(brand) + r"(?![a-z0-9])") for brand in BRANDS
}


# Combining marks (accents) left by NFKD; the blocks cover Latin, Greek, Cyrillic and Hebrew
# diacritics and the extended/supplementary combining blocks.
_MARKS = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
)


def fold(text: str) -> str:
    """Lower-case without accents, so `Itaú` and `ITAU` compare equal."""
    if text.isascii():
        return text.lower()
    return _MARKS.sub("", unicodedata.normalize("NFKD", text.casefold()))


def claimed_brand(display_name: str) -> str | None:
    folded = fold(display_name)
    for brand, pattern in _PATTERNS.items():
        # The pattern holds the brand as written: a substring test rules most out at once,
        # where the search tried its look-behind at every character.
        if brand in folded and pattern.search(folded):
            return brand
    return None


# A brand's own bulk-mail domain: its name run together with mailing words
# (`microsoftstoreemail`, `brandnews`), never hyphenated, as lookalike registrations mostly are.
_MAILING_TAIL = re.compile(
    r"(?:store|shop|e?mail(?:er|ing|s)?|news(?:letter)?s?|updates?|offers?)+"
)


@lru_cache(maxsize=4096)
def sends_for_brand(brand: str, domain: str) -> bool:
    label = registrable_domain(domain).split(".", 1)[0]
    own = BRANDS[brand]
    return label in own or any(
        label.startswith(o) and _MAILING_TAIL.fullmatch(label[len(o) :]) for o in own if o
    )
