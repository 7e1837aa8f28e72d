"""The only writers of donations: record (judge, screen, ingest, start the clock) and decide."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from portcullis import ledger
from portcullis.accounts.models import Organisation, Role, User
from portcullis.intel import services as intel
from portcullis.intel.extract import Kind, identify
from portcullis.intel.origins import OriginRef
from portcullis.ledger.actors import Actor, user_of
from portcullis.screening import matching
from portcullis.screening import services as screening
from portcullis.screening.models import Screening, ScreeningResult

from ..models import COMPANY_LIKE, Donation, DonorType, Recipient, RuleKey
from ..permissibility import Facts, judge
from ..rules import Rules, rules_on


class DonationError(ValueError):
    """A request that breaks a rule; the message is fit to show."""


@dataclass
class DonationInput:
    party: Organisation
    recipient: str
    method: str
    value: Decimal
    received_on: date
    donor_type: str
    donor_name: str = ""
    donor_address: str = ""
    donor_postcode: str = ""
    company_number: str = ""
    on_register: bool = False
    register_evidence: str = ""
    incorporated_in_uk: bool = False
    trading_in_uk: bool = False
    company_evidence: str = ""
    officers: list[str] = field(default_factory=list)
    kind: str = Donation.Kind.DONATION
    accounting_unit: str = ""
    recipient_name: str = ""
    nature: str = ""
    is_bequest: bool = False
    is_sponsorship: bool = False


def _floor(rules: Rules, recipient: str) -> Decimal:
    if recipient == Recipient.CANDIDATE and rules.applies(RuleKey.CANDIDATE_FLOOR):
        return rules.amount(RuleKey.CANDIDATE_FLOOR)
    return rules.exempt_floor


def _check_input(data: DonationInput, actor: User) -> None:
    if not actor.scope.has(Role.SECURITY_OFFICER) and data.party.pk not in actor.scope.party_ids:
        raise DonationError("You can record donations only for your own party.")
    if data.value <= 0:
        raise DonationError("The value must be more than £0.")
    if data.received_on > timezone.localdate():
        raise DonationError("The date received must be today or in the past.")
    if data.recipient == Recipient.UNIT and not data.accounting_unit.strip():
        raise DonationError("Name the accounting unit that received it.")


@transaction.atomic
def record_donation(*, data: DonationInput, actor: User) -> Donation:
    """Record a donation or loan and judge it by the rules in force on the day it arrived. £500
    or less is recorded as exempt (never aggregated); anything more is checked for
    permissibility, its donor and a company's officers are screened and passed through intel's
    door, and the 30-day clock starts."""
    _check_input(data, actor)
    rules = rules_on(data.received_on)
    exempt = data.value <= _floor(rules, data.recipient)
    donation = Donation.objects.create(
        party=data.party,
        kind=data.kind,
        recipient=data.recipient,
        accounting_unit=data.accounting_unit.strip() if data.recipient == Recipient.UNIT else "",
        recipient_name=data.recipient_name.strip(),
        method=data.method,
        nature=data.nature.strip(),
        value=data.value,
        received_on=data.received_on,
        is_bequest=data.is_bequest,
        is_sponsorship=data.is_sponsorship,
        donor_type=data.donor_type,
        donor_name=" ".join(data.donor_name.split()),
        donor_address=data.donor_address.strip(),
        donor_postcode=data.donor_postcode.strip().upper(),
        company_number=data.company_number.strip().upper(),
        on_register=data.on_register,
        register_evidence=data.register_evidence.strip(),
        incorporated_in_uk=data.incorporated_in_uk,
        trading_in_uk=data.trading_in_uk,
        company_evidence=data.company_evidence.strip(),
        officers=[" ".join(o.split()) for o in data.officers if o.strip()][:50],
        status=Donation.Status.EXEMPT if exempt else Donation.Status.PENDING,
        recorded_by=actor,
    )
    if not exempt:
        _judge(donation, rules, actor)
    ledger.record(
        actor=actor,
        action="donation.record",
        target=donation,
        data={
            "value": str(donation.value),
            "received_on": donation.received_on.isoformat(),
            "status": donation.status,
            "permissible": donation.permissible,
            "held": len(donation.hold_reasons),
        },
    )
    return donation


def _judge(donation: Donation, rules: Rules, actor: User) -> None:
    checks = judge(_facts(donation), rules)
    donation.checks = [c.as_dict() for c in checks]
    donation.permissible = all(c.passed for c in checks)
    donation.decision_due_on = donation.received_on + timedelta(
        days=rules.days(RuleKey.DECISION_DAYS)
    )
    reasons = [c.reason for c in checks if not c.passed]
    reasons += _bill_duties(donation, rules)
    reasons += _screen(donation, actor)
    reasons += _ingest(donation, actor)
    donation.hold_reasons = reasons
    donation.save(
        update_fields=["checks", "permissible", "decision_due_on", "hold_reasons", "origin"]
    )


def _facts(donation: Donation) -> Facts:
    return Facts(
        donor_type=donation.donor_type,
        donor_name=donation.donor_name,
        method=donation.method,
        received_on=donation.received_on,
        on_register=donation.on_register,
        register_evidence=donation.register_evidence,
        company_number=donation.company_number,
        incorporated_in_uk=donation.incorporated_in_uk,
        trading_in_uk=donation.trading_in_uk,
        company_evidence=donation.company_evidence,
    )


def _bill_duties(donation: Donation, rules: Rules) -> list[str]:
    """Duties of rules an administrator switched on before they became law."""
    duties = []
    kyd = rules.row(RuleKey.KNOW_YOUR_DONOR)
    if kyd is not None and kyd.amount is not None and donation.value > kyd.amount:
        duties.append(
            f"Know your donor: over £{kyd.amount:,.0f}, record a risk assessment of whether "
            "the money is really the donor's before accepting it."
        )
    tests = rules.row(RuleKey.COMPANY_TESTS)
    if tests is not None and donation.donor_type in COMPANY_LIKE:
        duties.append(
            "Company tests: record that its revenue (over the look-back) covers the gift, its "
            "headquarters are in the UK and UK electors or citizens own or control most of it."
        )
    return duties


def _screen(donation: Donation, actor: User) -> list[str]:
    """Screen the donor and, for a company, its officers and beneficial owners."""
    names: list[tuple[str, matching.EntityType, str]] = []
    if donation.donor_name and donation.donor_type != DonorType.UNIDENTIFIABLE:
        kind = (
            matching.EntityType.PERSON
            if donation.donor_type == DonorType.INDIVIDUAL
            else matching.EntityType.ORGANISATION
        )
        names.append((donation.donor_name, kind, "The donor"))
    names += [(o, matching.EntityType.PERSON, f"Officer {o}") for o in donation.officers]
    reasons = []
    for name, kind, who in names:
        run = screening.screen_subject(
            subject=matching.Subject(name=name, entity_type=kind),
            actor=actor,
            purpose=f"donation {donation.reference}",
            party=donation.party,
        )
        donation.screenings.add(run)
        for hit in run.open_hits().select_related("source"):
            reasons.append(
                f"{who} matches {hit.caption} on {hit.source.name} (score {hit.score:.2f}): "
                "decide the match on the screening before accepting."
            )
    return reasons


def origin_of(donation: Donation) -> OriginRef:
    return OriginRef(
        app="donations",
        kind="donation",
        key=str(donation.pk),
        label=f"Donation {donation.reference}",
        category="Donation",
        url=donation.get_absolute_url(),
    )


def _ingest(donation: Donation, actor: User) -> list[str]:
    people = [donation.donor_name] if donation.donor_type == DonorType.INDIVIDUAL else []
    people += donation.officers
    organisations = [donation.donor_name] if donation.donor_type != DonorType.INDIVIDUAL else []
    found = [f for f in (identify(Kind.PERSON, p) for p in people if p) if f]
    found += [f for f in (identify(Kind.ORGANISATION, o) for o in organisations if o) if f]
    ingested = intel.ingest(
        origin=origin_of(donation),
        found=found,
        names=people,
        organisations=[o for o in organisations if o],
        actor=actor,
    )
    donation.origin = ingested.origin
    return [
        f"Named in security alert {m.alert.reference} ({m.alert.title}): {m.alert.guidance}"
        for m in ingested.matches_visible_to(actor)
    ]


# --- the decision -------------------------------------------------------------------------------


def unresolved_hits(donation: Donation) -> list[ScreeningResult]:
    status = ScreeningResult.Status
    return list(
        ScreeningResult.objects.filter(
            screening__in=Screening.objects.filter(pk__in=donation.screenings.values("pk")),
            is_match=True,
            status__in=[status.NEW, status.REVIEW_AGAIN, status.CONFIRMED],
        ).select_related("source")
    )


@transaction.atomic
def decide_donation(
    *,
    donation: Donation,
    actor: Actor,
    decision: str,
    decided_on: date,
    evidence: str,
    return_method: str = "",
) -> Donation:
    """Accept, return or forfeit a pending donation, with the evidence for the decision."""
    donation = Donation.objects.select_for_update().get(pk=donation.pk)
    if not donation.is_pending:
        raise DonationError(f"This donation is already {donation.get_status_display().lower()}.")
    if decision not in (
        Donation.Status.ACCEPTED,
        Donation.Status.RETURNED,
        Donation.Status.FORFEITED,
    ):
        raise DonationError("Choose accept, return or send to the Electoral Commission.")
    evidence = evidence.strip()
    if not evidence:
        raise DonationError("Enter the evidence for the decision.")
    if decided_on < donation.received_on or decided_on > timezone.localdate():
        raise DonationError("The decision date must be between the day received and today.")
    if decision == Donation.Status.ACCEPTED:
        _may_accept(donation)
    elif not return_method.strip():
        raise DonationError("Say how it was returned or sent (for example: bank transfer).")
    late = bool(donation.decision_due_on and decided_on > donation.decision_due_on)
    if decision != Donation.Status.ACCEPTED:
        _confirmed_matches_fail(donation)
    donation.status = decision
    donation.decided_on, donation.decision_evidence = decided_on, evidence[:4000]
    donation.return_method = return_method.strip()[:300]
    donation.decided_by = user_of(actor)
    donation.save(
        update_fields=[
            "status",
            "decided_on",
            "decision_evidence",
            "return_method",
            "decided_by",
            "checks",
            "permissible",
        ]
    )
    ledger.record(
        actor=actor,
        action="donation.decide",
        target=donation,
        data={"decision": decision, "decided_on": decided_on.isoformat(), "late": late},
    )
    return donation


def _confirmed_matches_fail(donation: Donation) -> None:
    """A donation returned because its donor or an officer is a decided true match on a list is
    treated as impermissible (the donor cannot be shown to be the true source), so it is reported
    on its own like every impermissible donation."""
    confirmed = [
        hit for hit in unresolved_hits(donation) if hit.status == ScreeningResult.Status.CONFIRMED
    ]
    if not confirmed:
        return
    donation.checks = [
        *donation.checks,
        *(
            {
                "check": "screening",
                "passed": False,
                "reason": f"{hit.caption} on {hit.source.name} is decided as a true match.",
            }
            for hit in confirmed
        ),
    ]
    donation.permissible = False


def _may_accept(donation: Donation) -> None:
    if not donation.permissible:
        failed = [str(c["reason"]) for c in donation.checks if not c["passed"]]
        raise DonationError(
            "This donation is not permissible and must be returned: " + " ".join(failed)
        )
    for hit in unresolved_hits(donation):
        if hit.status == ScreeningResult.Status.CONFIRMED:
            raise DonationError(
                f"{hit.caption} on {hit.source.name} is decided as a true match: return it."
            )
        raise DonationError(
            f"Decide the screening match with {hit.caption} on {hit.source.name} first."
        )
