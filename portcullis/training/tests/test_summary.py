"""The compliance summary stays equal to the figures counted from the rows, after every kind of
change the services make, and the compliance figures are read from it."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.test import TransactionTestCase
from django.utils import timezone

from portcullis.accounts import services as accounts
from portcullis.accounts.models import Membership, Office
from portcullis.intel.tests.builders import IMMEDIATE_TASKS
from portcullis.ledger.actors import WORKER
from portcullis.protection.services import issue_device, record_clearance
from portcullis.test import BaseTestCase, Cast
from portcullis.training import services, summary
from portcullis.training.compliance import Compliance, offices_in_view
from portcullis.training.models import Assignment, ComplianceSummary

from .builders import make_course, make_requirement, set_started


def from_rows(today: date) -> dict[int, tuple[int, int, int, int]]:
    """(assigned, completed, exempt, overdue) per person, counted in Python from the rows."""
    current = list(Assignment.objects.current().for_requirements())
    exempt = services.exempt_assignment_ids(current, today)
    found: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for a in current:
        f = found[a.person_id]
        f[0] += 1
        f[1] += a.status == Assignment.Status.COMPLETED
        f[2] += a.status != Assignment.Status.COMPLETED and a.pk in exempt
        f[3] += a.is_overdue(today) and a.pk not in exempt
    return {pid: (f[0], f[1], f[2], f[3]) for pid, f in found.items()}


class SummaryTests(BaseTestCase):
    def setUp(self) -> None:
        self.today = timezone.localdate()
        self.course = make_course("essentials")
        self.other = make_course("travel")
        make_requirement(self.course, due_within_days=30)
        make_requirement(self.other, due_within_days=10, every_months=None)
        # The member and the staffer started long ago (overdue); the manager last week.
        set_started(self.member.person, self.today - timedelta(days=100))
        set_started(self.staffer.person, self.today - timedelta(days=100))
        set_started(self.manager.person, self.today - timedelta(days=7))
        services.sync_all_assignments(actor=WORKER, today=self.today)

    def summarised(self, today: date) -> dict[int, tuple[int, int, int, int]]:
        rows = ComplianceSummary.objects.all()
        held = [
            r for r in rows if r.as_of <= today and (r.valid_until is None or r.valid_until > today)
        ]
        self.assertEqual(len(held), len(rows), "every row holds on the day")
        return {
            r.person_id: (r.assigned, r.completed, r.exempt, r.overdue) for r in rows if r.assigned
        }

    def assert_in_step(self, today: date | None = None) -> None:
        today = today or self.today
        expected = from_rows(today)
        self.assertEqual(self.summarised(today), expected)
        total = Compliance(Office.objects.all(), today).total()
        in_view = set(
            Membership.objects.active()
            .filter(office__isnull=False)
            .values_list("person_id", flat=True)
        )
        sums = [sum(f[i] for pid, f in expected.items() if pid in in_view) for i in range(4)]
        self.assertEqual([total.assigned, total.completed, total.exempt, total.overdue], sums)

    def test_a_bulk_sync_writes_everyone_covered(self) -> None:
        self.assertEqual(
            self.summarised(self.today)[self.member.person.pk], (2, 0, 0, 2), "both overdue"
        )
        self.assertEqual(self.summarised(self.today)[self.manager.person.pk], (2, 0, 0, 0))
        self.assert_in_step()

    def test_a_completion(self) -> None:
        services._complete(
            person=self.member.person, course=self.course, version=1, on=self.today, actor=WORKER
        )
        self.assertEqual(self.summarised(self.today)[self.member.person.pk], (2, 1, 0, 1))
        self.assert_in_step()

    def test_an_exemption_for_one_course_and_for_all(self) -> None:
        services.grant_exemption(
            person=self.staffer.person,
            course=self.other,
            reason="leave",
            detail="Leave",
            starts_on=self.today,
            ends_on=None,
            actor=self.security,
        )
        self.assertEqual(self.summarised(self.today)[self.staffer.person.pk], (2, 0, 1, 1))
        services.grant_exemption(
            person=self.member.person,
            reason="illness",
            detail="Sick leave",
            starts_on=self.today - timedelta(days=3),
            ends_on=self.today + timedelta(days=20),
            actor=self.security,
        )
        row = ComplianceSummary.objects.get(pk=self.member.person.pk)
        self.assertEqual((row.exempt, row.overdue), (2, 0))
        self.assertEqual(row.valid_until, self.today + timedelta(days=21), "when it ends")
        self.assert_in_step()

    def test_a_new_assignment_for_one_person(self) -> None:
        make_requirement(make_course("managers"), roles=["office_manager"], due_within_days=5)
        services.sync_assignments(person=self.manager.person, actor=WORKER, today=self.today)
        self.assertEqual(self.summarised(self.today)[self.manager.person.pk][0], 3)
        self.assert_in_step()

    def test_a_leaver(self) -> None:
        Membership.objects.filter(person=self.staffer.person).update(ended_on=self.today)
        services.sync_all_assignments(actor=WORKER, today=self.today)
        self.assertNotIn(self.staffer.person.pk, self.summarised(self.today))
        self.assertEqual(ComplianceSummary.objects.get(pk=self.staffer.person.pk).assigned, 0)
        self.assert_in_step()

    def test_a_bulk_resync_after_a_course_changes_substantively(self) -> None:
        services._complete(
            person=self.member.person, course=self.course, version=1, on=self.today, actor=WORKER
        )
        services.publish_course_version(
            course=self.course, substantive=True, note="New threats", actor=self.security
        )
        services.sync_all_assignments(actor=WORKER, today=self.today)
        self.assertEqual(self.summarised(self.today)[self.member.person.pk], (2, 0, 0, 1))
        self.assert_in_step()

    def test_the_calendar_overtakes_a_row_and_the_figures_stay_true(self) -> None:
        # The manager's travel briefing falls due in 3 days: from the day after, the row no
        # longer holds; the figures are counted from the rows until the hourly job refreshes it.
        later = self.today + timedelta(days=4)
        row = ComplianceSummary.objects.get(pk=self.manager.person.pk)
        self.assertEqual(row.valid_until, later)
        self.assertEqual(Compliance(Office.objects.all(), later).total().overdue, 5)
        self.assertIn(self.manager.person.pk, summary.stale_ids(later))
        total = Compliance(Office.objects.all(), later).total()
        self.assertEqual(total.overdue, sum(f[3] for f in from_rows(later).values()))
        summary.refresh_stale(today=later)
        self.assertEqual(summary.stale_ids(later), set())
        self.assert_in_step(later)

    def test_the_figures_are_read_from_the_summary(self) -> None:
        office_a = Office.objects.filter(pk=self.office_a.pk)
        before = Compliance(office_a, self.today).total().completed
        ComplianceSummary.objects.filter(pk=self.member.person.pk).update(completed=5)
        self.assertEqual(Compliance(office_a, self.today).total().completed, before + 5)
        ComplianceSummary.objects.filter(pk=self.member.person.pk).update(valid_until=self.today)
        self.assertEqual(Compliance(office_a, self.today).total().completed, before, "counted")

    def test_the_hourly_job_makes_a_missing_row(self) -> None:
        ComplianceSummary.objects.filter(pk=self.member.person.pk).delete()
        self.assertIn(self.member.person.pk, summary.stale_ids(self.today))
        summary.refresh_stale(today=self.today)
        self.assert_in_step()


@IMMEDIATE_TASKS
class CachedFiguresTests(TransactionTestCase):
    """Outside a transaction the figures come from the cache; every kind of change through the
    services, committed, makes the next read count afresh, so the cached figures stay equal to
    the figures counted at that moment (counted inside a transaction, which is never cached). A
    directory change moves them through the training sync it enqueues (run at once here, by the
    worker in production)."""

    def setUp(self) -> None:
        cache.clear()
        Cast.build(self)
        self.today = timezone.localdate()
        self.course = make_course("essentials")
        make_requirement(self.course, due_within_days=30)
        set_started(self.member.person, self.today - timedelta(days=100))
        services.sync_all_assignments(actor=WORKER, today=self.today)

    def read(self) -> tuple[Any, ...]:
        data = Compliance(offices_in_view(self.security), self.today)
        total, houses, parties, offices = data.overview(list(Office.objects.order_by("pk")))
        return (
            total,
            [(o.pk, f) for o, f in houses],
            [(o.pk, f) for o, f in parties],
            [(o.pk, f) for o, f in offices],
            data.trend(),
            [(o.pk if o else None, p) for o, p in data.trend_by("party")],
        )

    def assert_fresh(self) -> None:
        cached = self.read()
        with transaction.atomic():
            counted = self.read()
        self.assertEqual(cached, counted)

    def test_the_figures_are_cached_while_nothing_changes(self) -> None:
        before = self.read()
        # Written behind the services' backs, so the cached figures do not move.
        ComplianceSummary.objects.filter(pk=self.member.person.pk).update(completed=7)
        self.assertEqual(self.read(), before)
        with transaction.atomic():
            self.assertNotEqual(self.read()[0], before[0], "a transaction counts afresh")

    def test_every_change_through_the_services_is_counted_at_once(self) -> None:
        self.read()
        person = self.staffer.person
        changes = [
            lambda: services._complete(
                person=self.member.person,
                course=self.course,
                version=1,
                on=self.today,
                actor=WORKER,
            ),
            lambda: services.grant_exemption(
                person=person,
                course=None,
                reason="illness",
                detail="Sick leave",
                starts_on=self.today,
                ends_on=None,
                actor=self.security,
            ),
            lambda: record_clearance(
                person=person,
                level="SC",
                status="cleared",
                actor=self.security,
                applied_on=self.today - timedelta(days=60),
                granted_on=self.today,
                expires_on=self.today + timedelta(days=900),
            ),
            lambda: issue_device(
                person=self.member.person, serial="SOS-1", actor=self.security, today=self.today
            ),
            lambda: accounts.record_leaver(
                person=self.outsider.person,
                office=self.office_b,
                left_on=self.today,
                actor=self.security,
            ),
            # The member moves to party B in a directory import (written in bulk).
            lambda: accounts.import_directory(
                data=b"name,emails,office,role,party\n"
                b"Member,member@test.example,Office A,member,Party B\n",
                actor=self.security,
            ),
        ]
        for change in changes:
            before = self.read()
            change()
            self.assertNotEqual(self.read(), before)
            self.assert_fresh()
