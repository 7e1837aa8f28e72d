"""Assignments follow people as they join, move and leave, and recur as time moves forward."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portcullis.accounts.models import Membership, Role
from portcullis.ledger.actors import WORKER
from portcullis.ledger.models import LedgerEntry
from portcullis.protection.models import ExposureProfile
from portcullis.test import BaseTestCase, make_person
from portcullis.training import services
from portcullis.training.models import Assignment, Completion
from portcullis.training.services import sync_all_assignments, sync_assignments

from .builders import make_course, make_requirement, set_started

D0 = date(2026, 1, 5)


def open_courses(person) -> set[str]:  # type: ignore[no-untyped-def]
    return set(
        Assignment.objects.open().filter(person=person).values_list("course__slug", flat=True)
    )


def complete(person, course, on: date) -> Completion:  # type: ignore[no-untyped-def]
    return services._complete(
        person=person, course=course, version=course.version, on=on, actor=WORKER
    )


class NewStarterTests(BaseTestCase):
    def test_a_new_starter_gets_the_course_due_within_the_window(self) -> None:
        course = make_course()
        make_requirement(course, due_within_days=30)
        set_started(self.staffer.person, D0)
        sync_assignments(person=self.staffer.person, actor=WORKER, today=D0)
        assignment = Assignment.objects.get(person=self.staffer.person)
        self.assertEqual(assignment.due_on, D0 + timedelta(days=30))
        self.assertTrue(LedgerEntry.objects.filter(action="assignment.create").exists())

    def test_syncing_twice_creates_nothing_new(self) -> None:
        make_requirement(make_course())
        sync_assignments(person=self.staffer.person, actor=WORKER, today=D0)
        again = sync_assignments(person=self.staffer.person, actor=WORKER, today=D0)
        self.assertEqual(again.created, [])
        self.assertEqual(Assignment.objects.filter(person=self.staffer.person).count(), 1)

    def test_a_role_requirement_skips_other_roles(self) -> None:
        make_requirement(
            make_course("alert-handling"), roles=[Role.SECURITY_OFFICER], every_months=None
        )
        sync_all_assignments(actor=WORKER, today=D0)
        self.assertEqual(open_courses(self.security.person), {"alert-handling"})
        self.assertEqual(open_courses(self.staffer.person), set())

    def test_an_exposure_tier_requirement_applies_only_at_or_above_the_tier(self) -> None:
        make_requirement(make_course("travel"), min_exposure_tier=ExposureProfile.Tier.HIGH)
        ExposureProfile.objects.create(person=self.member.person, tier=3, updated_on=D0)
        ExposureProfile.objects.create(person=self.staffer.person, tier=2, updated_on=D0)
        sync_all_assignments(actor=WORKER, today=D0)
        self.assertEqual(open_courses(self.member.person), {"travel"})
        self.assertEqual(open_courses(self.staffer.person), set())

    def test_a_valid_earlier_completion_satisfies_a_new_requirement(self) -> None:
        course = make_course()
        complete(self.staffer.person, course, D0 - timedelta(days=100))
        make_requirement(course, every_months=12)
        sync_assignments(person=self.staffer.person, actor=WORKER, today=D0)
        self.assertEqual(Assignment.objects.get(person=self.staffer.person).status, "completed")


class MoversAndLeaversTests(BaseTestCase):
    def test_moving_office_swaps_office_specific_assignments(self) -> None:
        a_course, b_course = make_course("office-a-brief"), make_course("office-b-brief")
        make_requirement(a_course, office=self.office_a)
        make_requirement(b_course, office=self.office_b)
        person = self.staffer.person
        sync_assignments(person=person, actor=WORKER, today=D0)
        self.assertEqual(open_courses(person), {"office-a-brief"})

        moved_on = D0 + timedelta(days=60)
        Membership.objects.filter(person=person).update(ended_on=moved_on)
        Membership.objects.create(
            person=person,
            organisation=self.office_b.organisation,
            office=self.office_b,
            role=Role.STAFFER,
            started_on=moved_on,
        )
        result = sync_assignments(person=person, actor=WORKER, today=moved_on)
        self.assertEqual(open_courses(person), {"office-b-brief"})
        self.assertEqual([a.course.slug for a in result.retired], ["office-a-brief"])
        new = Assignment.objects.get(person=person, course=b_course)
        self.assertEqual(new.due_on, moved_on + timedelta(days=30))

    def test_promotion_to_office_manager_adds_the_managers_course_and_keeps_the_rest(self) -> None:
        make_requirement(make_course("essentials"))
        make_requirement(make_course("incident"), roles=[Role.OFFICE_MANAGER], every_months=None)
        person = self.staffer.person
        sync_assignments(person=person, actor=WORKER, today=D0)
        self.assertEqual(open_courses(person), {"essentials"})
        Membership.objects.filter(person=person).update(ended_on=D0)
        Membership.objects.create(
            person=person,
            organisation=self.house,
            office=self.office_a,
            role=Role.OFFICE_MANAGER,
            started_on=D0,
        )
        sync_assignments(person=person, actor=WORKER, today=D0 + timedelta(days=1))
        self.assertEqual(open_courses(person), {"essentials", "incident"})

    def test_a_leaver_loses_every_open_assignment_including_remedial(self) -> None:
        course = make_course()
        make_requirement(course)
        person = self.outsider.person
        sync_assignments(person=person, actor=WORKER, today=D0)
        services.assign_remedial_training(
            person=person, course=make_course("phish"), reason="test", due_on=None, actor=WORKER
        )
        Membership.objects.filter(person=person).update(ended_on=D0 + timedelta(days=3))
        sync_all_assignments(actor=WORKER, today=D0 + timedelta(days=3))
        self.assertEqual(open_courses(person), set())
        self.assertEqual(Assignment.objects.filter(person=person, status="retired").count(), 2)


class RecurrenceTests(BaseTestCase):
    def test_an_annual_course_comes_round_again_a_year_after_completion(self) -> None:
        course = make_course()
        make_requirement(course, every_months=12)
        person = self.staffer.person
        sync_assignments(person=person, actor=WORKER, today=D0)
        done_on = D0 + timedelta(days=10)
        complete(person, course, done_on)
        for day in range(0, 400, 7):  # time moves forward a week at a time
            sync_assignments(person=person, actor=WORKER, today=done_on + timedelta(days=day))
        cycles = list(Assignment.objects.filter(person=person).order_by("due_on"))
        self.assertEqual(len(cycles), 2)
        self.assertEqual(cycles[1].due_on, date(2027, 1, 15))
        self.assertEqual(cycles[1].status, "open")
        self.assertTrue(cycles[1].is_current)
        self.assertFalse(cycles[0].is_current)

    def test_nothing_new_appears_before_the_lead_time(self) -> None:
        course = make_course()
        make_requirement(course, every_months=12)
        person = self.staffer.person
        sync_assignments(person=person, actor=WORKER, today=D0)
        complete(person, course, D0)
        sync_assignments(person=person, actor=WORKER, today=D0 + timedelta(days=300))
        self.assertEqual(open_courses(person), set())

    def test_a_once_only_course_never_recurs(self) -> None:
        course = make_course()
        make_requirement(course, every_months=None)
        person = self.staffer.person
        sync_assignments(person=person, actor=WORKER, today=D0)
        complete(person, course, D0)
        sync_assignments(person=person, actor=WORKER, today=D0 + timedelta(days=1500))
        self.assertEqual(Assignment.objects.filter(person=person).count(), 1)

    def test_a_substantive_new_version_requires_re_completion(self) -> None:
        course = make_course()
        make_requirement(course, every_months=None)
        person = self.staffer.person
        sync_assignments(person=person, actor=WORKER, today=D0)
        complete(person, course, D0)
        services.publish_course_version(
            course=course, substantive=False, note="typo", actor=self.security
        )
        sync_assignments(person=person, actor=WORKER, today=D0 + timedelta(days=5))
        self.assertEqual(open_courses(person), set())
        services.publish_course_version(
            course=course, substantive=True, note="new threat", actor=self.security
        )
        sync_assignments(person=person, actor=WORKER, today=D0 + timedelta(days=6))
        self.assertEqual(open_courses(person), {course.slug})


class RemedialTests(BaseTestCase):
    def test_remedial_training_is_assigned_with_reason_and_due_date(self) -> None:
        course = make_course("phishing")
        due = timezone.localdate() + timedelta(days=10)
        a = services.assign_remedial_training(
            person=self.staffer.person,
            course=course,
            reason="Submitted credentials in test T-7",
            due_on=due,
            actor=self.security,
        )
        self.assertEqual(
            (a.source, a.reason, a.due_on), ("remedial", "Submitted credentials in test T-7", due)
        )
        entry = LedgerEntry.objects.get(action="assignment.assign_remedial")
        self.assertEqual(entry.data["reason"], "Submitted credentials in test T-7")

    def test_assigning_the_same_remedial_course_twice_keeps_one_open_assignment(self) -> None:
        course = make_course("phishing")
        for _ in range(2):
            services.assign_remedial_training(
                person=self.staffer.person, course=course, reason="again", due_on=None, actor=WORKER
            )
        self.assertEqual(Assignment.objects.filter(person=self.staffer.person).count(), 1)

    def test_a_due_date_in_the_past_is_refused(self) -> None:
        with self.assertRaises(services.TrainingError):
            services.assign_remedial_training(
                person=self.staffer.person,
                course=make_course(),
                reason="x",
                due_on=date(2000, 1, 1),
                actor=WORKER,
            )

    def test_an_external_briefing_counts_as_completion_with_evidence(self) -> None:
        course = make_course()
        make_requirement(course)
        sync_assignments(person=self.staffer.person, actor=WORKER, today=D0)
        completion = services.record_external_completion(
            person=self.staffer.person,
            course=course,
            completed_on=D0,
            evidence_note="Group briefing by PSD, signed register",
            actor=self.security,
        )
        self.assertEqual(completion.method, "external")
        self.assertEqual(completion.recorded_by, self.security)
        self.assertEqual(open_courses(self.staffer.person), set())

    def test_an_external_briefing_without_evidence_is_refused(self) -> None:
        with self.assertRaises(services.TrainingError):
            services.record_external_completion(
                person=self.staffer.person,
                course=make_course(),
                completed_on=D0,
                evidence_note=" ",
                actor=self.security,
            )


class SyncInBulk(BaseTestCase):
    """The sync works set-wise: a re-sync with nothing changed writes nothing at all, and the
    number of queries does not grow with the number of people."""

    def setUp(self) -> None:
        make_requirement(make_course("essentials"))
        make_requirement(make_course("annual"), every_months=12)

    def writes(self, queries: list[dict[str, str]]) -> list[str]:
        verbs = ("INSERT", "UPDATE", "DELETE")
        return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(verbs)]

    def test_a_re_sync_with_nothing_changed_writes_nothing(self) -> None:
        first = sync_all_assignments(actor=WORKER, today=D0)
        self.assertGreater(len(first.created), 4)
        entries = LedgerEntry.objects.count()
        with CaptureQueriesContext(connection) as queries:
            again = sync_all_assignments(actor=WORKER, today=D0 + timedelta(days=1))
        self.assertEqual((again.created, again.retired), ([], []))
        self.assertEqual(self.writes(queries.captured_queries), [])
        self.assertEqual(LedgerEntry.objects.count(), entries)

    def test_the_queries_do_not_grow_with_the_people(self) -> None:
        def queries_for_new_people(count: int) -> int:
            for n in range(count):
                person = make_person(f"Bulk Person {count}.{n}")
                Membership.objects.create(
                    person=person, organisation=self.house, office=self.office_a, role=Role.STAFFER
                )
            with CaptureQueriesContext(connection) as queries:
                sync_all_assignments(actor=WORKER, today=D0)
            return len(queries)

        queries_for_new_people(1)
        self.assertEqual(queries_for_new_people(2), queries_for_new_people(12))
