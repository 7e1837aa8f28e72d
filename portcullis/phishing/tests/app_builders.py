"""Builders for the phishing app's tests (reports, mailbox, simulations)."""

from __future__ import annotations

from datetime import date, datetime, time
from email import message_from_bytes, policy
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from portcullis.accounts.models import Membership, Office, Role, User
from portcullis.phishing.models import EmailTemplate, SendingProfile, SimulationCampaign
from portcullis.phishing.services import simulations
from portcullis.test import make_person
from portcullis.training.models import Course

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2025, 3, 3)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def message(
    *,
    sender: str,
    subject: str,
    text: str,
    html: str = "",
    to: str = "someone@parliament.example",
    message_id: str = "",
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    if message_id:
        msg["Message-ID"] = message_id
    msg.set_content(text)
    if html:
        msg.add_alternative(html, subtype="html")
    return msg.as_bytes()


def impersonation(to: str = "staffer@test.example", greeting: str = "Hi") -> bytes:
    """Jane Smith (in the directory as jane.smith@parliament.example) from a gmail address."""
    return message(
        sender='"Jane Smith" <jane.smith.private.office@gmail.com>',
        subject="Quick favour",
        text=f"{greeting}, are you at your desk? I need you to handle something discreetly.",
        to=to,
    )


def credential_lure(to: str, token: str) -> bytes:
    """The same lure to many people: only the recipient and a per-recipient token differ."""
    link = f"http://login.parliarnent.example/verify/{token}"
    return message(
        sender="IT Service Desk <servicedesk@parliarnent.example>",
        subject="Your password expires today",
        text=f"Dear {to}, your password expires today. Keep it: {link}",
        html=f'<p>Your password expires today.</p><a href="{link}">https://portal.parliament.example/</a>',
        to=to,
    )


def forward_as_attachment(
    original: bytes, *, reporter: str, subject: str = "Fwd: suspicious"
) -> bytes:
    outer = EmailMessage()
    outer["From"] = reporter
    outer["To"] = "report-phishing@parliament.example"
    outer["Subject"] = subject
    outer["Message-ID"] = f"<fwd-{abs(hash((original, reporter)))}@test.example>"
    outer.set_content("This looks like phishing.")
    outer.add_attachment(message_from_bytes(original, policy=policy.default))
    return outer.as_bytes()


def jane_in_directory() -> None:
    make_person("Jane Smith", "jane.smith@parliament.example")


def remedial_course() -> Course:
    return Course.objects.get_or_create(
        slug="phishing-account-security",
        defaults={"title": "Phishing and account security", "summary": "Spotting phishing."},
    )[0]


def sending_profile(port: int = 25) -> SendingProfile:
    return SendingProfile.objects.create(
        name=f"Test relay {port}",
        host="127.0.0.1",
        port=port,
        use_tls=False,
        envelope_from="bounces@simulations.example",
    )


def draft_campaign(
    actor: User,
    offices: list[Office],
    *,
    roles: tuple[str, ...] = (Role.STAFFER,),
    profile: SendingProfile | None = None,
    template: str = "it-password-expiry",
    authorised: bool = True,
) -> SimulationCampaign:
    simulations.install_lure_library(actor=actor)
    campaign = simulations.create_campaign(
        actor=actor,
        name="Spring test",
        template=EmailTemplate.objects.get(slug=template),
        profile=profile or sending_profile(),
        offices=offices,
        roles=list(roles),
        window_start=at(MONDAY, 9),
        window_end=at(date(2025, 3, 7), 17),
        remedial_course=remedial_course(),
    )
    if authorised:
        simulations.record_authorisation(
            campaign=campaign,
            actor=actor,
            approver_name="Dana Whitfield",
            approver_position="Director of Security",
            approved_on=date(2025, 2, 20),
            scope="Staff of the chosen offices; credential lure.",
            valid_from=date(2025, 3, 1),
            valid_until=date(2025, 3, 31),
        )
    return campaign


def add_staff(office: Office, count: int, prefix: str) -> None:
    for n in range(count):
        person = make_person(f"{prefix} Person{n}", f"{prefix.lower()}{n}@test.example")
        Membership.objects.create(
            person=person, organisation=office.organisation, office=office, role=Role.STAFFER
        )
