"""One canonical form for every identifier that can name someone: e-mail addresses, domains,
URLs, phone numbers and social handles. Intel, phishing and screening all compare through these
functions, so the same thing written two ways is one thing everywhere (`Amanda.Qiu@BR-YR.example`
and `amanda.qiu@br-yr.example`; `mail.br-yr.example` and `br-yr.example` as domains; a LinkedIn
profile with or without its locale sub-domain, tracking query or trailing slash;
`020 7946 0018` and `+44 20 7946 0018`).

Pure and offline: the public-suffix list is tldextract's bundled snapshot (no download, no
cache directory), phone numbers are phonenumbers' metadata. Every function returns None for
something that is not a valid identifier of its kind; none raises.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

import phonenumbers
import tldextract

MAX_VALUE = 500
DEFAULT_REGION = "GB"

# The private section of the list counts: `evil.firebaseapp.com` and `other.firebaseapp.com` are
# registered by different people, as the WHATWG URL standard's "registrable domain" says.
_PSL = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)
# RFC 2606 names: never on the public-suffix list, but they are what demo and test data use.
RESERVED_TLDS = frozenset({"example", "test"})
# Ofcom's numbers for drama (07700 900000-900999): reserved, never assigned, so phonenumbers calls
# them invalid; like RFC 2606 domains they are what examples and tests use.
_FICTIONAL_PHONE = re.compile(r"\+447700900\d{3}")

_TRAILING = ".,;:!?)]}>'\""
_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,8}[a-z0-9-]{2,63}")

# Profile sites whose first path segment is the account: reduced to https://<host>/<account>.
_PROFILE_HOSTS = {
    "x.com": "x.com",
    "twitter.com": "x.com",
    "facebook.com": "www.facebook.com",
    "instagram.com": "www.instagram.com",
    "t.me": "t.me",
    "github.com": "github.com",
}
_LINKEDIN_SECTIONS = ("in", "company", "pub", "school")
_NOT_ACCOUNTS = frozenset({"i", "intent", "share", "home", "search", "hashtag", "sharer.php"})
_TRACKING = ("utm_", "trk", "fbclid", "gclid", "mc_", "ref", "originalsubdomain")


@lru_cache(maxsize=8192)
def is_ip(host: str) -> bool:
    host = host.strip("[]")
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        # 3232235777 and 0xC0A80101 are the same IPv4 address browsers accept.
        return bool(re.fullmatch(r"(0x[0-9a-f]{8}|\d{8,10})", host, re.I))


def _ascii_host(host: str) -> str | None:
    host = host.strip().strip(_TRAILING).lower().rstrip(".")
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return None


@lru_cache(maxsize=8192)
def public_suffix(host: str) -> str:
    """`co.uk` for `a.b.example.co.uk`; "" when the host ends in no suffix on the list."""
    host = host.strip(".").lower()
    if not host or is_ip(host):
        return ""
    if host.rsplit(".", 1)[-1] in RESERVED_TLDS:
        return host.rsplit(".", 1)[-1]
    return str(_PSL(host).suffix)


@lru_cache(maxsize=8192)
def registrable_domain(host: str) -> str:
    """The domain someone registered (`a.b.example.co.uk` -> `example.co.uk`). IP addresses,
    hosts under no known suffix and bare suffixes come back as written (lower case)."""
    host = host.strip(".").lower()
    suffix = public_suffix(host)
    if not suffix or host == suffix:
        return host
    label = host[: -len(suffix) - 1].rsplit(".", 1)[-1]
    return f"{label}.{suffix}" if label else host


def canonical_host(host: str) -> str | None:
    """A host name as compared: lower case, ASCII (IDNA), no `www.`, under a known suffix."""
    ascii_host = _ascii_host(host)
    if ascii_host is None:
        return None
    if ascii_host.startswith("www."):
        ascii_host = ascii_host[4:]
    if not _HOST.fullmatch(ascii_host) or is_ip(ascii_host):
        return None
    suffix = public_suffix(ascii_host)
    if not suffix or ascii_host == suffix:
        return None
    return ascii_host


@lru_cache(maxsize=8192)
def canonical_domain(domain: str) -> str | None:
    """A domain observable is the registrable domain: `mail.br-yr.example` is `br-yr.example`.
    Kept for the last few thousand: a message's links name the same few hosts many times."""
    host = canonical_host(domain)
    return registrable_domain(host) if host else None


def canonical_email(address: str) -> str | None:
    address = address.strip().strip(_TRAILING).strip("<>").lower()
    if address.count("@") != 1 or len(address) > 254:
        return None
    local, raw_host = address.split("@")
    host = canonical_host(raw_host)
    if not local or len(local) > 64 or host is None or any(c.isspace() for c in local):
        return None
    return f"{local}@{host}"


@lru_cache(maxsize=4096)
def url_host(url: str) -> str:
    """The host of a URL as written (lower case, no trailing dot); "" when it has none. Kept
    for the last few thousand URLs: the checks of one message ask for the same ones again."""
    try:
        host = urlsplit(with_scheme(url.strip())).hostname or ""
    except ValueError:
        return ""
    return host.lower().strip(".")


def with_scheme(url: str) -> str:
    return url if re.match(r"[a-z][a-z0-9+.-]*://", url, re.IGNORECASE) else "https://" + url


def canonical_url(url: str) -> str | None:
    """One form per resource: profile URLs reduced to the account, tracking parameters dropped,
    fragments, `www.` and default trailing slashes gone."""
    url = url.strip().rstrip(_TRAILING)
    if re.match(r"[a-z][a-z0-9+.-]*://", url, re.IGNORECASE) and not re.match(
        r"https?://", url, re.IGNORECASE
    ):
        return None
    try:
        parts = urlsplit(with_scheme(url))
        host = canonical_host(parts.hostname or "")
    except ValueError:
        return None
    if host is None:
        return None
    path = unquote(parts.path)
    profile = profile_url(host, path)
    if profile:
        return profile[:MAX_VALUE]
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query) if not k.lower().startswith(_TRACKING)]
    )
    path = quote(path, safe="/:@!$&'()*+,;=-._~%") if path not in ("", "/") else ""
    return urlunsplit((parts.scheme.lower(), host, path, query, ""))[:MAX_VALUE]


def profile_url(host: str, path: str) -> str | None:
    """The stable form of a social-network profile (`https://www.linkedin.com/in/<account>`),
    or None when the URL is not a profile."""
    segments = [s for s in path.split("/") if s]
    site = registrable_domain(host)
    if site == "linkedin.com":
        if len(segments) >= 2 and segments[0].lower() in _LINKEDIN_SECTIONS:
            return f"https://www.linkedin.com/{segments[0].lower()}/{segments[1].lower()}"
        return None
    target = _PROFILE_HOSTS.get(site)
    if target and segments and segments[0].lower() not in _NOT_ACCOUNTS:
        return f"https://{target}/{segments[0].lstrip('@').lower()}"
    return None


def canonical_phone(number: str, region: str = DEFAULT_REGION) -> str | None:
    """E.164 (`+442079460018`) for a valid number, national ones read in `region`."""
    try:
        parsed = phonenumbers.parse(number[:64], region)
    except phonenumbers.NumberParseException:
        return None
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if phonenumbers.is_valid_number(parsed) or _FICTIONAL_PHONE.fullmatch(e164):
        return e164
    return None


def phones_in(text: str, region: str = DEFAULT_REGION) -> list[str]:
    """Phone numbers written in free text, canonical, in order (bounded: 1,000 tries)."""
    found = []
    matcher = phonenumbers.PhoneNumberMatcher(
        text, region, leniency=phonenumbers.Leniency.POSSIBLE, max_tries=1000
    )
    for match in matcher:
        e164 = canonical_phone(match.raw_string, region)
        if e164 and e164 not in found:
            found.append(e164)
    return found


def canonical_handle(handle: str) -> str | None:
    handle = handle.strip().lstrip("@").lower()
    if not re.fullmatch(r"[a-z0-9_.]{2,30}", handle):
        return None
    return "@" + handle


IDENTIFIER_KINDS = ("email", "domain", "url", "phone", "handle")
CANONICAL: dict[str, Callable[[str], str | None]] = {
    "email": canonical_email,
    "domain": canonical_domain,
    "url": canonical_url,
    "phone": canonical_phone,
    "handle": canonical_handle,
}


def canonical(kind: str, value: str) -> str | None:
    """The canonical form of `value` as an identifier of `kind` (one of IDENTIFIER_KINDS)."""
    value = " ".join(value.split())[:MAX_VALUE]
    return CANONICAL[kind](value) if value else None
