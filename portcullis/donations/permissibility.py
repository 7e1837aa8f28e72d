"""Is a donor permissible on the day the donation arrived? (PPERA s.54; pure: no ORM.)

Each check says in words what was found, so the donation page, the API and the ledger show the
same reasons. Screening of the donor and a company's officers is the service's job; this is the
law about the donor's category and the evidence recorded for it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date

from .models import COMPANY_LIKE, DonorType, LegalStatus, Method, RuleKey
from .rules import Rules

PERMISSIBLE = {
    DonorType.INDIVIDUAL,
    DonorType.COMPANY,
    DonorType.REGISTERED_PARTY,
    DonorType.TRADE_UNION,
    DonorType.BUILDING_SOCIETY,
    DonorType.LLP,
    DonorType.FRIENDLY_SOCIETY,
    DonorType.ASSOCIATION,
}
# Companies House numbers: eight digits, or two letters (SC, NI, OC, SO, NC ...) and six digits.
COMPANY_NUMBER = re.compile(r"^(?:\d{8}|[A-Z]{2}\d{6})$")


def in_words(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


STATUS_WORDS: dict[str, str] = {
    LegalStatus.LAW: "in law",
    LegalStatus.BILL: "in a bill before Parliament",
    LegalStatus.PROPOSAL: "proposed by the government",
}


@dataclass(frozen=True)
class Facts:
    donor_type: str
    donor_name: str
    method: str
    received_on: date
    on_register: bool = False
    register_evidence: str = ""
    company_number: str = ""
    incorporated_in_uk: bool = False
    trading_in_uk: bool = False
    company_evidence: str = ""


@dataclass(frozen=True)
class Check:
    check: str
    passed: bool
    reason: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def judge(facts: Facts, rules: Rules) -> list[Check]:
    """The checks in the order a compliance officer makes them; any failure is impermissible."""
    checks = [_identified(facts), _category(facts)]
    if facts.donor_type == DonorType.INDIVIDUAL:
        checks.append(_register(facts))
    if facts.donor_type in COMPANY_LIKE:
        checks.append(_company(facts))
    if facts.method == Method.CRYPTOASSET:
        checks.append(_crypto(facts, rules))
    return checks


def _identified(facts: Facts) -> Check:
    known = facts.donor_type != DonorType.UNIDENTIFIABLE and bool(facts.donor_name.strip())
    return Check(
        "identified",
        known,
        "The donor is identified."
        if known
        else "The donor cannot be identified (PPERA s.54(1)(b)): return it to whoever "
        "transferred it, or send it to the Electoral Commission.",
    )


def _category(facts: Facts) -> Check:
    label = DonorType(facts.donor_type).label if facts.donor_type in DonorType.values else "?"
    ok = facts.donor_type in PERMISSIBLE
    return Check(
        "category",
        ok,
        f"{label} is a permissible category (PPERA s.54(2))."
        if ok
        else f"{label} is not a permissible donor (PPERA s.54(2)).",
    )


def _register(facts: Facts) -> Check:
    day = in_words(facts.received_on)
    if facts.on_register and facts.register_evidence.strip():
        return Check(
            "register",
            True,
            f"On a UK electoral register on {day}: {facts.register_evidence.strip()}.",
        )
    if facts.on_register:
        return Check(
            "register", False, f"Record the evidence that the donor was on a register on {day}."
        )
    return Check("register", False, f"Not shown to be on a UK electoral register on {day}.")


def _company(facts: Facts) -> Check:
    number = facts.company_number.strip().upper()
    problems = []
    if not COMPANY_NUMBER.match(number):
        problems.append("give its Companies House number (8 characters, like 01234567)")
    if not facts.incorporated_in_uk:
        problems.append("it must be incorporated in the UK")
    if not facts.trading_in_uk:
        problems.append("it must carry on business in the UK")
    if not facts.company_evidence.strip():
        problems.append("record the evidence (Companies House record, accounts)")
    if problems:
        return Check("company", False, "Company: " + "; ".join(problems) + ".")
    return Check(
        "company",
        True,
        f"Company {number} is incorporated and carries on business in the UK: "
        f"{facts.company_evidence.strip()}.",
    )


def _crypto(facts: Facts, rules: Rules) -> Check:
    row = rules.row(RuleKey.CRYPTO_MORATORIUM)
    if row is None:
        return Check("crypto", True, "No cryptoasset rule is in force on that day.")
    return Check(
        "crypto",
        False,
        f"Cryptoasset donations are refused from {in_words(row.effective_from)} "
        f"({STATUS_WORDS.get(row.legal_status, '')}; source: {row.source}).",
    )
