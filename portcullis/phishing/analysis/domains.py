"""Domain facts: lookalikes of protected domains, well-known host classes. What a domain *is*
(its registrable domain, its suffix) is `portcullis.lib.observables`, the one canonical form
intel and screening use too."""

from __future__ import annotations

import re
from functools import lru_cache

import icu
from rapidfuzz.distance import Levenshtein

from portcullis.lib.observables import is_ip, public_suffix, registrable_domain

_SPOOF = icu.SpoofChecker()

FREEMAIL = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "yahoo.co.uk",
        "yahoo.com.br",
        "ymail.com",
        "hotmail.com",
        "hotmail.co.uk",
        "hotmail.com.br",
        "outlook.com",
        "outlook.com.br",
        "live.com",
        "live.co.uk",
        "msn.com",
        "aol.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "proton.me",
        "protonmail.com",
        "pm.me",
        "gmx.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "mail.com",
        "mail.ru",
        "yandex.ru",
        "yandex.com",
        "zoho.com",
        "tutanota.com",
        "tuta.io",
        "qq.com",
        "163.com",
        "126.com",
        "sina.com",
        "bol.com.br",
        "uol.com.br",
        "terra.com.br",
        "ig.com.br",
        "btinternet.com",
        "sky.com",
        "virginmedia.com",
        "talktalk.net",
        "fastmail.com",
        "hushmail.com",
        "inbox.com",
        "libero.it",
        "orange.fr",
        # the same providers' national domains, and the webmail of the languages read
        "yahoo.es",
        "yahoo.fr",
        "yahoo.de",
        "yahoo.it",
        "yahoo.com.mx",
        "yahoo.com.ar",
        "rocketmail.com",
        "hotmail.fr",
        "hotmail.es",
        "hotmail.it",
        "hotmail.de",
        "hotmail.nl",
        "outlook.fr",
        "outlook.es",
        "outlook.de",
        "outlook.it",
        "live.fr",
        "live.nl",
        "live.de",
        "live.it",
        "aim.com",
        "usa.net",
        "gmx.at",
        "gmx.ch",
        "gmx.fr",
        "t-online.de",
        "freenet.de",
        "laposte.net",
        "free.fr",
        "sfr.fr",
        "wanadoo.fr",
        "virgilio.it",
        "alice.it",
        "tiscali.it",
        "sapo.pt",
        "telefonica.net",
        "terra.es",
        "ziggo.nl",
        "kpnmail.nl",
        "hetnet.nl",
        "planet.nl",
        "home.nl",
    ]
)

SHORTENERS = frozenset(
    [
        "bit.ly",
        "bitly.com",
        "tinyurl.com",
        "t.co",
        "goo.gl",
        "ow.ly",
        "is.gd",
        "buff.ly",
        "rebrand.ly",
        "cutt.ly",
        "t.ly",
        "shorturl.at",
        "rb.gy",
        "tiny.cc",
        "s.id",
        "bl.ink",
        "short.io",
        "v.gd",
        "qrco.de",
        "linktr.ee",
        "lnkd.in",
        "surl.li",
        "shre.ink",
        "u.to",
        "clck.ru",
        "encurtador.com.br",
        "abre.ai",
        "1url.com.br",
        "tinyurl.is",
        "x.gd",
        "urlz.fr",
        "shorturl.asia",
        "did.li",
        "bit.do",
    ]
)

# Form builders that send their own notifications from the domain their forms live on.
_FORM_BUILDERS = (
    "jotform.com",
    "typeform.com",
    "formstack.com",
    "wufoo.com",
    "cognitoforms.com",
    "123formbuilder.com",
    "formsite.com",
    "paperform.co",
    "tally.so",
)

# Free hosting and cloud storage where a phishing page costs nothing and inherits a good name.
FREE_HOSTING = [
    "firebaseapp.com",
    "web.app",
    "pages.dev",
    "workers.dev",
    "r2.dev",
    "github.io",
    "glitch.me",
    "netlify.app",
    "vercel.app",
    "herokuapp.com",
    "onrender.com",
    "repl.co",
    "replit.app",
    "weebly.com",
    "wixsite.com",
    "blogspot.com",
    "sites.google.com",
    "storage.googleapis.com",
    "firebasestorage.googleapis.com",
    "docs.google.com",
    "forms.gle",
    "blob.core.windows.net",
    "web.core.windows.net",
    "azurewebsites.net",
    "s3.amazonaws.com",
    "amazonaws.com",
    "ipfs.io",
    "dweb.link",
    # IPFS gateways and web3 hosting: a page pinned there has no owner to take it down
    "cloudflare-ipfs.com",
    "w3s.link",
    "nftstorage.link",
    "infura-ipfs.io",
    "mypinata.cloud",
    "fleek.co",
    "on-fleek.app",
    "4everland.link",
    "eth.limo",
    "surge.sh",
    "fly.dev",
    "jimdosite.com",
    "yolasite.com",
    "mystrikingly.com",
    "carrd.co",
    "digitaloceanspaces.com",
    "ngrok.io",
    "ngrok-free.app",
    "trycloudflare.com",
    "000webhostapp.com",
    "webflow.io",
    "framer.app",
    "notion.site",
    "typedream.app",
    "godaddysites.com",
    "square.site",
    "mailchimpsites.com",
    "sharepoint.com",
    "1drv.ms",
    "onedrive.live.com",
    "dropbox.com",
    "wetransfer.com",
    "we.tl",
    "mediafire.com",
    # Microsoft 365 trial tenants' default domain: an organisation sends from its own
    "onmicrosoft.com",
    # cloud drives beside Dropbox and OneDrive: a shared file anyone can put up
    "drive.google.com",
    "drive.usercontent.google.com",
    "box.com",
    "pcloud.link",
    "mega.nz",
    "icedrive.net",
    "sendspace.com",
    # form builders: a password form anyone can make in minutes under a trusted name (not
    # HubSpot's hsforms.com: marketing mail links its event and sign-up forms there daily)
    "forms.office.com",
    "forms.microsoft.com",
    "forms.zohopublic.com",
    "zfrmz.com",
    *_FORM_BUILDERS,
    # more IPFS gateways
    "cf-ipfs.com",
    "pinata.cloud",
    "4everland.io",
    "ipfs.eth.aragon.network",
]
_FREE_HOSTING = frozenset(FREE_HOSTING)

# Anonymous image-sharing sites: an organisation's mail shows pictures from its own site or
# mailing service; a lure's pictures are uploaded where nobody asks who is uploading.
IMAGE_HOSTS = frozenset(
    [
        "imgur.com",
        "zupimages.net",
        "iili.io",
        "ibb.co",
        "imgbb.com",
        "postimg.cc",
        "postimages.org",
        "imageshack.com",
        "imageshack.us",
        "tinypic.com",
        "photobucket.com",
        "imgbox.com",
        "prnt.sc",
        "gyazo.com",
        "freeimage.host",
        "pixhost.to",
        "lensdump.com",
        "imagevenue.com",
        "pasteboard.co",
        "imgpile.com",
        "fastpic.org",
        "servimg.com",
        "noelshack.com",
    ]
)

SUSPICIOUS_TLDS = frozenset(
    [
        "xyz",
        "top",
        "click",
        "shop",
        "icu",
        "buzz",
        "cyou",
        "sbs",
        "rest",
        "monster",
        "cfd",
        "lol",
        "quest",
        "mom",
        "bond",
        "gq",
        "tk",
        "ml",
        "cf",
        "ga",
        "zip",
        "mov",
        "country",
        "kim",
        "work",
        "live",
        "online",
        "site",
        "fun",
        "space",
        "store",
        "support",
        "cam",
        "beauty",
        "hair",
    ]
)


def has_public_suffix(host: str) -> bool:
    return bool(public_suffix(host))


def to_unicode(host: str) -> str:
    try:
        return host.encode("ascii").decode("idna") if "xn--" in host else host
    except (UnicodeError, ValueError):
        return host


def same_org(left: str, right: str) -> bool:
    return bool(left) and registrable_domain(left) == registrable_domain(right)


def is_freemail(domain: str) -> bool:
    return registrable_domain(domain) in FREEMAIL


def is_shortener(host: str) -> bool:
    return host in SHORTENERS or registrable_domain(host) in SHORTENERS


def is_free_hosting(host: str) -> bool:
    return _is_under(host, _FREE_HOSTING)


def _is_under(host: str, names: frozenset[str]) -> bool:
    """Whether `host` is one of `names` or a name under one: a set look-up for `host` and for
    each name after one of its dots, instead of comparing the end of `host` with every name."""
    if host in names:
        return True
    dot = host.find(".")
    while dot >= 0:
        if host[dot + 1 :] in names:
            return True
        dot = host.find(".", dot + 1)
    return False


# Services above that send their own notifications (sharing, forms, newsletters); mail *from*
# the rest of the list is someone's app or site posing as an organisation.
_SENDS_OWN_MAIL = frozenset(
    [
        "sharepoint.com",
        "1drv.ms",
        "onedrive.live.com",
        "dropbox.com",
        "wetransfer.com",
        "we.tl",
        "mediafire.com",
        "docs.google.com",
        "drive.google.com",
        "forms.gle",
        "sites.google.com",
        "box.com",
        "mega.nz",
        *_FORM_BUILDERS,
        "mailchimpsites.com",
        "square.site",
        "godaddysites.com",
    ]
)


def is_hosting_sender(domain: str) -> bool:
    """A From domain on an app-hosting platform (`x.firebaseapp.com`, `y.web.app`)."""
    return is_free_hosting(domain) and not _is_under(domain, _SENDS_OWN_MAIL)


# Second-level names sold as if they were country domains (`gymstrom.de.com`, `x.sa.com`):
# on the public-suffix list as private registries, they look national and cost little.
PSEUDO_SUFFIXES = frozenset(
    ["sa.com", "de.com", "us.com", "uk.com", "eu.com", "br.com", "cn.com", "ru.com", "za.com"]
    + ["gb.net", "uk.net", "jpn.com", "kr.com", "in.net", "us.org", "gr.com", "mex.com"]
)


def has_suspicious_tld(host: str) -> bool:
    return host.rsplit(".", 1)[-1] in SUSPICIOUS_TLDS or public_suffix(host) in PSEUDO_SUFFIXES


def is_image_host(host: str) -> bool:
    return registrable_domain(host) in IMAGE_HOSTS


def is_protected(host: str, protected: tuple[str, ...]) -> bool:
    host = host.lower().strip(".")
    return any(host == p or host.endswith("." + p) for p in protected)


@lru_cache(maxsize=8192)
def lookalike_of(host: str, protected: tuple[str, ...]) -> str | None:
    """The protected domain `host` imitates, if any (and None for the real thing). Kept for
    the last few thousand hosts: a message's links name the same few many times."""
    host = to_unicode(host.lower().strip("."))
    if not host or is_ip(host) or is_protected(host, protected):
        return None
    for target in protected:
        reason = _imitation(host, target)
        if reason:
            return f"{target} ({reason})"
    return None


@lru_cache(maxsize=8192)
def _imitation(host: str, target: str) -> str | None:
    org = registrable_domain(host)
    label, target_label = own_label(host), own_label(target)
    if _confusable(org, target) or (
        label and label != target_label and _confusable(label, target_label)
    ):
        return "confusable characters"
    if label and target_label and len(target_label) >= 4:
        if label != target_label and Levenshtein.distance(label, target_label) <= _edits(target):
            return "edit distance"
        if target_label in label.replace("-", "") and label != target_label:
            return "protected name with added words or hyphens"
    if f".{target}." in f".{host}.":
        return "protected name used as a subdomain"
    if label and org != target and label == target_label:
        return "same name under another suffix"
    return None


_CONSONANTS = re.compile(r"[bcdfghjklmnpqrstvwxz]{5,}")
# Where letters and digits meet (`5i`, `k8`): many of them in one label is a machine's choice.
SWITCH = re.compile(r"(?<=[a-z])\d|(?<=\d)[a-z]")


@lru_cache(maxsize=8192)
def random_looking(label: str) -> bool:
    """A domain label that no person chose: long, with a run of five consonants
    (`cqibwsnjbj`) or letters and digits alternating (`5ihk859k24cwdh6`)."""
    label = label.lower()
    if len(label) < 10 or label.startswith("xn--"):
        return False
    letters = sum(c.isalpha() for c in label)
    return bool(_CONSONANTS.search(label)) or (len(SWITCH.findall(label)) >= 4 and letters >= 4)


def _confusable(org: str, target: str) -> bool:
    if org == target:
        return False
    return bool(_SPOOF.getSkeleton(0, org) == _SPOOF.getSkeleton(0, target))


def own_label(domain: str) -> str:
    """The name a domain was registered under, without its suffix: `parliament` for
    `www.parliament.uk`. A suffix that is not on the public-suffix list (an intranet's
    `parliament.internal`, a test's `parliament.example`) is the last label, so a protected
    domain is always compared by its own name, never by what it ends in."""
    domain = domain.lower().strip(".")
    suffix = public_suffix(domain)
    if suffix and domain != suffix:
        org = registrable_domain(domain)
        return org[: -len(suffix) - 1] if org.endswith("." + suffix) else ""
    labels = domain.split(".")
    return labels[-2] if len(labels) >= 2 and not is_ip(domain) else ""


def _edits(target: str) -> int:
    return 1 if len(own_label(target)) < 8 else 2
