"""Sending e-mail. Everything goes through Django's mail API, over SMTP in production."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.mail import EmailMessage


def send(*, to: Iterable[str], subject: str, body: str, reply_to: str | None = None) -> int:
    recipients = sorted({address for address in to if address})
    if not recipients:
        return 0
    # One message per recipient: people never see who else was told.
    sent = 0
    for address in recipients:
        message = EmailMessage(
            subject=subject, body=body, to=[address], reply_to=[reply_to] if reply_to else None
        )
        sent += message.send()
    return sent


def mail_security_team(*, subject: str, body: str) -> int:
    from portcullis.accounts.models import Role, User

    addresses = User.objects.filter(
        is_active=True,
        person__memberships__role=Role.SECURITY_OFFICER,
        person__memberships__ended_on__isnull=True,
    ).values_list("email", flat=True)
    return send(to=addresses, subject=subject, body=body)
