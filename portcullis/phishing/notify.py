"""E-mails about reported e-mails. They carry references and links, not the message: the content
stays behind sign-in, where `visible_to` applies."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django_tasks import task

from portcullis.accounts.mail import mail_security_team
from portcullis.intel.models import Match

from .models import ReportedEmail


def tell_security_about_alert_match(*, report_id: int) -> int:
    """The security team hears of every alert an e-mail matched, whoever reported it and whether
    or not the reporter may read that alert."""
    report = ReportedEmail.objects.filter(pk=report_id).select_related("origin__campaign").first()
    if report is None or report.origin is None:
        return 0
    alerts = sorted({m.alert.reference for m in Match.objects.filter(origin=report.origin)})
    if not alerts:
        return 0
    url = getattr(settings, "PORTCULLIS_BASE_URL", "") + report.origin.url
    body = render_to_string(
        "phishing/email/alert_match.txt", {"report": report, "alerts": alerts, "url": url}
    )
    return mail_security_team(subject=f"Reported e-mail matches {', '.join(alerts)}", body=body)


# Here rather than in tasks.py, which imports the services that enqueue this.
@task()
def notify_security_of_alert_match(report_id: int) -> int:
    return tell_security_about_alert_match(report_id=report_id)
