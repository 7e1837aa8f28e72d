"""Alert e-mails: one message per recipient (nobody sees who else was told), and only to people
who may read the alert under its TLP at the moment of sending."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from portcullis.accounts.models import User
from portcullis.lib import mail

from .models import Alert
from .tlp import MEANING, Tlp


def send_alert_to(*, alert_id: int, person_ids: list[int]) -> int:
    alert = Alert.objects.filter(pk=alert_id, status=Alert.Status.PUBLISHED).first()
    if alert is None:
        return 0
    sent = 0
    for user in User.objects.filter(person_id__in=person_ids, is_active=True):
        if not Alert.objects.visible_to(user).filter(pk=alert.pk).exists():
            continue
        body = render_to_string(
            "intel/email/alert.txt",
            {
                "alert": alert,
                "tlp_meaning": MEANING[Tlp(alert.tlp)],
                "base_url": getattr(settings, "PORTCULLIS_BASE_URL", ""),
            },
        )
        sent += mail.send(
            to=[user.email], subject=f"[{alert.get_tlp_display()}] {alert.title}", body=body
        )
    return sent
