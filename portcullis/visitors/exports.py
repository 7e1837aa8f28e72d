"""The visit log for audit, as CSV whose cells cannot run as spreadsheet formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime

from django.utils import timezone

from portcullis.lib.csvsafe import escape_formula

from .models import VisitQuerySet

COLUMNS = [
    "reference",
    "visitor",
    "organisation",
    "host",
    "office",
    "area",
    "kind",
    "expected from",
    "expected until",
    "status",
    "checked in",
    "checked out",
    "escort",
    "pass",
    "photo ID",
    "refused because",
    "anonymised",
]


def _at(moment: datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def _line(values: list[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([escape_formula(v) for v in values])
    return buffer.getvalue()


def visit_log(visits: VisitQuerySet) -> Iterator[str]:
    yield _line(list(COLUMNS))
    rows = visits.for_lists().order_by("invitation__starts_at", "pk")
    for visit in rows.iterator(chunk_size=2000):
        invitation = visit.invitation
        yield _line(
            [
                visit.reference,
                visit.name,
                visit.organisation,
                str(invitation.host),
                invitation.office.name,
                invitation.area.name,
                invitation.get_kind_display(),
                _at(invitation.starts_at),
                _at(invitation.ends_at),
                visit.get_status_display(),
                _at(visit.checked_in_at),
                _at(visit.checked_out_at),
                str(visit.escort or ""),
                visit.get_pass_colour_display(),
                visit.get_id_type_display(),
                visit.refused_reason,
                "yes" if visit.anonymised_at else "",
            ]
        )
