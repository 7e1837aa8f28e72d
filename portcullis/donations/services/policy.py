"""Switching a bill's or a proposal's rule on or off: an administrator's decision, in the ledger."""

from __future__ import annotations

from django.db import transaction

from portcullis import ledger
from portcullis.accounts.models import User

from ..models import LegalStatus, PolicyRule


class PolicyError(ValueError):
    pass


@transaction.atomic
def switch_rule(*, rule: PolicyRule, on: bool, reason: str, actor: User) -> PolicyRule:
    """Rules in law always apply; a bill's or a proposal's applies only once switched on."""
    if rule.legal_status == LegalStatus.LAW:
        raise PolicyError("A rule in law always applies; it cannot be switched off.")
    reason = reason.strip()
    if not reason:
        raise PolicyError("Enter the reason for switching the rule.")
    if rule.switched_on == on:
        return rule
    rule.switched_on = on
    rule.save(update_fields=["switched_on"])
    ledger.record(
        actor=actor,
        action="donation_rule.switch",
        target=rule,
        data={"rule": rule.key, "on": on, "status": rule.legal_status, "reason": reason[:500]},
    )
    return rule
