"""Members' register of interests: record a gift, benefit, hospitality, support or visit; it is
registrable over the threshold in force on the day it was accepted, within 28 days (one month for
a new member's first registration and for peers); registering it is recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from portcullis import ledger
from portcullis.accounts.models import Person, Role, User

from ..models import Interest, RuleKey, add_months
from ..rules import rules_on

THRESHOLD: dict[str, RuleKey] = {
    Interest.Category.SUPPORT: RuleKey.SUPPORT,
    Interest.Category.GIFT_UK: RuleKey.GIFT_UK,
    Interest.Category.VISIT: RuleKey.VISIT,
    Interest.Category.GIFT_OVERSEAS: RuleKey.GIFT_OVERSEAS,
}


class InterestError(ValueError):
    pass


@dataclass
class InterestInput:
    category: str
    donor_name: str
    donor_status: str
    description: str
    value: Decimal
    received_on: date
    accepted_on: date
    house: str = Interest.House.COMMONS
    new_member: bool = False
    destination: str = ""
    foreign_state_funded: bool = False


def deadline(*, accepted_on: date, house: str, new_member: bool) -> date:
    if new_member or house == Interest.House.LORDS:
        return add_months(accepted_on, 1)
    return accepted_on + timedelta(days=rules_on(accepted_on).days(RuleKey.REGISTER_DAYS))


@transaction.atomic
def record_interest(*, member: Person, data: InterestInput, actor: User) -> Interest:
    if actor.person_id != member.pk and not actor.scope.has(Role.SECURITY_OFFICER):
        raise InterestError("You can record interests only in your own register.")
    if data.accepted_on < data.received_on:
        raise InterestError("The date accepted must be on or after the date received.")
    if data.accepted_on > timezone.localdate():
        raise InterestError("The date accepted must be today or in the past.")
    limit = rules_on(data.accepted_on).amount(THRESHOLD[data.category])
    registrable = data.value > limit
    interest = Interest.objects.create(
        member=member,
        house=data.house,
        category=data.category,
        donor_name=" ".join(data.donor_name.split())[:300],
        donor_status=data.donor_status,
        description=data.description.strip()[:1000],
        value=data.value,
        received_on=data.received_on,
        accepted_on=data.accepted_on,
        new_member=data.new_member,
        destination=data.destination.strip().upper()[:2],
        foreign_state_funded=data.foreign_state_funded,
        registrable=registrable,
        register_by=deadline(
            accepted_on=data.accepted_on, house=data.house, new_member=data.new_member
        )
        if registrable
        else None,
        recorded_by=actor,
    )
    ledger.record(
        actor=actor,
        action="interest.record",
        target=interest,
        data={"category": interest.category, "registrable": registrable},
    )
    return interest


@transaction.atomic
def mark_registered(*, interest: Interest, registered_on: date, actor: User) -> Interest:
    if interest.registered_on is not None:
        raise InterestError("This interest is already registered.")
    if registered_on < interest.accepted_on or registered_on > timezone.localdate():
        raise InterestError("The date registered must be between the date accepted and today.")
    interest.registered_on = registered_on
    interest.save(update_fields=["registered_on"])
    late = bool(interest.register_by and registered_on > interest.register_by)
    ledger.record(actor=actor, action="interest.register", target=interest, data={"late": late})
    return interest
