"""Fictional approach reports from several demo offices that form a campaign around one of the
profiles named in the demo alert (A-2025-11). Names, messages and addresses are invented; only
the alert's profile and company names are public facts."""

from __future__ import annotations

import datetime
import uuid

from portcullis.accounts.models import Membership, Office, Role, User
from portcullis.intel.models import Alert
from portcullis.lib.demo import demo_loader

from .models import Channel, Persona, Report
from .services import ReportInput, submit_report

NAMESPACE = uuid.UUID("0b6f7a9e-2f4d-4c55-9d1e-3c1f5b7a2e01")

# (office position among the demo member offices, day in Nov 2025, name as written, message)
REPORTS = [
    (
        2,
        20,
        "Amanda Qiu",
        "Hello, I am Amanda Qiu, CEO of BR-YR Executive Search in Beijing. "
        "Your insight into UK policy-making is exceptional. My client pays well for short "
        "consultancy reports on upcoming legislation – cash or crypto, as you prefer.",
    ),
    (
        3,
        21,
        "QIU Amanda",
        "Dear researcher, QIU Amanda from BR-YR Executive Search here. We would like to "
        "invite you to Shanghai, all expenses paid, to share your expertise. Could we "
        "continue on WhatsApp? Please reply this week.",
    ),
    (
        4,
        24,
        "Amanda Q.",
        "Connection request from 'Amanda Q.' (BR-YR Executive Search, CEO). "
        "Asked whether I could write a paper on the committee's private briefings for a fee.",
    ),
    (
        5,
        27,
        "Amanda Qiu",
        "Second message from Amanda Qiu after I ignored the first: a 'paid "
        "advisory role' with a think tank client, asking for non-public insights on trade policy.",
    ),
]


def _reporter(office: Office) -> User | None:
    membership = (
        Membership.objects.active()
        .filter(office=office, role=Role.STAFFER)
        .select_related("person")
        .order_by("person__full_name")
        .first()
    )
    if membership is None:
        return None
    person = membership.person
    user = User.objects.filter(person=person).first()
    if user is None:
        # A sign-in nobody can use: the demo needs reporters in several offices.
        email = f"demo.reporter.{office.pk}@parliament.example"
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email, None, person=person
        )
    return user


@demo_loader("approaches", order=61)
def load() -> str:
    if not Alert.objects.filter(reference="A-2025-11").exists():
        return "skipped: the demo alert is missing"
    offices = list(Office.objects.filter(kind=Office.Kind.MEMBER_OFFICE).order_by("pk"))
    made = 0
    for position, day, name, message in REPORTS:
        public_id = uuid.uuid5(NAMESPACE, f"{position}:{day}")
        if position >= len(offices) or Report.objects.filter(public_id=public_id).exists():
            continue
        office = offices[position]
        reporter = _reporter(office)
        if reporter is None:
            continue
        submit_report(
            public_id=public_id,
            data=ReportInput(
                channel=Channel.NETWORK,
                persona=Persona.RECRUITER,
                occurred_on=datetime.date(2025, 11, day),
                office=office,
                offers=["consultancy"] + (["travel"] if "expenses" in message else []),
                warning_signs=["flattery", "too_good", "non_public"],
                approacher_name=name,
                approacher_organisation="BR-YR Executive Search",
                approacher_contact="LinkedIn message",
                account=message,
            ),
            actor=reporter,
        )
        made += 1
    campaigns = (
        Report.objects.exclude(origin__campaign=None).values("origin__campaign").distinct().count()
    )
    return f"{made} approach reports added; {campaigns} campaign(s)"
