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


def mail_party_officers(*, party_id: int, subject: str, body: str) -> int:
    """One message to each active compliance officer of the party."""
    addresses = User.objects.filter(
        is_active=True,
        person__memberships__role=Role.PARTY_COMPLIANCE_OFFICER,
        person__memberships__organisation_id=party_id,
        person__memberships__ended_on__isnull=True,
    ).values_list("email", flat=True)
    return mail.send(to=addresses, subject=subject, body=body)
