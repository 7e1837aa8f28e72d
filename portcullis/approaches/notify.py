"""E-mails about approach reports. They carry references and links, not the report itself: the
content stays behind sign-in, where `visible_to` applies."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from portcullis.accounts.mail import mail_security_team
from portcullis.intel.models import Match
from portcullis.lib import mail

from .models import Report


def _url(path: str) -> str:
    return getattr(settings, "PORTCULLIS_BASE_URL", "") + path


def tell_security_about_report(*, report_id: int) -> int:
    report = (
        Report.objects.filter(pk=report_id).select_related("office", "origin__campaign").first()
    )
    if report is None:
        return 0
    matches = Match.objects.filter(origin_id=report.origin_id or 0).select_related("alert")
    alerts = sorted({m.alert.reference for m in matches})
    subject = f"New approach report {report.reference}"
    if alerts:
        subject += f" – matches {', '.join(alerts)}"
    body = render_to_string(
        "approaches/email/new_report.txt",
        {"report": report, "alerts": alerts, "url": _url(report.get_absolute_url())},
    )
    return mail_security_team(subject=subject, body=body)


def tell_reporter_about_feedback(*, report_id: int) -> int:
    report = Report.objects.filter(pk=report_id).select_related("reporter").first()
    if report is None or not report.reporter.is_active:
        return 0
    body = render_to_string(
        "approaches/email/feedback.txt",
        {"report": report, "url": _url(reverse("approaches:detail", args=[report.public_id]))},
    )
    return mail.send(
        to=[report.reporter.email],
        subject=f"The security team has replied about your report {report.reference}",
        body=body,
    )
