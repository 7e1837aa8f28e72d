"""Telling a person's click from a machine's. Mail gateways (Safe Links, Mimecast, Proofpoint)
and chat link previews fetch every link, usually within seconds of delivery; counting those as
clicks blames people for what their mail scanner did. Pure functions, no Django."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# A fetch this soon after the message was handed over is almost always a gateway.
TOO_SOON_SECONDS = 10.0

SCANNER_AGENTS = (
    "bot",
    "crawler",
    "spider",
    "preview",
    "curl/",
    "wget/",
    "python-requests",
    "python-urllib",
    "go-http-client",
    "java/",
    "okhttp",
    "headlesschrome",
    "phantomjs",
    "slackbot",
    "facebookexternalhit",
    "whatsapp",
    "telegrambot",
    "skypeuripreview",
    "discordbot",
    "existence discovery",  # Microsoft Office link checks
    "ms-office",
    "safelinks",
    "mimecast",
    "proofpoint",
    "barracuda",
    "trendmicro",
    "forcepoint",
    "ironport",
    "symantec",
    "zscaler",
)
PREFETCH_HEADERS = {"purpose", "sec-purpose", "x-purpose", "x-moz"}


@dataclass(frozen=True)
class Request:
    method: str
    user_agent: str
    headers: Mapping[str, str]  # lower-case names
    seconds_since_sent: float | None


def automated_reason(request: Request) -> str | None:
    """Why this request looks automated, or None when it looks like a person."""
    if request.method.upper() == "HEAD":
        return "HEAD request (link checker)"
    for name in PREFETCH_HEADERS:
        value = request.headers.get(name, "").lower()
        if "prefetch" in value or "preview" in value:
            return f"prefetch request ({name}: {value[:40]})"
    agent = request.user_agent.strip().lower()
    if not agent:
        return "no user agent"
    for marker in SCANNER_AGENTS:
        if marker in agent:
            return f"scanner user agent ({marker.strip('/')})"
    if request.seconds_since_sent is not None and request.seconds_since_sent < TOO_SOON_SECONDS:
        return f"{max(request.seconds_since_sent, 0):.0f} s after delivery"
    return None
