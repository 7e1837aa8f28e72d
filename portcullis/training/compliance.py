"""Compliance figures: training, vetting and SOS devices, per office, house and party.

Read-only. Everything is loaded for the offices in view with a handful of queries and counted in
Python, so a whole legislature (~1,500 offices) is a few thousand rows, not thousands of queries.
"""

from __future__ import annotations

from calendar import monthrange
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta

from portcullis.accounts.models import Membership, Office, Organisation, Role
from portcullis.protection.models import Clearance, SosDevice

from .models import Assignment
from .services import exempt_assignment_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portcullis.accounts.models import User

FUNDED_STAFF_ROLES = (Role.STAFFER, Role.OFFICE_MANAGER)


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


@dataclass
class PersonRow:
    person_id: int
    name: str
    public_id: Any
    roles: set[str] = field(default_factory=set)
    assignments: list[tuple[Assignment, str]] = field(default_factory=list)
    clearance: Clearance | None = None
    clearance_state: str = "none"
    devices: list[SosDevice] = field(default_factory=list)


class ComplianceData:
    """Everything about the people in a set of offices, loaded once."""

    def __init__(self, offices: Iterable[Office], today: date) -> None:
        self.today = today
        self.offices = list(offices)
        office_ids = [o.pk for o in self.offices]
        rows = Membership.objects.active().filter(office_id__in=office_ids)
        self.office_people: dict[int, set[int]] = defaultdict(set)
        self.people: dict[int, PersonRow] = {}
        self.office_party: dict[int, int | None] = {}
        for m in rows.select_related("person"):
            if m.office_id is None:
                continue
            self.office_people[m.office_id].add(m.person_id)
            row = self.people.setdefault(
                m.person_id, PersonRow(m.person_id, m.person.full_name, m.person.public_id)
            )
            row.roles.add(m.role)
            if m.role == Role.MEMBER:
                self.office_party[m.office_id] = m.person.party_id
        self._load(list(self.people))

    def _load(self, ids: list[int]) -> None:
        current = list(
            Assignment.objects.current().filter(person_id__in=ids).select_related("course")
        )
        exempt = exempt_assignment_ids(current, self.today)
        for a in current:
            self.people[a.person_id].assignments.append((a, self._state(a, exempt)))
        for c in Clearance.objects.filter(person_id__in=ids).order_by("applied_on", "pk"):
            row = self.people[c.person_id]
            row.clearance, row.clearance_state = c, c.state(self.today)
        for d in SosDevice.objects.filter(person_id__in=ids).order_by("issued_on"):
            d.state_today = d.state(self.today)  # type: ignore[attr-defined]
            self.people[d.person_id].devices.append(d)
        self.all_assignments = list(
            Assignment.objects.filter(person_id__in=ids).values(
                "person_id", "assigned_on", "due_on", "completed_on", "retired_on"
            )
        )

    def _state(self, a: Assignment, exempt: set[int]) -> str:
        if a.status == Assignment.Status.COMPLETED:
            return "completed"
        if a.pk in exempt:
            return "exempt"
        return "overdue" if a.is_overdue(self.today) else "due"

    def figures(self, person_ids: Iterable[int]) -> Figures:
        f = Figures()
        for pid in set(person_ids):
            row = self.people[pid]
            f.people += 1
            for _, state in row.assignments:
                f.assigned += 1
                setattr(f, state, getattr(f, state) + 1)
            self._add_vetting(f, row)
            self._add_devices(f, row)
        return f

    def _add_vetting(self, f: Figures, row: PersonRow) -> None:
        if not row.roles.intersection(FUNDED_STAFF_ROLES):
            return
        f.funded_staff += 1
        state = row.clearance_state
        if state in ("cleared", "renewal due"):
            f.cleared += 1
            f.renewal_due += state == "renewal due"
        elif state == "pending":
            f.clearance_pending += 1
            f.not_cleared += 1
        else:
            f.not_cleared += 1

    def _add_devices(self, f: Figures, row: PersonRow) -> None:
        issued = [d for d in row.devices if d.returned_on is None]
        f.devices_issued += len(issued)
        f.devices_test_overdue += sum(d.test_overdue(self.today) for d in issued)
        f.devices_returned += len(row.devices) - len(issued)
        if Role.MEMBER in row.roles:
            f.members += 1
            f.members_without_device += not issued

    def office_rows(self) -> list[tuple[Office, Figures]]:
        return [(o, self.figures(self.office_people[o.pk])) for o in self.offices]

    def group_rows(self, key: str) -> list[tuple[Organisation, Figures]]:
        groups: dict[int, set[int]] = defaultdict(set)
        for office in self.offices:
            group = office.organisation_id if key == "house" else self.office_party.get(office.pk)
            if group is not None:
                groups[group] |= self.office_people[office.pk]
        orgs = Organisation.objects.in_bulk(list(groups))
        return sorted(
            ((orgs[g], self.figures(p)) for g, p in groups.items()), key=lambda r: r[0].name
        )

    def trend(self, person_ids: Iterable[int], months: int = 12) -> list[dict[str, Any]]:
        """Per month: of what had fallen due by its end, the share completed by then."""
        wanted = set(person_ids)
        rows = [a for a in self.all_assignments if a["person_id"] in wanted]
        points = []
        for back in range(months - 1, -1, -1):
            month = self.today - relativedelta(months=back)
            end = min(month.replace(day=monthrange(month.year, month.month)[1]), self.today)
            fell_due = [
                a
                for a in rows
                if a["assigned_on"] <= end
                and a["due_on"] <= end
                and (a["retired_on"] is None or a["retired_on"] > end)
            ]
            done = sum(1 for a in fell_due if a["completed_on"] and a["completed_on"] <= end)
            percent = round(100 * done / len(fell_due)) if fell_due else None
            points.append({"month": end, "percent": percent, "due": len(fell_due), "done": done})
        return points


def offices_in_view(user: User | AnonymousUser) -> list[Office]:
    """The offices whose compliance the user may see: all for security, managed for managers."""
    if not user.is_authenticated:
        return []
    qs = Office.objects.select_related("organisation")
    if user.scope.has(Role.SECURITY_OFFICER):
        return list(qs)
    return list(qs.filter(pk__in=user.scope.managed_office_ids))


def can_see_compliance(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and (
        user.scope.has(Role.SECURITY_OFFICER) or bool(user.scope.managed_office_ids)
    )
