"""Builders for the donations tests: a donation as a compliance officer records it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from portcullis.accounts.models import Organisation, User
from portcullis.donations.models import Donation, DonorType, Method, PolicyRule, Recipient
from portcullis.donations.seed_rules import seed_rules
from portcullis.donations.services.donations import (
    DonationInput,
    decide_donation,
    record_donation,
)


def individual(name: str = "Margaret Ellison", **extra: Any) -> dict[str, Any]:
    return {
        "donor_type": DonorType.INDIVIDUAL,
        "donor_name": name,
        "donor_address": "1 High Street, Leeds",
        "donor_postcode": "LS1 1AA",
        "on_register": True,
        "register_evidence": "Leeds register 2026, elector number PD1-234",
    } | extra


def company(
    name: str = "Northbridge Logistics Ltd", number: str = "01234567", **extra: Any
) -> dict[str, Any]:
    return {
        "donor_type": DonorType.COMPANY,
        "donor_name": name,
        "company_number": number,
        "donor_postcode": "M1 2AB",
        "incorporated_in_uk": True,
        "trading_in_uk": True,
        "company_evidence": "Companies House: active, accounts filed 2025",
    } | extra


def give(
    party: Organisation,
    actor: User,
    value: str | int,
    received_on: date,
    donor: dict[str, Any] | None = None,
    **extra: Any,
) -> Donation:
    fields = (
        {
            "party": party,
            "recipient": Recipient.CENTRAL,
            "method": Method.BANK_TRANSFER,
            "value": Decimal(str(value)),
            "received_on": received_on,
        }
        | (donor or individual())
        | extra
    )
    # A transactional test earlier in the run may have flushed the migration's rules.
    if not PolicyRule.objects.exists():
        seed_rules(PolicyRule)
    return record_donation(data=DonationInput(**fields), actor=actor)


def accept(donation: Donation, actor: User, on: date | None = None) -> Donation:
    return decide_donation(
        donation=donation,
        actor=actor,
        decision=Donation.Status.ACCEPTED,
        decided_on=on or donation.received_on,
        evidence="Register and Companies House checked",
    )
