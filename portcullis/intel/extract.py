"""Find observables in what people report: e-mail addresses, domains, URLs, phone numbers, social
handles, and the names that might be people or organisations.

Pure: no Django. Every identifier comes back in the one canonical form of
`portcullis.lib.observables`, which phishing and screening compare with too. Input is cut to
`MAX_TEXT` characters and every pattern has bounded repetition, so the work per call is bounded
whatever is pasted in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from rigour.text import is_stopword

from portcullis.lib import observables

MAX_TEXT = 100_000
MAX_PER_KIND = 50
MAX_VALUE = observables.MAX_VALUE
MAX_NAME_CANDIDATES = 200
DEFAULT_REGION = observables.DEFAULT_REGION


class Kind(StrEnum):
    EMAIL = "email"
    DOMAIN = "domain"
    URL = "url"
    PHONE = "phone"
    HANDLE = "handle"
    PERSON = "person"
    ORGANISATION = "organisation"


IDENTIFIER_KINDS = frozenset({Kind.EMAIL, Kind.DOMAIN, Kind.URL, Kind.PHONE, Kind.HANDLE})
NAME_KINDS = frozenset({Kind.PERSON, Kind.ORGANISATION})

# Platforms and webmail: their domain says nothing about who is behind a message, and linking
# every report that mentions linkedin.com would put all of them in one campaign.
GENERIC_DOMAINS = frozenset(
    {
        "linkedin.com",
        "lnkd.in",
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "hotmail.co.uk",
        "live.com",
        "yahoo.com",
        "yahoo.co.uk",
        "icloud.com",
        "proton.me",
        "protonmail.com",
        "qq.com",
        "163.com",
        "126.com",
        "x.com",
        "twitter.com",
        "facebook.com",
        "instagram.com",
        "t.me",
        "telegram.org",
        "whatsapp.com",
        "wa.me",
        "wechat.com",
        "github.com",
        "google.com",
        "microsoft.com",
        "zoom.us",
        "teams.microsoft.com",
    }
)

_EMAIL = re.compile(r"(?<![\w.+-])[\w.%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,63}\b")
_URL = re.compile(
    r"(?:\bhttps?://|\bwww\.|\b(?:[a-z]{2,3}\.)?linkedin\.com/)[^\s<>\"'`{}|\\^\[\]]{1,2000}",
    re.IGNORECASE,
)
_DOMAIN = re.compile(
    r"(?<![\w@.-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,63}\b(?![@-])"
)
_HANDLE = re.compile(r"(?<![\w@./])@([A-Za-z0-9_]{2,30})\b(?![@.][A-Za-z])")
_WORD = re.compile(r"[^\W\d_](?:[\w'’.&-]{0,40}[^\W_])?")
_TRAILING = ".,;:!?)]}>'\""
# Lines and sentences: each is judged on its own for whether capitals mark its names.
_SEGMENT = re.compile(r"\n|(?<=[.!?])\s+")

# Words that start sentences or greetings, not names.
_STOPWORDS = """a an and at best but by dear for from good hello hi his her i i'm in is it its kind
linkedin many my no of on or our please regards sent she thank thanks the their they this to we
with yes you your re fw fwd subject monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december"""
_NOT_NAMES = frozenset(_STOPWORDS.split())


@dataclass(frozen=True, slots=True)
class Found:
    kind: Kind
    value: str  # canonical: what is stored and compared
    display: str  # as written, for people to read
    where: str = field(default="", compare=False)  # the field it was found in, if anyone says


def bounded(text: str) -> str:
    return text[:MAX_TEXT]


def is_generic_domain(domain: str) -> bool:
    return domain in GENERIC_DOMAINS or observables.registrable_domain(domain) in GENERIC_DOMAINS


def canonical_name(name: str) -> str | None:
    """Names compare regardless of case, accents, punctuation and order: `QIU Amanda` is
    `Amanda Qiu`. Fuzzier likeness (spelling, script) is the screening engine's job."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    tokens = re.findall(r"\w+", folded)
    if not tokens:
        return None
    return " ".join(sorted(tokens))[:MAX_VALUE]


CANONICAL: dict[str, Callable[[str], str | None]] = {
    **observables.CANONICAL,
    Kind.PERSON: canonical_name,
    Kind.ORGANISATION: canonical_name,
}


def identify(kind: Kind | str, value: str) -> Found | None:
    """A typed value (an alert indicator, a form field) in canonical form, or None if invalid."""
    kind = Kind(kind)
    value = " ".join(value.split())[:MAX_VALUE]
    canonical = CANONICAL[kind](value) if value else None
    return Found(kind, canonical, value) if canonical else None


def extract(text: str, *, region: str = DEFAULT_REGION) -> list[Found]:
    """Every identifier in free text, each once, in order of first appearance."""
    text = bounded(text)
    found: dict[tuple[Kind, str], Found] = {}

    def add(kind: Kind, raw: str) -> None:
        item = identify(kind, raw)
        if item is None or (kind, item.value) in found:
            return
        if sum(1 for k, _ in found if k == kind) < MAX_PER_KIND:
            found[(kind, item.value)] = item

    for match in _URL.finditer(text):
        raw = match.group().rstrip(_TRAILING)
        add(Kind.URL, raw)
        host = observables.canonical_domain(observables.url_host(raw))
        if host and not is_generic_domain(host):
            add(Kind.DOMAIN, host)
    rest = _URL.sub(" ", text)
    for match in _EMAIL.finditer(rest):
        add(Kind.EMAIL, match.group())
        domain = match.group().rsplit("@", 1)[1]
        if not is_generic_domain(domain.lower()):
            add(Kind.DOMAIN, domain)
    rest = _EMAIL.sub(" ", rest)
    for match in _DOMAIN.finditer(rest):
        bare = observables.canonical_domain(match.group())
        if bare and not is_generic_domain(bare):
            add(Kind.DOMAIN, match.group())
    for match in _HANDLE.finditer(rest):
        add(Kind.HANDLE, match.group())
    for phone in observables.phones_in(rest, region):
        add(Kind.PHONE, phone)
    return list(found.values())


def is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uac00" <= char <= "\ud7af"


def _name_like(word: str, caseless: bool) -> bool:
    if word.casefold() in _NOT_NAMES:
        return False
    if caseless:  # no capitals to go by: any word that is not a function word may be a name
        return len(word) > 1 and not is_stopword(word)
    return word[0].isupper() or is_cjk(word[0])


def _is_caseless(segment: str) -> bool:
    """True when a segment's letters are all one case (`met amanda qiu`, `FROM AMANDA QIU`), so
    capitals say nothing about where its names are."""
    cased = [c for c in segment if c.isalpha() and c.lower() != c.upper()]
    return len(cased) > 1 and (all(c.islower() for c in cased) or all(c.isupper() for c in cased))


def name_candidates(text: str) -> list[str]:
    """Spans of free text that could be a person's or an organisation's name: runs of
    capitalised words (`QIU Amanda`, `BR-YR Executive Search`) and CJK names (`邱安达`). A
    line or sentence written all in lower case or all in capitals gives its word runs
    between function words, and their two- and three-word spans (`met amanda qiu` gives
    `amanda qiu`).

    These are only *candidates* for the screening engine; nothing here decides a match.
    """
    candidates: list[str] = []
    for segment in _SEGMENT.split(bounded(text)):
        caseless = _is_caseless(segment)
        for run in _runs(segment, caseless):
            for span in _spans(run, caseless):
                if span not in candidates:
                    candidates.append(span)
                if len(candidates) >= MAX_NAME_CANDIDATES:
                    return candidates
    return candidates


def _runs(segment: str, caseless: bool) -> list[list[str]]:
    runs: list[list[str]] = [[]]
    last_end = 0
    for match in _WORD.finditer(segment):
        word, gap = match.group(), segment[last_end : match.start()]
        last_end = match.end()
        name_like = _name_like(word, caseless)
        if not name_like or (runs[-1] and gap.strip()):
            runs.append([])
        if name_like:
            runs[-1].append(word.rstrip("."))
    return runs


def _spans(run: list[str], caseless: bool = False) -> list[str]:
    if not run:
        return []
    if len(run) == 1:
        return run if any(is_cjk(c) for c in run[0]) and len(run[0]) >= 2 else []
    if caseless:  # the run may hold verbs and nouns beside the name: try its shorter spans too
        whole = [" ".join(run)] if len(run) <= 4 else []
        sizes = [size for size in (3, 2) if size < len(run)]
        return whole + [" ".join(run[i : i + n]) for n in sizes for i in range(len(run) - n + 1)]
    if len(run) <= 4:
        return [" ".join(run)]
    return [" ".join(run[i : i + size]) for size in (4, 3, 2) for i in range(len(run) - size + 1)]
