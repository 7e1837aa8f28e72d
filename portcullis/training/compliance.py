"""Compliance figures: training, vetting and SOS devices, per office, house and party.

Read-only, and counted by the database: each set of figures is one aggregate query over the
people in view, whatever the size of the legislature, so no page loads the rows into Python.
The one exception is the drill-down into a single office, which lists its people.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from dateutil.relativedelta import relativedelta
from django.db import connection
from django.db.models import Count, Q, QuerySet

from portcullis.accounts.models import Membership, Office, Organisation, Person, Role
from portcullis.lib.charts import month_ends
from portcullis.protection.models import DEVICE_TEST_INTERVAL, RENEWAL_NOTICE, Clearance, SosDevice

from . import compliance_cache, summary
from .models import Assignment, ComplianceSummary
from .services import exempt_assignment_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portcullis.accounts.models import User

T = TypeVar("T")
FUNDED_STAFF_ROLES = (Role.STAFFER, Role.OFFICE_MANAGER)
Grouping = Literal["all", "office", "house", "party"]
WHOLE: list[Grouping] = ["all", "house", "party"]
GroupRows = list[tuple["Organisation", "Figures"]]


@dataclass
class Figures:
    people: int = 0
    assigned: int = 0
    completed: int = 0
    due: int = 0
    overdue: int = 0
    exempt: int = 0
    funded_staff: int = 0
    cleared: int = 0
    clearance_pending: int = 0
    renewal_due: int = 0
    not_cleared: int = 0
    devices_issued: int = 0
    devices_test_overdue: int = 0
    devices_returned: int = 0
    members: int = 0
    members_without_device: int = 0

    @property
    def percent_complete(self) -> int:
        counted = self.assigned - self.exempt
        return round(100 * self.completed / counted) if counted else 100

    @property
    def protected(self) -> bool:
        return not (self.overdue or self.not_cleared or self.members_without_device)


FIGURE_NAMES = [f.name for f in fields(Figures)]


class Compliance:
    """The compliance of a set of offices (a QuerySet: it is compiled into the SQL, not loaded).
    Every figure is cached until something it counts changes (`compliance_cache`)."""

    def __init__(self, offices: QuerySet[Office], today: date) -> None:
        self.offices = offices
        self.today = today

    @cached_property
    def _scope(self) -> str | None:
        return compliance_cache.scope(self.offices, self.today)

    def _cached(self, name: str, compute: Callable[[], T]) -> T:
        return compliance_cache.figures(name, scope=self._scope, compute=compute)

    def total(self) -> Figures:
        # The houses and parties come with it (a little more work, once): the dashboard and the
        # compliance page then share one cached count.
        return self._figures(WHOLE).get(("all", 0), Figures())

    def by_office(self, offices: Sequence[Office]) -> list[tuple[Office, Figures]]:
        """Figures for these offices (a page of them), in the order given."""
        found = self._figures(["office"], only=[o.pk for o in offices])
        return [(o, found.get(("office", o.pk), Figures())) for o in offices]

    def by_group(self, key: Literal["house", "party"]) -> list[tuple[Organisation, Figures]]:
        found = self._figures([key])
        orgs = Organisation.objects.in_bulk([pk for _, pk in found])
        rows = [(orgs[pk], f) for (_, pk), f in found.items()]
        return sorted(rows, key=lambda r: r[0].name)

    def overview(
        self, offices: Sequence[Office]
    ) -> tuple[Figures, GroupRows, GroupRows, list[tuple[Office, Figures]]]:
        """Total, houses and parties (one count of every person in view, shared by every page)
        and these offices (a page of them, counted from their own people): the security team's
        compliance page."""
        found = self._figures(WHOLE) | self._figures(["office"], only=[o.pk for o in offices])
        orgs = Organisation.objects.in_bulk(
            [pk for kind, pk in found if kind in ("house", "party")]
        )
        groups: dict[str, list[tuple[Organisation, Figures]]] = {"house": [], "party": []}
        for (kind, pk), f in found.items():
            if kind in groups:
                groups[kind].append((orgs[pk], f))
        return (
            found.get(("all", 0), Figures()),
            sorted(groups["house"], key=lambda r: r[0].name),
            sorted(groups["party"], key=lambda r: r[0].name),
            [(o, found.get(("office", o.pk), Figures())) for o in offices],
        )

    def trend(self, months: int = 12) -> list[dict[str, Any]]:
        """Per month: of what had fallen due by its end, the share completed by then."""
        return self._cached(f"trend:{months}", lambda: self._trend(months))

    def _trend(self, months: int) -> list[dict[str, Any]]:
        ends = []
        for back in range(months - 1, -1, -1):
            month = self.today - relativedelta(months=back)
            ends.append(min(month.replace(day=monthrange(month.year, month.month)[1]), self.today))
        counts: dict[str, Count] = {}
        for i, end in enumerate(ends):
            fell_due = Q(assigned_on__lte=end, due_on__lte=end) & (
                Q(retired_on__isnull=True) | Q(retired_on__gt=end)
            )
            counts[f"due{i}"] = Count("pk", filter=fell_due)
            counts[f"done{i}"] = Count("pk", filter=fell_due & Q(completed_on__lte=end))
        in_view = Membership.objects.active().filter(office__in=self.offices)
        row = (
            Assignment.objects.for_requirements()  # remedial courses are need-to-know
            .filter(person__in=in_view.values("person_id"))
            # only rows that can count in some month (what every month's filter implies)
            .filter(assigned_on__lte=ends[-1], due_on__lte=ends[-1])
            .filter(Q(retired_on__isnull=True) | Q(retired_on__gt=ends[0]))
            .aggregate(**counts)
        )
        points = []
        for i, end in enumerate(ends):
            due, done = row[f"due{i}"], row[f"done{i}"]
            percent = round(100 * done / due) if due else None
            points.append({"month": end, "percent": percent, "due": due, "done": done})
        return points

    def trend_by(
        self, grouping: Grouping, months: int = 12
    ) -> list[tuple[Organisation | Office | None, list[dict[str, Any]]]]:
        """`trend` for each house, party or office in view (or "all"), in one query; the groups
        by name."""
        ends = month_ends(self.today, months)
        rows = self._cached(f"trend:{grouping}:{months}", lambda: self._trend_rows(grouping, ends))
        model = Office if grouping == "office" else Organisation
        objects = model.objects.in_bulk([int(r["k"]) for r in rows]) if grouping != "all" else {}
        found = []
        for row in rows:
            points = []
            for i, end in enumerate(ends):
                due, done = int(row[f"due{i}"] or 0), int(row[f"done{i}"] or 0)
                percent = round(100 * done / due) if due else None
                points.append({"month": end, "percent": percent, "due": due, "done": done})
            found.append((objects.get(int(row["k"])), points))
        return sorted(found, key=lambda r: str(r[0] or ""))

    def _trend_rows(self, grouping: Grouping, ends: list[date]) -> list[dict[str, Any]]:
        sql, params = _trend_sql(self.offices, grouping, ends)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            names = [c[0] for c in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _figures(
        self, groupings: Iterable[Grouping], only: list[int] | None = None
    ) -> dict[tuple[str, int], Figures]:
        groupings = list(groupings)
        name = f"figures:{','.join(groupings)}:{only}"
        return self._cached(name, lambda: self._count(groupings, only))

    def _count(
        self, groupings: list[Grouping], only: list[int] | None
    ) -> dict[tuple[str, int], Figures]:
        sql, params = _figures_sql(self.offices, list(groupings), only, self.today)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            names = [c[0] for c in cursor.description]
            rows = cursor.fetchall()
        found = {}
        for row in rows:
            values = dict(zip(names, row, strict=True))
            figures = Figures(**{n: int(values[n] or 0) for n in FIGURE_NAMES if n in values})
            figures.due = figures.assigned - figures.completed - figures.exempt - figures.overdue
            figures.not_cleared = figures.funded_staff - figures.cleared
            found[(values["kind"], int(values["k"]))] = figures
        return found


def _trend_sql(
    offices: QuerySet[Office], grouping: Grouping, ends: list[date]
) -> tuple[str, list[Any]]:
    """Per group and month end: requirement training fallen due by then, and done by then (the
    rule of `Compliance.trend`); each person once per group."""
    t = {
        "membership": Membership._meta.db_table,
        "office": Office._meta.db_table,
        "person": Person._meta.db_table,
        "assignment": Assignment._meta.db_table,
    }
    office_sql, office_params = offices.order_by().values("pk").query.sql_with_params()
    params: list[Any] = list(office_params)
    keys = {
        "all": ("0", ""),
        "office": ("i.office_id", ""),
        "house": ("o.organisation_id", f"JOIN {t['office']} o ON o.id = i.office_id"),
        "party": ("op.party_id", "JOIN office_party op ON op.office_id = i.office_id"),
    }
    fell_due = (
        "a.assigned_on <= %s AND a.due_on <= %s AND (a.retired_on IS NULL OR a.retired_on > %s)"
    )
    sums = []
    for i in range(len(ends)):
        sums.append(f"SUM(CASE WHEN {fell_due} THEN 1 ELSE 0 END) AS due{i}")
        sums.append(
            f"SUM(CASE WHEN {fell_due} AND a.completed_on <= %s THEN 1 ELSE 0 END) AS done{i}"
        )
    key, join = keys[grouping]
    # Only table names and fixed fragments are interpolated; every value is a parameter.
    sql = f"""
WITH inview AS (
  SELECT m.person_id, m.office_id, m.role FROM {t["membership"]} m
  WHERE m.ended_on IS NULL AND m.office_id IN ({office_sql})
),
office_party AS (
  SELECT i.office_id, MAX(p.party_id) AS party_id FROM inview i
  JOIN {t["person"]} p ON p.id = i.person_id
  WHERE i.role = '{Role.MEMBER.value}' AND p.party_id IS NOT NULL GROUP BY i.office_id
),
grouped AS (
  SELECT DISTINCT '{grouping}' AS kind, {key} AS k, i.person_id FROM inview i {join}
  WHERE {key} IS NOT NULL
)
SELECT g.kind, g.k, {", ".join(sums)}
FROM grouped g JOIN {t["assignment"]} a ON a.person_id = g.person_id
WHERE a.source = '{Assignment.Source.REQUIREMENT.value}'
  AND a.assigned_on <= %s AND a.due_on <= %s AND (a.retired_on IS NULL OR a.retired_on > %s)
GROUP BY g.kind, g.k
"""  # noqa: S608
    for end in ends:
        params += [end] * 7
    # Only rows that can count in some month (what every month's condition implies) are summed.
    params += [ends[-1], ends[-1], ends[0]]
    return sql, params


def _figures_sql(
    offices: QuerySet[Office], groupings: list[Grouping], only: list[int] | None, today: date
) -> tuple[str, list[Any]]:
    """One aggregate query: each person in view once (roles, training from the summary, latest
    clearance, devices), then summed per group. A person in several offices of one group counts
    once in that group."""
    t = {
        "membership": Membership._meta.db_table,
        "office": Office._meta.db_table,
        "person": Person._meta.db_table,
        "clearance": Clearance._meta.db_table,
        "device": SosDevice._meta.db_table,
        "summary": ComplianceSummary._meta.db_table,
    }
    # Training figures come from the summary; people whose row no longer holds today (the
    # calendar overtook it, and the hourly job has not yet refreshed it) are counted from their
    # rows.
    live, live_days = summary.figures_sql(
        f"SELECT x.person_id FROM {t['summary']} x WHERE NOT ({summary.valid_sql('x')})"  # noqa: S608
    )
    office_sql, office_params = offices.order_by().values("pk").query.sql_with_params()
    only_sql, only_params = "", list(only or [])
    if only is not None:
        only_sql = f" AND i.office_id IN ({', '.join(['%s'] * len(only)) or 'NULL'})"
    keys = {
        "office": ("i.office_id", ""),
        "house": ("o.organisation_id", f"JOIN {t['office']} o ON o.id = i.office_id"),
        "party": ("op.party_id", "JOIN office_party op ON op.office_id = i.office_id"),
    }
    sums = """COUNT(*) AS people,
  SUM(p.assigned) AS assigned, SUM(p.completed) AS completed,
  SUM(p.exempt) AS exempt, SUM(p.overdue) AS overdue,
  SUM(p.funded) AS funded_staff, SUM(p.cleared) AS cleared,
  SUM(p.renewal_due) AS renewal_due, SUM(p.pending) AS clearance_pending,
  SUM(p.issued) AS devices_issued, SUM(p.test_overdue) AS devices_test_overdue,
  SUM(p.returned) AS devices_returned, SUM(p.member) AS members,
  SUM(CASE WHEN p.member = 1 AND p.issued = 0 THEN 1 ELSE 0 END) AS members_without_device"""
    # Only table names and fixed fragments are interpolated; every value is a parameter.
    selects, select_params = [], []
    for g in groupings:
        if g == "all":
            selects.append(f"SELECT 'all' AS kind, 0 AS k, {sums} FROM per p")  # noqa: S608
            continue
        selects.append(
            f"SELECT g.kind, g.k, {sums} FROM ("  # noqa: S608
            f"SELECT DISTINCT '{g}' AS kind, {keys[g][0]} AS k, i.person_id FROM inview i "
            f"{keys[g][1]} WHERE {keys[g][0]} IS NOT NULL{only_sql if g == 'office' else ''}"
            ") g JOIN per p ON p.person_id = g.person_id GROUP BY g.kind, g.k"
        )
        select_params += only_params if g == "office" else []
    # `only` limits the office rows; asked for offices alone, the people are those of these
    # offices (their roles count from every post in view).
    # Without `only`, everyone in view (and every clearance and device is read, which is
    # cheaper than matching them to 15,000 people first).
    people = "SELECT person_id FROM inview"
    mine = {"r": "", "c": "", "d": ""}
    restrict = only is not None and groupings == ["office"]
    if restrict:
        people = f"SELECT i.person_id FROM inview i WHERE 1 = 1{only_sql}"  # noqa: S608
        mine = {k: f"WHERE {k if k != 'r' else 'i'}.person_id IN ({people})" for k in mine}
    funded = ", ".join(f"'{r.value}'" for r in FUNDED_STAFF_ROLES)
    party_cte = ""
    if "party" in groupings:
        party_cte = f"""office_party AS (
  SELECT i.office_id, MAX(p.party_id) AS party_id FROM inview i
  JOIN {t["person"]} p ON p.id = i.person_id
  WHERE i.role = '{Role.MEMBER.value}' AND p.party_id IS NOT NULL GROUP BY i.office_id
),"""  # noqa: S608
    sql = f"""
WITH inview AS (
  SELECT m.person_id, m.office_id, m.role FROM {t["membership"]} m
  WHERE m.ended_on IS NULL AND m.office_id IN ({office_sql})
),
{party_cte}
per AS (
  SELECT r.person_id, r.funded, r.member,
    COALESCE(s.assigned, l.assigned, 0) AS assigned,
    COALESCE(s.completed, l.completed, 0) AS completed,
    COALESCE(s.exempt, l.exempt, 0) AS exempt, COALESCE(s.overdue, l.overdue, 0) AS overdue,
    CASE WHEN r.funded = 1 THEN COALESCE(c.cleared, 0) ELSE 0 END AS cleared,
    CASE WHEN r.funded = 1 THEN COALESCE(c.renewal_due, 0) ELSE 0 END AS renewal_due,
    CASE WHEN r.funded = 1 THEN COALESCE(c.pending, 0) ELSE 0 END AS pending,
    COALESCE(d.issued, 0) AS issued, COALESCE(d.test_overdue, 0) AS test_overdue,
    COALESCE(d.returned, 0) AS returned
  FROM (
    SELECT i.person_id,
      MAX(CASE WHEN i.role IN ({funded}) THEN 1 ELSE 0 END) AS funded,
      MAX(CASE WHEN i.role = '{Role.MEMBER.value}' THEN 1 ELSE 0 END) AS member
    FROM inview i {mine["r"]} GROUP BY i.person_id
  ) r
  LEFT JOIN {t["summary"]} s ON s.person_id = r.person_id AND {summary.valid_sql("s")}
  LEFT JOIN ({live}) l ON l.person_id = r.person_id
  LEFT JOIN (
    SELECT c.person_id,
      CASE WHEN c.status = 'cleared' AND (c.expires_on IS NULL OR c.expires_on >= %s)
        THEN 1 ELSE 0 END AS cleared,
      CASE WHEN c.status = 'cleared' AND c.expires_on >= %s AND c.expires_on <= %s
        THEN 1 ELSE 0 END AS renewal_due,
      CASE WHEN c.status IN ('applied', 'in_progress') THEN 1 ELSE 0 END AS pending,
      ROW_NUMBER() OVER (
        PARTITION BY c.person_id ORDER BY c.applied_on DESC, c.id DESC
      ) AS newest
    FROM {t["clearance"]} c {mine["c"]}
  ) c ON c.person_id = r.person_id AND c.newest = 1
  LEFT JOIN (
    SELECT d.person_id,
      SUM(CASE WHEN d.returned_on IS NULL THEN 1 ELSE 0 END) AS issued,
      SUM(CASE WHEN d.returned_on IS NULL AND COALESCE(d.last_tested_on, d.issued_on) < %s
        THEN 1 ELSE 0 END) AS test_overdue,
      SUM(CASE WHEN d.returned_on IS NOT NULL THEN 1 ELSE 0 END) AS returned
    FROM {t["device"]} d {mine["d"]} GROUP BY d.person_id
  ) d ON d.person_id = r.person_id
)
{" UNION ALL ".join(selects)}
"""  # noqa: S608
    params: list[Any] = [*office_params]
    people_params = only_params if restrict else []
    params += people_params
    params += [today] * 2  # the summary holds
    params += [today] * live_days + [True] + [today] * 2  # counted from the rows
    params += [today, today, today + RENEWAL_NOTICE] + people_params
    params += [today - DEVICE_TEST_INTERVAL] + people_params
    params += select_params
    return sql, params


# --- one office's people (the drill-down) ------------------------------------------------------


@dataclass
class PersonRow:
    person_id: int
    name: str
    public_id: Any
    assignments: list[tuple[Assignment, str]] = field(default_factory=list)
    clearance: Clearance | None = None
    clearance_state: str = "none"
    devices: list[SosDevice] = field(default_factory=list)


def office_people(office: Office, today: date) -> list[PersonRow]:
    """Everyone in one office with their training, vetting and devices (a handful of queries)."""
    ids = Membership.objects.active().filter(office=office).values("person_id")
    people = {
        p.pk: PersonRow(p.pk, p.full_name, p.public_id)
        for p in Person.objects.filter(pk__in=ids).order_by("full_name", "pk")
    }
    current = list(
        Assignment.objects.current()
        .for_requirements()  # remedial courses are need-to-know (accounts.need_to_know)
        .filter(person_id__in=people)
        .select_related("course")
    )
    exempt = exempt_assignment_ids(current, today)
    for a in current:
        people[a.person_id].assignments.append((a, _state(a, exempt, today)))
    for c in Clearance.objects.filter(person_id__in=people).order_by("applied_on", "pk"):
        row = people[c.person_id]
        row.clearance, row.clearance_state = c, c.state(today)
    for d in SosDevice.objects.filter(person_id__in=people).order_by("issued_on"):
        d.state_today = d.state(today)  # type: ignore[attr-defined]
        people[d.person_id].devices.append(d)
    return list(people.values())


def _state(a: Assignment, exempt: set[int], today: date) -> str:
    if a.status == Assignment.Status.COMPLETED:
        return "completed"
    if a.pk in exempt:
        return "exempt"
    return "overdue" if a.is_overdue(today) else "due"


# --- who sees what -----------------------------------------------------------------------------


def offices_in_view(user: User | AnonymousUser) -> QuerySet[Office]:
    """The offices whose compliance the user may see: all for security, managed for managers."""
    qs = Office.objects.select_related("organisation").order_by("name", "pk")
    if not user.is_authenticated:
        return qs.none()
    if user.scope.has(Role.SECURITY_OFFICER):
        return qs
    return qs.filter(pk__in=user.scope.managed_office_ids)
