"""Value types of the analysis API: inputs (context, limits) and the result."""

from __future__ import annotations

import enum
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from .directory import Directory


class Verdict(enum.StrEnum):
    MALICIOUS = "malicious"
    SUSPICIOUS = "suspicious"
    CLEAN = "clean"


class Severity(enum.StrEnum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True)
class Indicator:
    """One reason behind a verdict; `code` is stable and safe to store or filter on."""

    code: str
    title: str
    weight: float
    evidence: str
    explanation: str = ""  # why this sign matters, for the reader (score.EXPLANATIONS)

    @property
    def severity(self) -> Severity:
        if self.weight <= 0:
            return Severity.INFO
        if self.weight < 1.5:
            return Severity.LOW
        if self.weight < 3:
            return Severity.MEDIUM
        return Severity.HIGH


@dataclass(frozen=True)
class AnalysisContext:
    """What the analyser knows about the organisation it protects; every field is optional."""

    directory: Directory = field(default_factory=Directory)
    protected_domains: tuple[str, ...] = ("parliament.uk",)
    # Simulation (mystery-shopper) mails carry a per-recipient token in their links; the first
    # group of the pattern (or the whole match) is reported as the token.
    simulation_host: str | None = None
    simulation_token_pattern: re.Pattern[str] | None = None
    # Registrable domains the organisation already deals with besides the directory's (for
    # the phishing app: senders of earlier reports the security team found harmless). None when
    # the caller knows nothing of its correspondents: then no sender is called a first contact.
    known_domains: frozenset[str] | None = None


@dataclass(frozen=True)
class Limits:
    """Hard bounds on the work one message may cause; exceeding one yields a `limit.*` indicator.

    Work is bounded, not wall-clock time: a deadline would cut a message short on a busy server
    and not on a quiet one, so the same message would get another verdict. Each bound below is
    a count of bytes, parts or items, and the same message always meets it at the same place."""

    max_bytes: int = 10 * 1024 * 1024
    max_header_bytes: int = 64 * 1024
    max_header_line_bytes: int = 8 * 1024
    max_parts: int = 250
    max_depth: int = 12
    max_decompressed_bytes: int = 16 * 1024 * 1024
    max_archive_members: int = 500
    max_html_bytes: int = 2 * 1024 * 1024
    max_urls: int = 500
    max_images: int = 8
    max_image_pixels: int = 12_000_000
    max_attachments: int = 100
    max_rtf_bytes: int = 2 * 1024 * 1024  # an Outlook body in RTF, decompressed
    max_text_chars: int = 200_000  # subject and bodies read for lure and approach language


@dataclass
class AttachmentInfo:
    filename: str
    content_type: str
    size: int
    sha256: str


@dataclass
class Observables:
    """Everything worth searching for elsewhere (other reports, alerts, block lists)."""

    sender: str = ""
    sender_name: str = ""
    reply_to: list[str] = field(default_factory=list)
    return_path: str = ""
    subject: str = ""
    urls: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    attachments: list[AttachmentInfo] = field(default_factory=list)
    qr_payloads: list[str] = field(default_factory=list)
    simulation_token: str | None = None


@dataclass
class Analysis:
    verdict: Verdict
    score: float
    indicators: list[Indicator]
    observables: Observables
    truncated: bool = False
    # The subject and the readable text of the bodies, for finding names and identifiers in
    # them (`phishing.services.reports`); not part of the stored result.
    texts: list[str] = field(default_factory=list, repr=False)

    def codes(self) -> set[str]:
        return {indicator.code for indicator in self.indicators}

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict.value,
            "score": round(self.score, 2),
            "truncated": self.truncated,
            "indicators": [{**asdict(i), "severity": i.severity.value} for i in self.indicators],
            "observables": asdict(self.observables),
        }


class Findings:
    """Accumulates indicators (by code, see score.CATALOGUE) and observables during analysis."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.evidence: dict[str, list[str]] = {}
        self.observables = Observables()
        self.truncated = False
        self.images_seen = 0
        self.html_text: list[str] = []  # visible text of HTML bodies, for the language checks
        self.hidden_text: list[str] = []  # samples of invisible HTML text
        self.link_lead_ins: list[str] = []  # lead-in and text of each HTML link (`links.lead_in`)
        self.html_images = 0  # <img> elements in HTML bodies and attachments
        self.texts: list[str] = []  # subject and readable body text, once read
        self._urls: set[str] = set()  # observables.urls as a set: a message repeats its links

    def flag(self, code: str, evidence: str) -> None:
        items = self.evidence.setdefault(code, [])
        if evidence not in items and len(items) < 5:
            items.append(evidence[:300])
        if code.startswith("limit."):
            self.truncated = True

    def add_url(self, url: str) -> bool:
        """Record a URL once; False when the URL budget is spent."""
        if url in self._urls:
            return False
        if len(self._urls) >= self.limits.max_urls:
            self.flag("limit.urls", f"more than {self.limits.max_urls} URLs")
            return False
        self._urls.add(url)
        self.observables.urls.append(url)
        return True
