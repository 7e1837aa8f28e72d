"""A normalised hash that is the same for one lure sent to many people: per-recipient parts
(To, Date, Message-ID, greetings, tokens in links) are left out. Pure, no Django."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

from .analysis import Analysis

_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|wg|tr)\s*:\s*)+", re.IGNORECASE)
_TOKENISH = re.compile(r"[A-Za-z0-9_\-=]{16,}|\d{4,}")


def normalise_subject(subject: str) -> str:
    return " ".join(_PREFIX.sub("", subject).lower().split())


def url_skeleton(url: str) -> str:
    """Scheme-less host and path with token-like segments blanked; queries dropped."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    path = _TOKENISH.sub("*", parts.path.rstrip("/"))
    return f"{(parts.hostname or '').lower()}{path}"


def fingerprint(analysis: Analysis) -> str:
    obs = analysis.observables
    pieces = [
        obs.sender.lower(),
        normalise_subject(obs.subject),
        *sorted({url_skeleton(u) for u in obs.urls}),
        *sorted(a.sha256 for a in obs.attachments),
    ]
    return hashlib.sha256("\n".join(pieces).encode("utf-8", "replace")).hexdigest()
