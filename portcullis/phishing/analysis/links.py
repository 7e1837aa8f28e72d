"""Links, forms and images, read from HTML with a real parser (lxml's libxml2, never rendered)
and from text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

from lxml import etree

from portcullis.lib.observables import canonical_domain, is_ip, url_host

from . import brands, domains
from .model import AnalysisContext, Findings

_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'()\[\]{}]{2,2000}", re.I)
_HOSTISH = re.compile(r"^(?:https?://)?(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?:[/:?#].*)?$", re.I)
_TOKEN = re.compile(r"^[A-Za-z0-9_\-=%.]{20,}$")
_RECIPIENT_KEYS = frozenset(
    [
        "email",
        "e",
        "mail",
        "uid",
        "rid",
        "recipient",
        "subscriber",
        "user",
        "u",
        "token",
        "tk",
        "id",
    ]
)
_PIXEL = re.compile(r"(?:width|height)\s*:\s*[01]px", re.I)


@dataclass
class Anchor:
    href: str
    text: str = ""
    lead_in: str = ""  # the text of its paragraph just before it (`lead_in`)


@dataclass
class HtmlFacts:
    anchors: list[Anchor] = field(default_factory=list)
    images: list[tuple[str, bool]] = field(default_factory=list)  # (src, looks like a pixel)
    password_inputs: int = 0
    form_actions: list[str] = field(default_factory=list)
    refreshes: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    hidden_chars: int = 0  # text inside elements styled invisible
    hidden_sample: str = ""
    offscreen: str = ""  # a style that moves content out of sight, as written


_HIDDEN = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d])(?:px|pt|em)?\s*(?:;|$)"
    r"|opacity\s*:\s*0(?![.\d])|max-height\s*:\s*0(?![.\d])",
    re.I,
)
_NOT_WORD = re.compile(r"[\W_]+")
# Styles that put content thousands of pixels (or a thousand screen heights) away, where no
# reader sees it but a filter still reads it: `margin-top: 470500px`, `height: 10000vh`,
# `left: -9999px`. A long newsletter is a few thousand pixels tall, never tens of thousands.
_OFFSCREEN = re.compile(
    r"(?<![\w-])(?:height|min-height|margin-top|margin-left|top|left|text-indent)\s*:\s*"
    r"(?:-\d{4,}(?:\.\d+)?px|\d{5,}(?:\.\d+)?px|\d{4,}(?:\.\d+)?vh)",
    re.I,
)
# What every match of `_OFFSCREEN` holds: a colon and four digits (the colon the engine finds
# fast), then digits and a unit. Searching for these first is many times cheaper than trying
# the whole pattern at every character of a document that has no such style.
_OFFSCREEN_COLON = re.compile(r":\s*-?\d{4}")
_OFFSCREEN_TAIL = re.compile(r"\d{4,}(?:\.\d+)?(?:px|vh)", re.I)
# Letters and digits inside invisible elements above which hidden text is reported: a hidden
# "preheader" line of a newsletter stays well below; filter-evasion filler goes far above.
HIDDEN_TEXT_AT = 300
# Elements that end a paragraph of text as a reader sees it (a line, a cell, a list item).
_BLOCKS = frozenset(
    re.findall(
        r"\S+",
        "p div br hr td th tr table li ul ol h1 h2 h3 h4 h5 h6 blockquote pre center dd dt "
        "section header footer article",
    )
)
# Elements whose content no reader sees: code, and the raw text a browser keeps for frames,
# embeds and templates (in HTML5 the content of `iframe`, `noframes` and `noembed` is raw
# text, never shown: filter-evasion filler hides in it).
_UNSEEN = frozenset(["script", "style", "iframe", "noframes", "noembed", "template"])
_HIDDEN_BIT, _UNSEEN_BIT = 1, 2


class _Collector:
    """What the analyser reads of an HTML body, collected from lxml's parse events (libxml2's
    HTML5 tokenizer, in C): start and end come balanced, every element closed, implied ends
    included, so an element's depth is known exactly and a style hides what it holds."""

    def __init__(self) -> None:
        self.facts = HtmlFacts()
        self._open: Anchor | None = None
        self._stack: list[int] = []  # per open element: _HIDDEN_BIT, _UNSEEN_BIT
        self._hidden = self._unseen = 0  # how many open elements are styled invisible, unseen
        self._paragraph = 0  # where in `facts.text` the paragraph being read began

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        # Most tags have no attributes; lxml then passes an empty mapping whose `get` is the
        # slow generic one, so it is not asked.
        style = attrib.get("style", "") if attrib else ""
        flags = (_HIDDEN_BIT if style and _HIDDEN.search(style) else 0) | (
            _UNSEEN_BIT if tag in _UNSEEN else 0
        )
        self._stack.append(flags)
        if tag in _BLOCKS:
            self._paragraph = len(self.facts.text)
        self._hidden += flags & _HIDDEN_BIT
        self._unseen += flags >> 1
        if tag == "a" and attrib.get("href"):
            before = _tail(self.facts.text, self._paragraph, LEAD_IN)
            self._open = Anchor(attrib["href"].strip(), lead_in=lead_in(before))
            self.facts.anchors.append(self._open)
        elif tag == "img" and attrib.get("src"):
            self.facts.images.append((attrib["src"].strip(), _is_pixel(attrib)))
        elif tag == "form":
            self.facts.form_actions.append(attrib.get("action", "").strip())
        elif tag == "input" and attrib.get("type", "").lower() == "password":
            self.facts.password_inputs += 1
        elif tag == "meta" and attrib.get("http-equiv", "").lower() == "refresh":
            self.facts.refreshes.append(attrib.get("content", ""))

    def end(self, tag: str) -> None:
        if tag in _BLOCKS:
            self._paragraph = len(self.facts.text)
        if self._stack:
            flags = self._stack.pop()
            self._hidden -= flags & _HIDDEN_BIT
            self._unseen -= flags >> 1
        if tag == "a":
            self._open = None

    def data(self, data: str) -> None:
        if self._unseen:
            return
        if self._hidden:
            visible = _NOT_WORD.sub("", data)
            self.facts.hidden_chars += len(visible)
            if visible and len(self.facts.hidden_sample) < 80:
                self.facts.hidden_sample += " ".join(data.split())[:80] + " "
            return
        self.facts.text.append(data)
        if self._open is not None and len(self._open.text) < 300:
            self._open.text += data

    def close(self) -> HtmlFacts:
        return self.facts


def _tail(pieces: list[str], start: int, size: int) -> str:
    """The last `size` characters of `pieces[start:]` joined with spaces, joining only those."""
    taken: list[str] = []
    length = 0
    for index in range(len(pieces) - 1, start - 1, -1):
        piece = pieces[index]
        taken.append(piece)
        length += len(piece) + 1
        if length >= size:
            break
    return " ".join(reversed(taken))[-size:]


def _is_pixel(attrs: dict[str, str]) -> bool:
    sizes = [attrs.get("width", "").strip(" px"), attrs.get("height", "").strip(" px")]
    tiny = [s in ("0", "1") for s in sizes if s]
    return (bool(tiny) and all(tiny)) or bool(_PIXEL.search(attrs.get("style", "")))


def read_html(html: str, findings: Findings) -> HtmlFacts:
    if len(html) > findings.limits.max_html_bytes:
        findings.flag("limit.html", f"HTML of {len(html)} characters cut")
        html = html[: findings.limits.max_html_bytes]
    collector = _Collector()
    maybe = _OFFSCREEN_COLON.search(html) and _OFFSCREEN_TAIL.search(html)
    offscreen = _OFFSCREEN.search(html) if maybe else None
    collector.facts.offscreen = offscreen.group(0) if offscreen else ""
    # recover: read broken HTML as a browser would; no_network: never fetch a DTD or entity.
    parser = etree.HTMLParser(target=collector, recover=True, no_network=True)
    try:
        parser.feed(html)
        parser.close()
    except Exception as exc:  # libxml2 recovers from almost anything; keep what it saw
        findings.flag("parse.html", f"HTML parser stopped: {type(exc).__name__}")
    return collector.facts


def urls_in_text(text: str) -> list[str]:
    return [u.rstrip(".,;:!?") for u in _URL.findall(text)]


# Where a message asks the reader to act: the words a link is offered with, the sentence it
# stands in or follows ("Your mailbox is full. Verify your password now:") and, in HTML, the
# link's own text (the button). A lure is stated there, wherever the link sits in the message.
# Characters of text read back from a link for its sentence (a long sentence is cut).
LEAD_IN = 200
_SENTENCE_END = re.compile(r"[.!?]\s|\n\s*\n")


def lead_in(text: str) -> str:
    """The sentence a link stands in or follows ("Your mailbox is full. <link>"), of the text
    before it: past the last sentence end or blank line, not counting one right at the link."""
    body = text[-LEAD_IN:].rstrip(" \t\r\n.!?:")
    ends = [m.end() for m in _SENTENCE_END.finditer(body)]
    return body[ends[-1] :] if ends else body


def lead_ins(text: str) -> list[str]:
    """The `lead_in` of each web address in a plain text."""
    return [lead_in(text[max(0, m.start() - LEAD_IN) : m.start()]) for m in _URL.finditer(text)]


def check_url(url: str, source: str, context: AnalysisContext, findings: Findings) -> None:
    """Every check that needs only the URL itself; `source` says where it was found."""
    if not findings.add_url(url):
        return
    host = url_host(url)
    if not host:
        return
    _note_domain(host, findings)
    shown = f"{source}: {url[:120]}"
    try:
        parts = urlsplit(url if "://" in url else "http://" + url)
    except ValueError:
        return
    if is_ip(host):
        findings.flag("link.ip_host", shown)
    if domains.is_shortener(host):
        findings.flag("link.shortener", shown)
    if domains.is_free_hosting(host) and not _own_service(host, findings):
        findings.flag("link.free_hosting", shown)
    if domains.has_suspicious_tld(host):
        findings.flag("link.suspicious_tld", shown)
    if parts.username or "@" in parts.netloc:
        findings.flag("link.userinfo", shown)
    if "xn--" in host:
        findings.flag("link.idn", f"{shown} ({domains.to_unicode(host)})")
    elif not host.isascii():
        findings.flag("link.idn", f"{shown} (non-ASCII host name)")
    target = domains.lookalike_of(host, context.protected_domains)
    if target:
        findings.flag("domain.lookalike", f"{shown} imitates {target}")
    if _has_recipient_token(parts.query, parts.path):
        findings.flag("tracking.recipient_token", shown)


def _own_service(host: str, findings: Findings) -> bool:
    """A cloud service's own notice linking to its own pages (google.com sharing a
    docs.google.com file): the hosting is the sender, not a stranger's page on it. Not a sender
    that is itself on the hosting (`x.firebaseapp.com` linking to its own site)."""
    sender = findings.observables.sender.rpartition("@")[2]
    return domains.same_org(host, sender) and not domains.is_free_hosting(sender)


def _note_domain(host: str, findings: Findings) -> None:
    org = canonical_domain(host)
    if org and org not in findings.observables.domains:
        findings.observables.domains.append(org)


def _has_recipient_token(query: str, path: str) -> bool:
    for key, value in parse_qsl(query, keep_blank_values=False)[:30]:
        if "@" in unquote(value) or (key.lower() in _RECIPIENT_KEYS and _TOKEN.match(value)):
            return True
    segments = [s for s in path.split("/") if s]
    return any(
        len(s) >= 32 and _TOKEN.match(s) and _mixed(s) and not _slug(s) for s in segments[-2:]
    )


def _mixed(token: str) -> bool:
    """Random tokens mix letters and digits; long slugs of words do not."""
    return bool(re.search(r"\d", token)) and bool(re.search(r"[A-Za-z]", token))


_SLUG_PIECE = re.compile(r"[-_.]+")


def _slug(segment: str) -> bool:
    """A file name of words and numbers (`20020816_consolidation_granted.html`) names a page,
    not a reader: in a token, letters and digits mix within its pieces."""
    return all(p.isalpha() or p.isdigit() for p in _SLUG_PIECE.split(segment) if p)


def check_html(facts: HtmlFacts, source: str, context: AnalysisContext, findings: Findings) -> None:
    for anchor in facts.anchors:
        href = anchor.href
        if href.lower().startswith(("javascript:", "data:", "vbscript:")):
            findings.flag("link.script_href", f"{source}: {href[:80]}")
            continue
        if href.lower().startswith(("http://", "https://", "www.")):
            check_url(href, source, context, findings)
            _check_text_mismatch(anchor, context, findings)
    _check_images(facts, source, context, findings)
    _check_forms(facts, source, context, findings)
    for refresh in facts.refreshes:
        findings.flag("link.meta_refresh", f"{source}: {refresh[:120]}")
    if facts.offscreen:
        findings.flag("html.offscreen", f"{source}: style {facts.offscreen!r}")


def _check_text_mismatch(anchor: Anchor, context: AnalysisContext, findings: Findings) -> None:
    """Link text showing one site while the link goes to another. Not when it goes to the
    sender's own site and the text names neither a brand nor one of our domains: a shop naming
    a partner (`arnotts.ie`) links through its own pages, and nothing is hidden from a reader
    who trusts the sender (whether to trust the sender is for the sender checks)."""
    shown = anchor.text.strip()
    match = _HOSTISH.match(shown)
    if not match or " " in shown:
        return
    shown_host, real_host = match.group(1).lower(), url_host(anchor.href)
    if not real_host or domains.same_org(shown_host, real_host):
        return
    sender = findings.observables.sender.rpartition("@")[2]
    if (
        sender
        and domains.same_org(real_host, sender)
        and not brands.claimed_brand(shown_host.replace(".", " "))
        and not domains.is_protected(shown_host, context.protected_domains)
    ):
        return
    findings.flag("link.text_mismatch", f"text shows {shown_host}, link goes to {real_host}")


def _check_images(facts: HtmlFacts, source: str, context: AnalysisContext, f: Findings) -> None:
    remote = [(src, pixel) for src, pixel in facts.images if src.lower().startswith("http")]
    for src, pixel in remote:
        if pixel:
            f.flag("tracking.pixel", f"{source}: 1x1 image from {url_host(src)}")
        if domains.is_image_host(url_host(src)):
            f.flag("link.image_host", f"{source}: picture from {url_host(src)}")
        check_url(src, f"{source} image", context, f)
    if remote:
        f.flag("tracking.remote_images", f"{len(remote)} remote image(s) in {source}")


def _check_forms(facts: HtmlFacts, source: str, context: AnalysisContext, f: Findings) -> None:
    if facts.password_inputs:
        f.flag("link.credential_form", f"{source}: form asking for a password")
    for action in facts.form_actions:
        if action.lower().startswith("http"):
            f.flag("link.remote_form", f"{source}: form posts to {url_host(action)}")
            check_url(action, f"{source} form", context, f)
