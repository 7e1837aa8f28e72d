"""E-mail to people by role. Sending itself is `portcullis.lib.mail`."""

from __future__ import annotations

from portcullis.lib import mail

from .models import Role, User


def mail_security_team(*, subject: str, body: str) -> int:
    """One message to each active security officer."""
    addresses = User.objects.filter(
        is_active=True,
        person__memberships__role=Role.SECURITY_OFFICER,
        person__memberships__ended_on__isnull=True,
    ).values_list("email", flat=True)
    return mail.send(to=addresses, subject=subject, body=body)
