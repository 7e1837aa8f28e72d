"""The compliance summary: each person's training figures, kept by the services that change them.

`refresh` recomputes the figures of some people from their rows, set-wise, and is called in the
same transaction by every service that changes assignments, completions or exemptions (the
sync, completing a course, an exemption). Every person with current requirement training has a row
(the migration made one for everyone, stale; a person without a row has none). Figures also
change with the calendar alone (an assignment falls overdue, an exemption starts or ends), so
each row says until when it holds; `training.compliance` counts from the rows anyone whose row no
longer holds, and the hourly job `refresh_stale` brings those rows up to date (and makes any row
found missing) so that reads stay cheap.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Q

from portcullis.accounts.models import Membership

from . import compliance_cache
from .models import Assignment, ComplianceSummary, Exemption

CHUNK = 2000  # people per round
FIGURES = ("assigned", "completed", "exempt", "overdue")


def figures_sql(people_sql: str) -> tuple[str, int]:
    """Per person among `people_sql` (a subquery of person ids): the counts of their current
    requirement assignments (remedial training is need-to-know and never counted) and the
    earliest open due date on or after the day (`next_due`). Returns the SQL and how many times
    the day is a parameter before `people_sql`'s own; then comes True (is_current)."""
    t = {"assignment": Assignment._meta.db_table, "exemption": Exemption._meta.db_table}
    covered = (
        f"EXISTS (SELECT 1 FROM {t['exemption']} e WHERE e.person_id = a.person_id"  # noqa: S608
        " AND (e.course_id IS NULL OR e.course_id = a.course_id)"
        " AND e.starts_on <= %s AND (e.ends_on IS NULL OR e.ends_on >= %s))"
    )
    sql = f"""
SELECT a.person_id, COUNT(*) AS assigned,
  SUM(CASE WHEN a.status = 'completed' THEN 1 ELSE 0 END) AS completed,
  SUM(CASE WHEN a.status <> 'completed' AND {covered} THEN 1 ELSE 0 END) AS exempt,
  SUM(CASE WHEN a.status = 'open' AND a.due_on < %s AND NOT {covered} THEN 1 ELSE 0 END)
    AS overdue,
  MIN(CASE WHEN a.status = 'open' AND a.due_on >= %s THEN a.due_on END) AS next_due
FROM {t["assignment"]} a
WHERE a.is_current = %s AND a.status <> 'retired'
  AND a.source = '{Assignment.Source.REQUIREMENT.value}'
  AND a.person_id IN ({people_sql})
GROUP BY a.person_id"""  # noqa: S608
    return sql, 6


def valid_sql(alias: str) -> str:
    """The condition that a summary row holds on the day (two parameters: the day, twice)."""
    return f"{alias}.as_of <= %s AND ({alias}.valid_until IS NULL OR {alias}.valid_until > %s)"


@transaction.atomic
def refresh(*, person_ids: Iterable[int], today: date) -> None:
    """Recompute these people's rows from their assignments and exemptions, in a fixed number
    of queries per chunk of people. Call it inside the transaction that changed them."""
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), CHUNK):
        _refresh_chunk(ids[start : start + CHUNK], today)
    if ids:
        compliance_cache.changed()


def _refresh_chunk(ids: list[int], today: date) -> None:
    table = ComplianceSummary._meta.db_table
    columns = ("person_id", *FIGURES, "as_of", "valid_until")
    with connection.cursor() as cursor:
        # Lock the rows first (making any that are missing), so that two transactions refreshing
        # one person take turns and the second computes from what the first committed.
        _insert(cursor, table, columns, [(pid, 0, 0, 0, 0, today, today) for pid in ids], "")
        list(
            ComplianceSummary.objects.select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        sql, days = figures_sql(", ".join(["%s"] * len(ids)))
        cursor.execute(sql, [today] * days + [True, *ids])
        found = {row[0]: row[1:] for row in cursor.fetchall()}
        changes = _exemption_changes(ids, today)
        rows = []
        for pid in ids:
            assigned, completed, exempt, overdue, next_due = found.get(pid, (0, 0, 0, 0, None))
            until = [_day(next_due) + timedelta(days=1)] if next_due else []
            until += changes.get(pid, [])
            figures = (assigned, completed or 0, exempt or 0, overdue or 0)
            rows.append((pid, *figures, today, min(until, default=None)))
        update = ", ".join(f"{c} = excluded.{c}" for c in columns[1:])
        _insert(cursor, table, columns, rows, update)


def _insert(
    cursor: Any, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]], update: str
) -> None:
    """Insert rows in batches; on a person already there, update (or, with no update, skip)."""
    conflict = f"DO UPDATE SET {update}" if update else "DO NOTHING"
    marks = f"({', '.join(['%s'] * len(columns))})"
    for start in range(0, len(rows), 500):
        batch = rows[start : start + 500]
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES "  # noqa: S608
            f"{', '.join([marks] * len(batch))} ON CONFLICT (person_id) {conflict}",
            [v for row in batch for v in row],
        )


def _exemption_changes(ids: list[int], today: date) -> dict[int, list[date]]:
    """The days after `today` on which an exemption of these people starts or stops covering."""
    changes: dict[int, list[date]] = {}
    for pid, starts, ends in (
        Exemption.objects.filter(person_id__in=ids)
        .filter(Q(starts_on__gt=today) | Q(ends_on__gte=today))
        .values_list("person_id", "starts_on", "ends_on")
    ):
        days = changes.setdefault(pid, [])
        if starts > today:
            days.append(starts)
        if ends is not None and ends >= today:
            days.append(ends + timedelta(days=1))
    return changes


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def stale_ids(today: date) -> set[int]:
    """People whose row does not hold today, and people in a post or with a current assignment
    who have no row yet."""
    holds = Q(as_of__lte=today) & (Q(valid_until__isnull=True) | Q(valid_until__gt=today))
    stale = set(ComplianceSummary.objects.exclude(holds).values_list("pk", flat=True))
    have = ComplianceSummary.objects.values("pk")
    stale |= set(
        Membership.objects.active().exclude(person_id__in=have).values_list("person_id", flat=True)
    )
    stale |= set(
        Assignment.objects.current().exclude(person_id__in=have).values_list("person_id", flat=True)
    )
    return stale


def refresh_stale(*, today: date) -> int:
    """Bring every stale or missing row up to date (the hourly job); returns how many."""
    ids = stale_ids(today)
    refresh(person_ids=ids, today=today)
    return len(ids)


def rebuild(*, today: date) -> int:
    """Recompute everyone's row: after rows were written in bulk outside the services (the
    demo's and the benchmark's history)."""
    ids = set(ComplianceSummary.objects.values_list("pk", flat=True)) | stale_ids(today)
    refresh(person_ids=ids, today=today)
    return len(ids)
