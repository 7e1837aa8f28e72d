"""Demo data: a year of the Progressive Union's donations made through the real services (a
company's gifts crossing the reporting threshold in Q3, an accounting unit's donor, an exempt
gift, an impermissible donation returned within 30 days, a cryptoasset donation refused under
the moratorium, a company whose director is on a sanctions list held on the clock), a candidate
referral answered with a briefing and another waiting, and the demo member's register."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from portcullis.accounts.models import Organisation, User
from portcullis.lib.demo import demo_loader

from .models import (
    Donation,
    DonorType,
    ElectionPeriod,
    Interest,
    Method,
    PolicyRule,
    Recipient,
    RuleKey,
)
from .seed_rules import seed_rules
from .services.donations import DonationInput, decide_donation, record_donation
from .services.interests import InterestInput, mark_registered, record_interest
from .services.policy import switch_rule
from .services.referrals import ReferralInput, brief_party, refer, screen_referral

YEAR = 2026
HARBOURSIDE = {
    "donor_type": DonorType.COMPANY,
    "donor_name": "Harbourside Developments Ltd",
    "company_number": "09876543",
    "donor_postcode": "HU1 3AB",
    "incorporated_in_uk": True,
    "trading_in_uk": True,
    "company_evidence": "Companies House: active, accounts to March 2026 filed",
    "officers": ["Julian Marsh", "Rebecca Tolland"],
}
# A director on the UK consolidated list (OFSI, 2018 file in the shared data); the internal demo
# watchlist's person when the sanctions files are not loaded.
SANCTIONED_DIRECTOR = "Yuriy Valentinovich Kovalchuk"


def _individual(name: str, *, registered: bool = True) -> dict[str, Any]:
    return {
        "donor_type": DonorType.INDIVIDUAL,
        "donor_name": name,
        "donor_address": "14 Mill Lane, Fenmoor",
        "donor_postcode": "FN2 4QT",
        "on_register": registered,
        "register_evidence": "Fenmoor register 2026, elector number FM3-1182" if registered else "",
    }


@demo_loader("donations", order=60)
def load() -> str:
    officer = User.objects.filter(email="party@demo.test").first()
    security = User.objects.filter(email="security@demo.test").first()
    admin = User.objects.filter(email="admin@demo.test").first()
    member = User.objects.filter(email="member@demo.test").first()
    if officer is None or security is None or admin is None or member is None:
        return "no demo sign-ins: skipped"
    party = Organisation.objects.get(pk=min(officer.scope.party_ids))
    if Donation.objects.filter(party=party).exists():
        return "already loaded"
    _rules(admin)
    count = _donations(party, officer)
    _referrals(party, officer, security)
    _interests(member)
    return f"{count} donations, 2 referrals, 2 register entries"


def _rules(admin: User) -> None:
    seed_rules(PolicyRule)  # the migration's rows, if a flushed database lost them
    moratorium = PolicyRule.objects.get(key=RuleKey.CRYPTO_MORATORIUM)
    switch_rule(
        rule=moratorium,
        on=True,
        reason="Government announced a moratorium from 25 March 2026 (Rycroft Review)",
        actor=admin,
    )
    ElectionPeriod.objects.get_or_create(
        name="General election 2024",
        defaults={"starts_on": date(2024, 5, 30), "polling_day": date(2024, 7, 4)},
    )


def _give(
    party: Organisation, officer: User, value: str, day: date, donor: dict[str, Any], **extra: Any
) -> Donation:
    data: dict[str, Any] = (
        {
            "party": party,
            "recipient": Recipient.CENTRAL,
            "method": Method.BANK_TRANSFER,
            "value": Decimal(value),
            "received_on": day,
        }
        | donor
        | extra
    )
    return record_donation(data=DonationInput(**data), actor=officer)


def _decide(
    donation: Donation, officer: User, decision: str, days: int, evidence: str, how: str = ""
) -> None:
    decide_donation(
        donation=donation,
        actor=officer,
        decision=decision,
        decided_on=donation.received_on + timedelta(days=days),
        evidence=evidence,
        return_method=how,
    )


def _donations(party: Organisation, officer: User) -> int:
    accepted = Donation.Status.ACCEPTED
    checked = "Companies House record and shareholder authority seen"
    made = []
    for value, day in (
        ("4000", date(YEAR, 2, 10)),
        ("4500", date(YEAR, 5, 12)),
        ("3000", date(YEAR, 8, 4)),
    ):
        gift = _give(party, officer, value, day, HARBOURSIDE)
        _decide(gift, officer, accepted, 6, checked)
        made.append(gift)
    unit = {"recipient": Recipient.UNIT, "accounting_unit": "Northbridge and Fenmoor"}
    for value, day in (("600", date(YEAR, 3, 2)), ("1800", date(YEAR, 9, 15))):
        gift = _give(party, officer, value, day, _individual("Margaret Ellison"), **unit)
        _decide(gift, officer, accepted, 3, "On the Fenmoor register on the day")
        made.append(gift)
    made.append(_give(party, officer, "250", date(YEAR, 4, 1), _individual("Tom Aldridge")))
    unregistered = _give(
        party,
        officer,
        "3500",
        date(YEAR, 6, 2),
        _individual("Daniel Okafor-Reyes", registered=False),
    )
    _decide(
        unregistered,
        officer,
        Donation.Status.RETURNED,
        18,
        "Not on any UK electoral register (checked Fenmoor, Northbridge, overseas)",
        "Bank transfer to the paying account",
    )
    crypto = _give(
        party,
        officer,
        "8000",
        date(YEAR, 4, 14),
        _individual("Felix Brandt"),
        method=Method.CRYPTOASSET,
    )
    _decide(
        crypto,
        officer,
        Donation.Status.RETURNED,
        8,
        "Cryptoasset donations refused under the moratorium from 25 March 2026",
        "Returned to the sending wallet",
    )
    today = timezone.localdate()
    made += [unregistered, crypto]
    held = _give(
        party,
        officer,
        "25000",
        today - timedelta(days=9),
        {
            "donor_type": DonorType.COMPANY,
            "donor_name": "Neva Bridge Holdings Ltd",
            "company_number": "11223344",
            "donor_postcode": "EC2A 4NE",
            "incorporated_in_uk": True,
            "trading_in_uk": True,
            "company_evidence": "Companies House: incorporated 2019, accounts filed",
            "officers": [SANCTIONED_DIRECTOR, "Alison Reade"],
        },
    )
    pending = _give(
        party, officer, "1500", today - timedelta(days=4), _individual("Priya Natarajan")
    )
    return len([*made, held, pending])


def _referrals(party: Organisation, officer: User, security: User) -> None:
    candidate = refer(
        data=ReferralInput(
            party=party,
            subject="candidate",
            name="Oleg Vantorin",
            birth_date="1975",
            country="RU",
            organisation="Meridian Policy Exchange Ltd",
            what_party_knows="Applied to stand in Fenmoor East; offered to fund the campaign.",
        ),
        actor=officer,
    )
    screen_referral(referral=candidate, actor=security)
    brief_party(
        referral=candidate,
        actor=security,
        recommendation="do_not_proceed",
        briefing="We advise the party not to proceed with this candidate and not to accept funding "
        "he offers. Speak to the security team before any further contact.",
        basis="Internal watchlist: posed as a think-tank researcher and approached two offices; "
        "linked to Meridian Policy Exchange Ltd, a front offering paid trips.",
    )
    refer(
        data=ReferralInput(
            party=party,
            subject="staffer",
            name="Hannah Keel",
            what_party_knows="Prospective caseworker for the Northbridge office.",
        ),
        actor=officer,
    )


def _interests(member: User) -> None:
    person = member.person
    if person is None:
        return
    today = timezone.localdate()
    dinner = record_interest(
        member=person,
        data=InterestInput(
            category=Interest.Category.GIFT_UK,
            donor_name="Northbridge Chamber of Commerce",
            donor_status=DonorType.ASSOCIATION,
            description="Dinner and two tickets to the annual business awards",
            value=Decimal("420"),
            received_on=date(YEAR, 9, 18),
            accepted_on=date(YEAR, 9, 18),
        ),
        actor=member,
    )
    mark_registered(interest=dinner, registered_on=date(YEAR, 10, 2), actor=member)
    record_interest(
        member=person,
        data=InterestInput(
            category=Interest.Category.VISIT,
            donor_name="Embassy of a foreign state",
            donor_status=DonorType.OTHER,
            description="Flights and four nights' hotel for a parliamentary study visit",
            value=Decimal("2800"),
            received_on=today - timedelta(days=20),
            accepted_on=today - timedelta(days=20),
            destination="CN",
            foreign_state_funded=True,
        ),
        actor=member,
    )
