"""Filing a report: the party records that it sent the Commission a quarterly or weekly report
(a nil return when it has no rows), with the digest of the export it sent."""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone

from portcullis import ledger
from portcullis.accounts.models import Organisation, User

from ..models import FiledReport
from ..reporting import Line, Period, export_csv, iter_rows, quarter_lines, week_lines


class ReportError(ValueError):
    pass


def lines_for(party: Organisation, period: Period) -> list[Line]:
    if period.kind == FiledReport.Kind.QUARTER:
        return quarter_lines(party, period)
    return week_lines(party, period)


@transaction.atomic
def file_report(*, party: Organisation, period: Period, actor: User) -> FiledReport:
    today = timezone.localdate()
    if period.end >= today:
        raise ReportError(f"{period.name} has not ended yet: file it after {period.end:%d %B %Y}.")
    lines = lines_for(party, period)
    body = export_csv(iter_rows(lines, period, party, today))
    try:
        with transaction.atomic():
            filed = FiledReport.objects.create(
                party=party,
                kind=period.kind,
                period_start=period.start,
                period_end=period.end,
                due_on=period.due,
                rows=len(lines),
                total=sum((line.donation.value for line in lines), start=0),
                is_nil=not lines,
                sha256=hashlib.sha256(body.encode()).hexdigest(),
                filed_by=actor,
            )
    except IntegrityError as exc:
        raise ReportError(f"{period.name} is already filed.") from exc
    ledger.record(
        actor=actor,
        action="donation_report.file",
        target=filed,
        data={
            "period": period.name,
            "rows": len(lines),
            "nil": not lines,
            "late": today > period.due,
        },
    )
    return filed
