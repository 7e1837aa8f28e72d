"""Demo data: the lure library, a local sending profile, three reported e-mails and a past
campaign with its timeline, all made through the real services."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from email.message import EmailMessage

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portcullis.accounts.models import Office, Role, User
from portcullis.lib.demo import demo_loader
from portcullis.training.models import Course

from .models import EmailTemplate, Event, ReportedEmail, SendingProfile, SimulationCampaign, Target
from .services import events, reports, simulations

DEMO_CAMPAIGN = "Demo: IT password expiry"


@demo_loader("phishing", order=40)
@transaction.atomic
def load() -> str:
    officer = User.objects.filter(email="security@demo.test").first()
    added = simulations.install_lure_library(actor=officer)
    profile, _ = SendingProfile.objects.get_or_create(
        name="Local test relay",
        defaults={
            "host": "127.0.0.1",
            "port": 1025,
            "use_tls": False,
            "envelope_from": "bounces@simulations.example",
        },
    )
    if officer is None or ReportedEmail.objects.exists():
        return f"{added} lures added; reports and campaign already loaded"
    for raw in _messages():
        reports.file_report(raw=raw, actor=officer, source=ReportedEmail.Source.UPLOAD)
    campaign = _past_campaign(officer, profile)
    # Its window is over: finished now, as the sending job would mark it a minute later.
    simulations.finish_ended_campaigns(now=timezone.now())
    return f"{added} lures, 3 reports, campaign with {campaign.targets.count()} targets"


def _message(sender: str, subject: str, body: str, html: str = "") -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "staff@demo.test"
    message["Subject"] = subject
    message.set_content(body)
    if html:
        message.add_alternative(html, subtype="html")
    return message.as_bytes()


def _messages() -> list[bytes]:
    domain = settings.PROTECTED_DOMAINS[0]
    lookalike = domain.replace("i", "1", 1)
    return [
        _message(
            "Samira Okonjo <samira.okonjo.office@gmail.com>",
            "Quick favour",
            "Are you at your desk? I need you to do something for me urgently. Reply here.",
        ),
        _message(
            f"IT Service Desk <servicedesk@{lookalike}>",
            "Your password expires today",
            "Your password expires today. Keep it here: http://192.0.2.7/login",
            f'<p>Your password expires today.</p><a href="http://192.0.2.7/login">'
            f"https://portal.{domain}/keep</a>"
            f'<img src="http://track.{lookalike}/p.gif?u=8f2a9c" width="1" height="1">',
        ),
        _message(
            f"Library <library@{domain}>",
            "New briefing papers this week",
            "Three new research briefings are on the intranet this week.",
        ),
    ]


def _past_campaign(officer: User, profile: SendingProfile) -> SimulationCampaign:
    rng = random.Random(5)  # noqa: S311 - demo data, not secrets
    now = timezone.now()
    start = timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=35), datetime.min.time())
    )
    offices = list(Office.objects.order_by("pk")[:4])
    campaign = simulations.create_campaign(
        actor=officer,
        name=DEMO_CAMPAIGN,
        template=EmailTemplate.objects.get(slug="it-password-expiry"),
        profile=profile,
        offices=offices,
        roles=[Role.STAFFER, Role.OFFICE_MANAGER],
        window_start=start,
        window_end=start + timedelta(days=7),
        remedial_course=Course.objects.filter(slug="phishing-account-security").first(),
    )
    simulations.record_authorisation(
        campaign=campaign,
        actor=officer,
        approver_name="Director of Security (demo)",
        approver_position="Director of Security",
        approved_on=start.date() - timedelta(days=7),
        scope="Staff of the four demo offices; credential lure; no sanctions for individuals.",
        valid_from=start.date(),
        valid_until=start.date() + timedelta(days=14),
    )
    targets = simulations.schedule_campaign(
        campaign=campaign, actor=officer, now=start - timedelta(hours=1)
    )
    for target in targets:
        _history(target, rng, now)
    return campaign


def _history(target: Target, rng: random.Random, now: datetime) -> None:
    at = target.scheduled_for
    events.record_event(target=target, kind=Event.Kind.SENT, now=at, note="demo")
    if rng.random() < 0.3:
        events.record_event(
            target=target,
            kind=Event.Kind.CLICKED,
            now=at + timedelta(seconds=3),
            counted=False,
            note="automated: scanner user agent (safelinks)",
        )
    if rng.random() < 0.6:
        events.record_event(target=target, kind=Event.Kind.OPENED, now=at + timedelta(minutes=40))
    if rng.random() < 0.25:
        events.record_event(target=target, kind=Event.Kind.CLICKED, now=at + timedelta(minutes=42))
        if rng.random() < 0.5:
            events.record_event(
                target=target, kind=Event.Kind.SUBMITTED, now=at + timedelta(minutes=43)
            )
    elif rng.random() < 0.4:
        events.record_event(
            target=target, kind=Event.Kind.REPORTED, now=at + timedelta(minutes=rng.randint(5, 200))
        )
