"""Compliance figures: training, vetting and SOS devices, per office, house and party.

Read-only, and counted by the database: each set of figures is one aggregate query over the
people in view, whatever the size of the legislature, so no page loads the rows into Python.
The one exception is the drill-down into a single office, which lists its people.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from dateutil.relativedelta import relativedelta
from django.db import connection
from django.db.models import Count, Q, QuerySet

from portcullis.accounts.models import Membership, Office, Organisation, Person, Role
from portcullis.protection.models import DEVICE_TEST_INTERVAL, RENEWAL_NOTICE, Clearance, SosDevice

from .models import Assignment, Exemption
from .services import exempt_assignment_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portcullis.accounts.models import User

FUNDED_STAFF_ROLES = (Role.STAFFER, Role.OFFICE_MANAGER)
Grouping = Literal["all", "office", "house", "party"]
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
    """The compliance of a set of offices (a QuerySet: it is compiled into the SQL, not loaded)."""

    def __init__(self, offices: QuerySet[Office], today: date) -> None:
        self.offices = offices
        self.today = today

    def total(self) -> Figures:
        return self._figures(["all"]).get(("all", 0), Figures())

    def by_office(self, offices: Sequence[Office]) -> list[tuple[Office, Figures]]:
        """Figures for these offices (a page of them), in the order given."""
        found = self._figures(["office"], only=[o.pk for o in offices])
        return [(o, found.get(("office", o.pk), Figures())) for o in offices]

    def by_group(self, key: Literal["house", "party"]) -> list[tuple[Organisation, Figures]]:
        found = self._figures([key])
        orgs = Organisation.objects.in_bulk([pk for _, pk in found])
        rows = [(orgs[pk], f) for (_, pk), f in found.items()]
        return sorted(rows, key=lambda r: r[0].name)

    def overview(self) -> tuple[Figures, GroupRows, GroupRows]:
        """Total, houses and parties in one query (the security officer's compliance page)."""
        found = self._figures(["all", "house", "party"])
        orgs = Organisation.objects.in_bulk([pk for kind, pk in found if kind != "all"])
        groups: dict[str, list[tuple[Organisation, Figures]]] = {"house": [], "party": []}
        for (kind, pk), f in found.items():
            if kind != "all":
                groups[kind].append((orgs[pk], f))
        return (
            found.get(("all", 0), Figures()),
            sorted(groups["house"], key=lambda r: r[0].name),
            sorted(groups["party"], key=lambda r: r[0].name),
        )

    def trend(self, months: int = 12) -> list[dict[str, Any]]:
        """Per month: of what had fallen due by its end, the share completed by then."""
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
            .aggregate(**counts)
        )
        points = []
        for i, end in enumerate(ends):
            due, done = row[f"due{i}"], row[f"done{i}"]
            percent = round(100 * done / due) if due else None
            points.append({"month": end, "percent": percent, "due": due, "done": done})
        return points

    def _figures(
        self, groupings: Iterable[Grouping], only: list[int] | None = None
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


def _figures_sql(
    offices: QuerySet[Office], groupings: list[Grouping], only: list[int] | None, today: date
) -> tuple[str, list[Any]]:
    """One aggregate query: per-person figures (assignments, latest clearance, devices, roles),
    summed per group. A person in several offices of one group counts once in that group."""
    t = {
        "membership": Membership._meta.db_table,
        "office": Office._meta.db_table,
        "person": Person._meta.db_table,
        "assignment": Assignment._meta.db_table,
        "exemption": Exemption._meta.db_table,
        "clearance": Clearance._meta.db_table,
        "device": SosDevice._meta.db_table,
    }
    office_sql, office_params = offices.order_by().values("pk").query.sql_with_params()
    keys = {
        "all": ("0", ""),
        "office": ("i.office_id", ""),
        "house": ("o.organisation_id", f"JOIN {t['office']} o ON o.id = i.office_id"),
        "party": ("op.party_id", "JOIN office_party op ON op.office_id = i.office_id"),
    }
    only_sql = f" AND i.office_id IN ({', '.join(['%s'] * len(only))})" if only else ""
    if only is not None and not only:
        only_sql = " AND 1 = 0"
    # Only table names and fixed fragments are interpolated; every value is a parameter.
    selects = [
        f"SELECT DISTINCT '{g}' AS kind, {keys[g][0]} AS k, i.person_id FROM inview i "  # noqa: S608
        f"{keys[g][1]} WHERE 1 = 1{only_sql}"
        for g in groupings
    ]
    funded = ", ".join(f"'{r.value}'" for r in FUNDED_STAFF_ROLES)
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
grouped AS ({" UNION ALL ".join(selects)}),
wanted AS (SELECT DISTINCT person_id FROM grouped),
roles AS (
  SELECT i.person_id,
    MAX(CASE WHEN i.role IN ({funded}) THEN 1 ELSE 0 END) AS funded,
    MAX(CASE WHEN i.role = '{Role.MEMBER.value}' THEN 1 ELSE 0 END) AS member
  FROM inview i WHERE i.person_id IN (SELECT person_id FROM wanted) GROUP BY i.person_id
),
asg AS (
  SELECT a.person_id, COUNT(*) AS assigned,
    SUM(CASE WHEN a.status = 'completed' THEN 1 ELSE 0 END) AS completed,
    SUM(CASE WHEN a.status <> 'completed' AND EXISTS (
      SELECT 1 FROM {t["exemption"]} e WHERE e.person_id = a.person_id
      AND (e.course_id IS NULL OR e.course_id = a.course_id)
      AND e.starts_on <= %s AND (e.ends_on IS NULL OR e.ends_on >= %s)
    ) THEN 1 ELSE 0 END) AS exempt,
    SUM(CASE WHEN a.status = 'open' AND a.due_on < %s AND NOT EXISTS (
      SELECT 1 FROM {t["exemption"]} e WHERE e.person_id = a.person_id
      AND (e.course_id IS NULL OR e.course_id = a.course_id)
      AND e.starts_on <= %s AND (e.ends_on IS NULL OR e.ends_on >= %s)
    ) THEN 1 ELSE 0 END) AS overdue
  FROM {t["assignment"]} a
  WHERE a.is_current = %s AND a.status <> 'retired'
    AND a.source = '{Assignment.Source.REQUIREMENT.value}'
    AND a.person_id IN (SELECT person_id FROM wanted)
  GROUP BY a.person_id
),
clr AS (
  SELECT c.person_id,
    CASE WHEN c.status = 'cleared' AND (c.expires_on IS NULL OR c.expires_on >= %s)
      THEN 1 ELSE 0 END AS cleared,
    CASE WHEN c.status = 'cleared' AND c.expires_on >= %s AND c.expires_on <= %s
      THEN 1 ELSE 0 END AS renewal_due,
    CASE WHEN c.status IN ('applied', 'in_progress') THEN 1 ELSE 0 END AS pending
  FROM {t["clearance"]} c
  WHERE c.person_id IN (SELECT person_id FROM wanted) AND NOT EXISTS (
    SELECT 1 FROM {t["clearance"]} c2 WHERE c2.person_id = c.person_id
    AND (c2.applied_on > c.applied_on OR (c2.applied_on = c.applied_on AND c2.id > c.id))
  )
),
dev AS (
  SELECT d.person_id,
    SUM(CASE WHEN d.returned_on IS NULL THEN 1 ELSE 0 END) AS issued,
    SUM(CASE WHEN d.returned_on IS NULL AND COALESCE(d.last_tested_on, d.issued_on) < %s
      THEN 1 ELSE 0 END) AS test_overdue,
    SUM(CASE WHEN d.returned_on IS NOT NULL THEN 1 ELSE 0 END) AS returned
  FROM {t["device"]} d WHERE d.person_id IN (SELECT person_id FROM wanted)
  GROUP BY d.person_id
)
SELECT g.kind, g.k, COUNT(*) AS people,
  SUM(COALESCE(a.assigned, 0)) AS assigned, SUM(COALESCE(a.completed, 0)) AS completed,
  SUM(COALESCE(a.exempt, 0)) AS exempt, SUM(COALESCE(a.overdue, 0)) AS overdue,
  SUM(r.funded) AS funded_staff,
  SUM(CASE WHEN r.funded = 1 THEN COALESCE(c.cleared, 0) ELSE 0 END) AS cleared,
  SUM(CASE WHEN r.funded = 1 THEN COALESCE(c.renewal_due, 0) ELSE 0 END) AS renewal_due,
  SUM(CASE WHEN r.funded = 1 THEN COALESCE(c.pending, 0) ELSE 0 END) AS clearance_pending,
  SUM(COALESCE(d.issued, 0)) AS devices_issued,
  SUM(COALESCE(d.test_overdue, 0)) AS devices_test_overdue,
  SUM(COALESCE(d.returned, 0)) AS devices_returned,
  SUM(r.member) AS members,
  SUM(CASE WHEN r.member = 1 AND COALESCE(d.issued, 0) = 0 THEN 1 ELSE 0 END)
    AS members_without_device
FROM grouped g
JOIN roles r ON r.person_id = g.person_id
LEFT JOIN asg a ON a.person_id = g.person_id
LEFT JOIN clr c ON c.person_id = g.person_id
LEFT JOIN dev d ON d.person_id = g.person_id
WHERE g.k IS NOT NULL
GROUP BY g.kind, g.k
"""  # noqa: S608
    params: list[Any] = [*office_params]
    for _ in groupings:
        params += only or []
    params += [today] * 5 + [True]
    params += [today, today, today + RENEWAL_NOTICE]
    params += [today - DEVICE_TEST_INTERVAL]
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
