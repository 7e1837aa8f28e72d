"""Sending e-mail. Everything goes through Django's mail API, over SMTP in production."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.mail import EmailMessage


def send(
    *,
    to: Iterable[str],
    subject: str,
    body: str,
    reply_to: str | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> int:
    """`attachments`: (file name, content, MIME type), e.g. a visitor's QR code."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return 0
    # One message per recipient: people never see who else was told.
    sent = 0
    for address in recipients:
        message = EmailMessage(
            subject=subject, body=body, to=[address], reply_to=[reply_to] if reply_to else None
        )
        for name, content, mimetype in attachments:
            message.attach(name, content, mimetype)
        sent += message.send()
    return sent
