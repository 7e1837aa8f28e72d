"""Quarterly and weekly reports to the Electoral Commission, and their export.

A quarterly report lists what the party must report for the quarter: permissible benefits the
aggregation rules make reportable in it (`aggregation.py`), and every impermissible one dealt
with in it. A weekly pre-poll report lists each donation or loan over the central threshold
received by the central party that week, decided or not. A report with no rows is a nil return.
The export has the Commission's 29 published columns in their order (DOMAIN.md §9.1) and
`parse_export` reads it back to the same rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from portcullis.accounts.models import Organisation
from portcullis.lib.csvsafe import CSVError, decode, escape_formula, read_rows, unescape_formula

from .aggregation import Benefit, Reportable, Thresholds, quarter_of, reportable
from .models import (
    Donation,
    DonorType,
    ElectionPeriod,
    FiledReport,
    Method,
    Recipient,
    RuleKey,
    source_key_of,
)
from .rules import RuleBook

COLUMNS = [
    "ECRef",
    "RegulatedEntityName",
    "RegulatedEntityType",
    "Value",
    "AcceptedDate",
    "AccountingUnitName",
    "DonorName",
    "AccountingUnitsAsCentralParty",
    "IsSponsorship",
    "DonorStatus",
    "RegulatedDoneeType",
    "CompanyRegistrationNumber",
    "Postcode",
    "DonationType",
    "NatureOfDonation",
    "PurposeOfVisit",
    "DonationAction",
    "ReceivedDate",
    "ReportedDate",
    "IsReportedPrePoll",
    "ReportingPeriodName",
    "IsBequest",
    "IsAggregation",
    "RegulatedEntityId",
    "AccountingUnitId",
    "DonorId",
    "CampaigningName",
    "RegisterName",
    "IsIrishSource",
]
CENTRAL_PARTY = "Central Party"
DATE = "%d/%m/%Y"


# --- periods ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    kind: str  # FiledReport.Kind
    start: date
    end: date
    due: date
    name: str

    @property
    def slug(self) -> str:
        return self.start.isoformat()


def quarter(year: int, number: int, book: RuleBook | None = None) -> Period:
    start = date(year, 3 * number - 2, 1)
    end = (date(year + (number == 4), (3 * number) % 12 + 1, 1)) - timedelta(days=1)
    days = (book or RuleBook.load()).on(end).days(RuleKey.QUARTER_REPORT_DAYS)
    return Period(
        FiledReport.Kind.QUARTER, start, end, end + timedelta(days=days), f"Q{number} {year}"
    )


def quarter_starting(start: date) -> Period:
    return quarter(start.year, (start.month - 1) // 3 + 1)


def weeks(election: ElectionPeriod, book: RuleBook | None = None) -> list[Period]:
    """Seven-day periods from dissolution to polling day, each due within 7 days of its end."""
    book = book or RuleBook.load()
    found, start, number = [], election.starts_on, 1
    while start <= election.polling_day:
        end = min(start + timedelta(days=6), election.polling_day)
        days = book.on(end).days(RuleKey.WEEKLY_REPORT_DAYS)
        found.append(
            Period(FiledReport.Kind.WEEK, start, end, end + timedelta(days=days), f"Week {number}")
        )
        start, number = end + timedelta(days=1), number + 1
    return found


# --- what a report holds ------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    donation: Donation
    reason: str
    aggregated: bool = False
    as_central: bool = False
    pre_poll: bool = False


def _thresholds(book: RuleBook) -> Callable[[date], Thresholds]:
    cache: dict[date, Thresholds] = {}

    def on(day: date) -> Thresholds:
        if day not in cache:
            rules = book.on(day)
            cache[day] = Thresholds(
                rules.central_threshold, rules.further_threshold, rules.unit_threshold
            )
        return cache[day]

    return on


BENEFIT_FIELDS = ("pk", "company_number", "donor_type", "donor_name", "accounting_unit")


def year_reportable(party: Organisation, year: int, book: RuleBook) -> dict[int, Reportable]:
    """Which of the party's accepted donations to itself and its units counting in `year` are
    reportable (members' and candidates' own donations are reported elsewhere). The year is read
    as tuples: only the lines of a report become models."""
    rows = (
        Donation.objects.filter(
            party=party,
            status=Donation.Status.ACCEPTED,
            decided_on__year=year,
            recipient__in=[Recipient.CENTRAL, Recipient.UNIT],
        )
        .order_by("decided_on", "id")
        .values_list(*BENEFIT_FIELDS, "recipient", "value", "decided_on")
    )
    benefits = (
        Benefit(
            pk,
            source_key_of(number, kind, name),
            name or "Unidentified donor",
            unit if recipient == Recipient.UNIT else "",
            value,
            decided_on,
        )
        for pk, number, kind, name, unit, recipient, value, decided_on in rows
    )
    return reportable(benefits, _thresholds(book))


def quarter_lines(party: Organisation, period: Period) -> list[Line]:
    found = year_reportable(party, period.start.year, RuleBook.load())
    number = quarter_of(period.start)
    ids = [pk for pk, item in found.items() if item.quarter == number]
    in_quarter = Donation.objects.filter(pk__in=ids).order_by("decided_on", "id")
    lines = [
        Line(d, found[d.pk].reason, found[d.pk].aggregated, found[d.pk].as_central)
        for d in in_quarter
    ]
    impermissible = Donation.objects.filter(
        party=party,
        status__in=[Donation.Status.RETURNED, Donation.Status.FORFEITED],
        permissible=False,
        decided_on__range=(period.start, period.end),
    ).order_by("decided_on", "id")
    lines += [
        Line(d, "Impermissible: reported on its own, whatever its value") for d in impermissible
    ]
    return lines


def week_lines(party: Organisation, period: Period) -> list[Line]:
    book = RuleBook.load()
    donations = (
        Donation.objects.filter(
            party=party,
            recipient=Recipient.CENTRAL,
            received_on__range=(period.start, period.end),
        )
        .exclude(status=Donation.Status.EXEMPT)
        .order_by("received_on", "id")
    )
    lines = []
    for d in donations:
        limit = book.on(d.received_on).central_threshold
        if d.value > limit:
            lines.append(Line(d, f"Over £{limit:,.0f} received in the week", pre_poll=True))
    return lines


def nil_streak(party: Organisation) -> int:
    """Consecutive nil quarterly returns up to the latest filed; four exempt the party from
    further returns until a reportable donation (PPERA s.62A)."""
    streak = 0
    for is_nil in FiledReport.objects.filter(
        party=party, kind=FiledReport.Kind.QUARTER
    ).values_list("is_nil", flat=True):
        if not is_nil:
            break
        streak += 1
    return streak


# --- the export ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportRow:
    """One line of the Commission's layout, every value as text."""

    ECRef: str
    RegulatedEntityName: str
    RegulatedEntityType: str
    Value: str
    AcceptedDate: str
    AccountingUnitName: str
    DonorName: str
    AccountingUnitsAsCentralParty: str
    IsSponsorship: str
    DonorStatus: str
    RegulatedDoneeType: str
    CompanyRegistrationNumber: str
    Postcode: str
    DonationType: str
    NatureOfDonation: str
    PurposeOfVisit: str
    DonationAction: str
    ReceivedDate: str
    ReportedDate: str
    IsReportedPrePoll: str
    ReportingPeriodName: str
    IsBequest: str
    IsAggregation: str
    RegulatedEntityId: str
    AccountingUnitId: str
    DonorId: str
    CampaigningName: str
    RegisterName: str
    IsIrishSource: str


assert [f.name for f in fields(ExportRow)] == COLUMNS  # noqa: S101 - the layout is the contract

ACTIONS: dict[str, str] = {
    Donation.Status.ACCEPTED: "Accepted",
    Donation.Status.RETURNED: "Returned",
    Donation.Status.FORFEITED: "Forfeited",
    Donation.Status.PENDING: "Pending",
}


def _yes(value: bool) -> str:
    return "True" if value else "False"


def _day(value: date | None) -> str:
    return value.strftime(DATE) if value else ""


def _donor_status(d: Donation) -> str:
    if d.is_impermissible and not d.permissible:
        if d.donor_type == DonorType.UNIDENTIFIABLE:
            return "unidentifiabledonor"
        return "impermissibledonor"
    return d.donor_type


def row_of(line: Line, period: Period, party: Organisation, reported_on: date | None) -> ExportRow:
    d = line.donation
    money = d.method != Method.IN_KIND
    return ExportRow(
        ECRef=d.ec_ref or d.reference,
        RegulatedEntityName=party.name,
        RegulatedEntityType="Political Party",
        Value=f"{d.value:.2f}",
        AcceptedDate=_day(d.decided_on if d.status == Donation.Status.ACCEPTED else None),
        AccountingUnitName=d.accounting_unit or CENTRAL_PARTY,
        DonorName=d.donor_name,
        AccountingUnitsAsCentralParty=_yes(line.as_central),
        IsSponsorship=_yes(d.is_sponsorship),
        DonorStatus=_donor_status(d),
        RegulatedDoneeType="",
        CompanyRegistrationNumber=d.company_number,
        # The public register holds no individual's address (PPERA s.69).
        Postcode="" if d.donor_type == DonorType.INDIVIDUAL else d.donor_postcode,
        DonationType=("Loan" if d.kind == Donation.Kind.LOAN else "Cash" if money else "Non Cash"),
        NatureOfDonation=d.get_method_display() if money else d.nature,
        PurposeOfVisit="",
        DonationAction=ACTIONS.get(d.status, ""),
        ReceivedDate=_day(d.received_on),
        ReportedDate=_day(reported_on),
        IsReportedPrePoll=_yes(line.pre_poll),
        ReportingPeriodName=period.name,
        IsBequest=_yes(d.is_bequest),
        IsAggregation=_yes(line.aggregated),
        RegulatedEntityId=str(party.public_id),
        AccountingUnitId="",
        DonorId="",
        CampaigningName="",
        RegisterName="Great Britain",
        IsIrishSource="False",
    )


def export_csv(rows: Iterable[ExportRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([escape_formula(getattr(row, name)) for name in COLUMNS])
    return out.getvalue()


def parse_export(data: bytes) -> list[ExportRow]:
    """Read an export (ours or the Commission's) back into rows; unknown columns are ignored and
    a missing one is an error naming it."""
    text = decode(data)
    required = {c.lower() for c in COLUMNS}
    rows = []
    for line, cells in read_rows(text, required=required):
        values = {c: unescape_formula(cells.get(c.lower(), "")) for c in COLUMNS}
        try:
            Decimal(values["Value"] or "0")
        except InvalidOperation as exc:
            raise CSVError(f"Line {line}: Value must be an amount, like 1500.00.") from exc
        rows.append(ExportRow(**values))
    return rows


def iter_rows(
    lines: Iterable[Line], period: Period, party: Organisation, reported_on: date | None
) -> Iterator[ExportRow]:
    for line in lines:
        yield row_of(line, period, party, reported_on)
