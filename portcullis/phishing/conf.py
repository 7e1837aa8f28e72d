"""The phishing app's settings (defined, from the environment, in portcullis/settings.py).

PORTCULLIS_REPORT_IMAP_HOST/PORT/USER/PASSWORD/SSL/FOLDER: the report mailbox (polling is off
while HOST is unset); PORTCULLIS_REPORT_ADDRESS: the address people forward to.
PORTCULLIS_SIMULATION_BASE_URL: where simulation links and the tracking pixel point (this
platform, or a separate host name proxied to it).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings


def _env(name: str, default: str = "") -> str:
    return str(getattr(settings, name, "") or default)


@dataclass(frozen=True)
class MailboxConfig:
    host: str
    port: int
    user: str
    password: str
    use_ssl: bool = True
    folder: str = "INBOX"

    @classmethod
    def from_env(cls) -> MailboxConfig | None:
        host = _env("PORTCULLIS_REPORT_IMAP_HOST")
        if not host:
            return None
        use_ssl = _env("PORTCULLIS_REPORT_IMAP_SSL", "1").lower() in {"1", "true", "yes", "on"}
        return cls(
            host=host,
            port=int(_env("PORTCULLIS_REPORT_IMAP_PORT", "993" if use_ssl else "143")),
            user=_env("PORTCULLIS_REPORT_IMAP_USER"),
            password=_env("PORTCULLIS_REPORT_IMAP_PASSWORD"),
            use_ssl=use_ssl,
            folder=_env("PORTCULLIS_REPORT_IMAP_FOLDER", "INBOX"),
        )


def report_address() -> str:
    """Where people forward suspicious e-mail, or "" if there is no report mailbox."""
    address = _env("PORTCULLIS_REPORT_ADDRESS")
    if address:
        return address
    user = _env("PORTCULLIS_REPORT_IMAP_USER")
    return user if "@" in user and MailboxConfig.from_env() else ""


def simulation_base_url() -> str:
    return _env("PORTCULLIS_SIMULATION_BASE_URL", "http://127.0.0.1:8000").rstrip("/")


def simulation_host() -> str:
    return (urlsplit(simulation_base_url()).hostname or "").lower()
