"""Compliance figures: training, vetting and devices per office, house and party; trend."""

from __future__ import annotations

from datetime import date, timedelta

from portcullis.accounts.models import Membership, Office
from portcullis.ledger.actors import WORKER
from portcullis.protection.models import Clearance, SosDevice
from portcullis.test import BaseTestCase, make_office
from portcullis.training import services
from portcullis.training.compliance import Compliance
from portcullis.training.services import sync_all_assignments

from .builders import make_course, make_requirement, set_started

START = date(2026, 1, 5)
TODAY = START + timedelta(days=60)


class ComplianceFigureTests(BaseTestCase):
    def setUp(self) -> None:
        self.course = make_course()
        make_requirement(self.course, due_within_days=30)
        for user in (self.member, self.staffer, self.manager, self.outsider):
            set_started(user.person, START)
        sync_all_assignments(actor=WORKER, today=START)
        services._complete(
            person=self.member.person, course=self.course, version=1, on=START, actor=WORKER
        )
        services.grant_exemption(
            person=self.manager.person,
            reason="leave",
            detail="Leave",
            starts_on=START,
            ends_on=None,
            actor=self.security,
        )

    def figures_a(self):  # type: ignore[no-untyped-def]
        return Compliance(Office.objects.filter(pk=self.office_a.pk), TODAY).total()

    def test_an_office_counts_assigned_completed_overdue_and_exempt(self) -> None:
        f = self.figures_a()
        self.assertEqual((f.people, f.assigned, f.completed, f.overdue, f.exempt), (3, 3, 1, 1, 1))
        self.assertEqual(f.percent_complete, 50)

    def test_funded_staff_without_a_current_clearance_are_counted(self) -> None:
        Clearance.objects.create(
            person=self.staffer.person,
            level="ctc",
            status="cleared",
            applied_on=START,
            granted_on=START,
            expires_on=TODAY + timedelta(days=100),
        )
        Clearance.objects.create(
            person=self.manager.person,
            level="sc",
            status="cleared",
            applied_on=START,
            granted_on=START,
            expires_on=TODAY - timedelta(days=1),
        )
        f = self.figures_a()
        self.assertEqual((f.funded_staff, f.cleared, f.renewal_due, f.not_cleared), (2, 1, 1, 1))

    def test_devices_issued_tested_and_returned(self) -> None:
        SosDevice.objects.create(
            person=self.member.person, serial="M1", issued_on=START, last_tested_on=START
        )
        SosDevice.objects.create(
            person=self.staffer.person, serial="S1", issued_on=START, returned_on=TODAY
        )
        f = self.figures_a()
        self.assertEqual(
            (f.devices_issued, f.devices_returned, f.members_without_device), (1, 1, 0)
        )
        later = Compliance(Office.objects.filter(pk=self.office_a.pk), START + timedelta(days=120))
        self.assertEqual(later.total().devices_test_overdue, 1)

    def test_an_office_with_overdue_training_is_not_protected(self) -> None:
        self.assertFalse(self.figures_a().protected)

    def test_the_trend_shows_completion_by_month_end(self) -> None:
        data = Compliance(Office.objects.all(), TODAY)
        points = {p["month"]: p for p in data.trend(months=3)}
        self.assertIsNone(points[date(2026, 1, 31)]["percent"])
        self.assertEqual(points[TODAY]["due"], 4)
        self.assertEqual(points[TODAY]["done"], 1)

    def test_the_trend_by_house_party_and_office_is_the_trend_per_group(self) -> None:
        data = Compliance(Office.objects.all(), TODAY)
        ((everyone, points),) = data.trend_by("all", months=3)
        self.assertIsNone(everyone)
        self.assertEqual(points, data.trend(months=3))
        houses = {str(org): p[-1] for org, p in data.trend_by("house", months=3)}
        self.assertEqual(set(houses), {"Test Lower Chamber", "Test Upper Chamber"})
        self.assertEqual(sum(p["due"] for p in houses.values()), data.trend(months=3)[-1]["due"])
        offices = {str(o): p[-1] for o, p in data.trend_by("office", months=3)}
        alone = Compliance(Office.objects.filter(pk=self.office_a.pk), TODAY).trend(months=3)
        self.assertEqual(offices[str(self.office_a)], alone[-1])
        parties = [str(org) for org, _ in data.trend_by("party", months=3)]
        self.assertEqual(parties, ["Party A"])

    def test_the_compliance_page_draws_the_trends_as_images_with_their_tables(self) -> None:
        page = self.client_for(self.security).get("/training/compliance/").content.decode()
        for title in ("everyone in view", "by house", "by party"):
            self.assertIn(
                f"Training done {title}"
                if title != "everyone in view"
                else "Training done, everyone in view",
                page,
            )
        self.assertEqual(page.count('role="img"'), 3)
        self.assertIn("<desc", page)
        self.assertIn('<th scope="row" class="govuk-table__header">March 2026</th>', page)

    def test_house_and_party_rows_group_offices(self) -> None:
        data = Compliance(Office.objects.all(), TODAY)
        houses = {org.name: f.people for org, f in data.by_group("house")}
        self.assertEqual(houses, {"Test Lower Chamber": 3, "Test Upper Chamber": 1})
        parties = {org.name: f.people for org, f in data.by_group("party")}
        self.assertEqual(parties, {"Party A": 3})

    def test_a_person_in_two_offices_of_a_house_counts_once_in_it_and_in_each_office(self) -> None:
        second = make_office("Office A2", self.house)
        Membership.objects.create(
            person=self.staffer.person, organisation=self.house, office=second, role="staffer"
        )
        data = Compliance(Office.objects.all(), TODAY)
        listed = list(Office.objects.order_by("name"))
        total, houses, parties, in_overview = data.overview(listed)
        self.assertEqual(total.people, 4)
        self.assertEqual({org.name: f.people for org, f in houses}["Test Lower Chamber"], 3)
        self.assertEqual([org.name for org, _ in parties], ["Party A"])
        for rows in (in_overview, data.by_office(listed)):
            offices = {o.name: f for o, f in rows}
            self.assertEqual((offices["Office A"].people, offices["Office A2"].people), (3, 1))
            self.assertEqual(offices["Office A2"].assigned, 1)
            self.assertEqual(offices["Office A"].funded_staff, 2)

    def test_the_office_table_is_paginated(self) -> None:
        for n in range(55):
            make_office(f"Office Z{n:02}", self.house)
        client = self.client_for(self.security)
        first = client.get("/training/compliance/").content.decode()
        self.assertIn("Page 1 of 2", first)
        self.assertNotIn("Office Z54", first)
        self.assertIn("Office Z54", client.get("/training/compliance/?page=2").content.decode())

    def test_the_manager_sees_the_office_figure_change_after_a_completion(self) -> None:
        client = self.client_for(self.manager)
        url = f"/training/compliance/offices/{self.office_a.public_id}/"
        before = client.get(url)
        self.assertContains(before, "50%")
        services._complete(
            person=self.staffer.person, course=self.course, version=1, on=TODAY, actor=WORKER
        )
        self.assertContains(client.get(url), "100%")

    def test_the_security_compliance_page_lists_houses_parties_and_offices(self) -> None:
        page = self.client_for(self.security).get("/training/compliance/")
        for text in (
            "By house",
            "By party",
            "Office A",
            "Office B",
            "Party A",
            "Test Upper Chamber",
        ):
            self.assertContains(page, text)
        filtered = self.client_for(self.security).get(
            f"/training/compliance/?house={self.other_house.public_id}"
        )
        self.assertContains(filtered, "Office B")
        self.assertNotContains(filtered, f"compliance/offices/{self.office_a.public_id}/")

    def test_the_managers_page_shows_only_their_office_and_no_group_totals(self) -> None:
        page = self.client_for(self.manager).get("/training/compliance/")
        self.assertContains(page, "Office A")
        self.assertNotContains(page, "Office B")
        self.assertNotContains(page, "By house")
