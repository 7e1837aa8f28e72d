"""The rules of DOMAIN.md §1, §2 and §9 as dated rows. Bills and proposals start switched off.

Seeded by migration 0002 and again (idempotently) by the demo loader, so that a database
flushed by a test, or restored without its data migrations, gets them back."""

from datetime import date
from decimal import Decimal
from typing import Any

PPERA = "https://legislation.gov.uk/ukpga/2000/41"
SI_2023_1235 = "https://legislation.gov.uk/uksi/2023/1235/note/made"
EC_PARTIES = "https://www.electoralcommission.org.uk/full-guidance/political-party-donations-and-loans-great-britain"
EC_UNITS = "https://www.electoralcommission.org.uk/political-party-donations-and-loans-great-britain/which-donations-and-loans-do-you-need-report/parties-accounting-units"
EC_REPORTING = "https://www.electoralcommission.org.uk/political-party-donations-and-loans-great-britain/how-report-donations-and-loans"
EC_PREPOLL = "https://www.electoralcommission.org.uk/party-spending-and-pre-poll-donations-and-loans-uk-parliamentary-general-election/pre-poll-reporting"
EC_ASSOCIATIONS = "https://www.electoralcommission.org.uk/unincorporated-associations/when-does-unincorporated-association-have-register-us"
EC_CANDIDATES = "https://www.electoralcommission.org.uk/guidance-candidates-and-agents-uk-parliamentary-elections-great-britain/candidate-donations/what-counts-a-donation"
BILL = "https://www.gov.uk/government/publications/representation-of-the-people-bill-policy-summaries/political-finance"
CRYPTO = "https://orderpaper.co.uk/research-briefing/cryptocurrency-donations-in-uk-politics"
CODE = "https://publications.parliament.uk/pa/cm5803/cmcode/1083/report.html"
START = date(2001, 2, 16)  # PPERA Part IV in force
UPRATED = date(2024, 1, 1)
BEFORE = date(2023, 12, 31)
BILL_DAY = date(2026, 2, 12)  # introduced; commencement to be set when enacted

M = Decimal
ROWS = [
    # key, amount, days, from, to, status, source, note, parameters
    ("exempt_floor", M(500), None, START, None, "law", EC_PARTIES, "", {}),
    ("central_threshold", M(7500), None, START, BEFORE, "law", PPERA, "", {}),
    ("central_threshold", M(11180), None, UPRATED, None, "law", SI_2023_1235, "", {}),
    ("further_threshold", M(1500), None, START, BEFORE, "law", PPERA, "", {}),
    ("further_threshold", M(2230), None, UPRATED, None, "law", SI_2023_1235, "", {}),
    ("unit_threshold", M(1500), None, START, BEFORE, "law", PPERA, "", {}),
    ("unit_threshold", M(2230), None, UPRATED, None, "law", EC_UNITS, "", {}),
    ("donee_threshold", M(1500), None, START, BEFORE, "law", PPERA, "", {}),
    (
        "donee_threshold",
        M(2230),
        None,
        UPRATED,
        None,
        "law",
        SI_2023_1235,
        "Derived from SI 2023/1235 (+49.09%); the Commission's page still says £1,500.",
        {},
    ),
    ("candidate_floor", M(50), None, START, None, "law", EC_CANDIDATES, "", {}),
    ("association_registration", M(25000), None, START, BEFORE, "law", PPERA, "", {}),
    ("association_registration", M(37270), None, UPRATED, None, "law", EC_ASSOCIATIONS, "", {}),
    ("decision_days", None, 30, START, None, "law", f"{PPERA}/section/56", "", {}),
    ("quarter_report_days", None, 30, START, None, "law", EC_REPORTING, "", {}),
    ("weekly_report_days", None, 7, START, None, "law", EC_PREPOLL, "", {}),
    (
        "crypto_moratorium",
        None,
        None,
        date(2026, 3, 25),
        None,
        "bill",
        CRYPTO,
        "Announced after the Rycroft Review; retrospective from 25 March 2026.",
        {},
    ),
    ("know_your_donor", M(11180), None, BILL_DAY, None, "bill", BILL, "", {}),
    (
        "company_tests",
        M(2230),
        None,
        BILL_DAY,
        None,
        "bill",
        BILL,
        "All money donations and in-kind ones over £2,230.",
        {"basis": "revenue", "look_back_years": 3, "financial_years": 2},
    ),
    (
        "shell_company_cap",
        M(500),
        None,
        BILL_DAY,
        None,
        "proposal",
        "https://www.thelondoneconomic.com/?p=403241",
        "£50 to candidates.",
        {"candidates": 50},
    ),
    ("register_support", M(1500), None, date(2015, 5, 7), None, "law", CODE, "", {}),
    ("register_gift_uk", M(300), None, date(2015, 5, 7), None, "law", CODE, "", {}),
    ("register_visit", M(300), None, date(2015, 5, 7), None, "law", CODE, "Believed £300.", {}),
    (
        "register_gift_overseas",
        M(300),
        None,
        date(2015, 5, 7),
        None,
        "law",
        CODE,
        "Believed £300.",
        {},
    ),
    (
        "register_days",
        None,
        28,
        date(2015, 5, 7),
        None,
        "law",
        CODE,
        "New members and peers: one month.",
        {},
    ),
]


def seed_rules(policy_rule: Any) -> int:
    """Add the rules that are missing (`policy_rule`: the model, or a migration's historical
    model); rows already there are left as they are. Returns how many were added."""
    added = 0
    for key, amount, days, start, end, status, source, note, parameters in ROWS:
        _, created = policy_rule.objects.get_or_create(
            key=key,
            effective_from=start,
            defaults={
                "amount": amount,
                "days": days,
                "effective_to": end,
                "legal_status": status,
                "source": source,
                "note": note,
                "parameters": parameters,
            },
        )
        added += created
    return added
