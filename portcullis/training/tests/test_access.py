"""Every role, inside and outside its scope, on pages and the API.

A staffer sees only their own record; an office manager only their office; party compliance
officers nothing unless granted; security officers everything; administrators and gate officers
only their own."""

from __future__ import annotations

from datetime import date, timedelta

from django.test import Client
from django.utils import timezone

from portcullis.ledger.actors import WORKER
from portcullis.protection.models import Clearance, SosDevice
from portcullis.test import BaseTestCase
from portcullis.training import services
from portcullis.training.models import Assignment, Completion, TrainingAccessGrant
from portcullis.training.services import sync_all_assignments

from .builders import make_course, make_requirement

TODAY = date(2026, 3, 2)
EVERYONE = BaseTestCase.cast_roles


class TrainingAccessTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.course = make_course()
        make_requirement(cls.course)
        sync_all_assignments(actor=WORKER, today=TODAY)
        cls.completions = {
            name: services._complete(
                person=getattr(cls, name).person,
                course=cls.course,
                version=1,
                on=TODAY,
                actor=WORKER,
            )
            for name in ("staffer", "outsider")
        }
        for n, name in enumerate(("staffer", "outsider")):
            person = getattr(cls, name).person
            Clearance.objects.create(
                person=person, level="ctc", status="cleared", applied_on=TODAY, granted_on=TODAY
            )
            SosDevice.objects.create(person=person, serial=f"S{n}", issued_on=TODAY)

    def get(self, role: str, url: str) -> int:
        return self.client_for(getattr(self, role)).get(url).status_code

    def expect(self, url: str, allowed: set[str], denied: int = 404) -> None:
        for role in EVERYONE:
            with self.subTest(role=role, url=url):
                self.assertEqual(self.get(role, url), 200 if role in allowed else denied)

    def test_my_training_page_is_open_to_everyone_signed_in(self) -> None:
        self.expect("/training/", set(EVERYONE))
        self.expect("/training/courses/", set(EVERYONE))

    def test_a_staffers_record_is_seen_by_them_their_manager_and_security(self) -> None:
        self.expect(
            f"/training/people/{self.staffer.person.public_id}/", {"staffer", "manager", "security"}
        )

    def test_another_offices_record_is_hidden_from_the_manager(self) -> None:
        self.expect(f"/training/people/{self.outsider.person.public_id}/", {"outsider", "security"})

    def test_certificates_follow_the_same_scope(self) -> None:
        url = f"/training/certificates/{self.completions['staffer'].public_id}/"
        self.expect(url, {"staffer", "manager", "security"})

    def test_compliance_is_for_security_and_office_managers(self) -> None:
        self.expect("/training/compliance/", {"security", "manager"}, denied=403)
        self.expect(
            f"/training/compliance/offices/{self.office_a.public_id}/", {"security", "manager"}
        )
        self.expect(f"/training/compliance/offices/{self.office_b.public_id}/", {"security"})

    def test_disclosure_administration_is_for_security_officers(self) -> None:
        self.expect("/training/disclosure/", {"security"}, denied=403)

    def test_only_security_can_record_briefings_and_exemptions(self) -> None:
        url = f"/training/people/{self.staffer.person.public_id}/exemptions/"
        for role in ("staffer", "manager", "party_officer", "admin"):
            with self.subTest(role=role):
                self.assertEqual(
                    self.client_for(getattr(self, role)).post(url, {}).status_code, 403
                )
        self.assertEqual(self.client_for(self.security).post(url, {}).status_code, 400)

    def test_anonymous_visitors_are_sent_to_sign_in(self) -> None:
        for url in (
            "/training/",
            "/training/compliance/",
            f"/training/people/{self.staffer.person.public_id}/",
        ):
            with self.subTest(url=url):
                response = Client().get(url)
                self.assertEqual(response.status_code, 302)
                self.assertIn("/sign-in/", response["Location"])

    def test_a_party_officer_sees_party_members_only_once_granted(self) -> None:
        member_url = f"/training/people/{self.member.person.public_id}/"
        self.assertEqual(self.get("party_officer", member_url), 404)
        services.grant_training_access(
            grantee=self.party_officer.person,
            party_id=self.party_a.pk,
            starts_on=timezone.localdate() - timedelta(days=1),
            expires_on=None,
            actor=self.security,
        )
        self.assertEqual(self.get("party_officer", member_url), 200)
        self.assertEqual(
            self.get("party_officer", f"/training/people/{self.staffer.person.public_id}/"), 404
        )
        TrainingAccessGrant.objects.update(revoked_on=timezone.localdate())
        self.assertEqual(self.get("party_officer", member_url), 404)

    def test_the_calendar_feed_needs_the_signed_token(self) -> None:
        from portcullis.training.documents import calendar_token

        token = calendar_token(self.member.person)
        response = Client().get(f"/training/calendar/{token}.ics")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"BEGIN:VEVENT", response.content)
        self.assertIn(b"SUMMARY:Security training due: Essentials", response.content)
        self.assertEqual(Client().get(f"/training/calendar/{token}x.ics").status_code, 404)


class TrainingApiAccessTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.course = make_course()
        make_requirement(cls.course)
        sync_all_assignments(actor=WORKER, today=TODAY)
        for n, name in enumerate(("staffer", "outsider", "member")):
            person = getattr(cls, name).person
            Clearance.objects.create(person=person, level="ctc", status="applied", applied_on=TODAY)
            SosDevice.objects.create(person=person, serial=f"A{n}", issued_on=TODAY)

    def people_seen(self, role: str, url: str) -> set[str]:
        response = self.client_for(getattr(self, role)).get(url)
        self.assertEqual(response.status_code, 200)
        return {row["person"] for row in response.json()["results"]}

    def ids(self, *names: str) -> set[str]:
        return {str(getattr(self, n).person.public_id) for n in names}

    def test_assignments_are_scoped_per_role(self) -> None:
        url = "/api/v1/training/assignments/"
        expected = {
            "member": self.ids("member"),
            "staffer": self.ids("staffer"),
            "manager": self.ids("member", "staffer", "manager"),
            "outsider": self.ids("outsider"),
            "security": self.ids("member", "staffer", "manager", "outsider"),
            "gate": set(),
            "party_officer": set(),
            "admin": set(),
        }
        for role, people in expected.items():
            with self.subTest(role=role):
                self.assertEqual(self.people_seen(role, url), people)

    def test_vetting_and_devices_are_scoped_like_training(self) -> None:
        for url in ("/api/v1/protection/clearances/", "/api/v1/protection/devices/"):
            with self.subTest(url=url):
                self.assertEqual(self.people_seen("staffer", url), self.ids("staffer"))
                self.assertEqual(self.people_seen("manager", url), self.ids("staffer", "member"))
                self.assertEqual(self.people_seen("party_officer", url), set())
                self.assertEqual(self.people_seen("admin", url), set())
                self.assertEqual(
                    self.people_seen("security", url), self.ids("staffer", "outsider", "member")
                )

    def test_an_assignment_outside_scope_is_not_found(self) -> None:
        theirs = Assignment.objects.get(person=self.outsider.person)
        url = f"/api/v1/training/assignments/{theirs.public_id}/"
        self.assertEqual(self.client_for(self.manager).get(url).status_code, 404)
        self.assertEqual(self.client_for(self.security).get(url).status_code, 200)

    def test_a_granted_party_officer_sees_their_party_members_through_the_api(self) -> None:
        services.grant_training_access(
            grantee=self.party_officer.person,
            party_id=self.party_a.pk,
            starts_on=timezone.localdate(),
            expires_on=None,
            actor=self.security,
        )
        self.assertEqual(
            self.people_seen("party_officer", "/api/v1/training/assignments/"), self.ids("member")
        )

    def test_compliance_figures_follow_the_office_scope(self) -> None:
        url = "/api/v1/training/compliance/"
        self.assertEqual(self.client_for(self.security).get(url).json()["count"], 2)
        rows = self.client_for(self.manager).get(url).json()["results"]
        self.assertEqual([r["office_name"] for r in rows], ["Office A"])
        for role in ("member", "staffer", "outsider", "gate", "party_officer", "admin"):
            with self.subTest(role=role):
                self.assertEqual(self.client_for(getattr(self, role)).get(url).status_code, 403)

    def test_the_remedial_endpoint_assigns_for_security_only(self) -> None:
        body = {
            "person": str(self.staffer.person.public_id),
            "course": self.course.slug,
            "reason": "Submitted credentials in test T-3",
            "due_on": str(timezone.localdate() + timedelta(days=7)),
        }
        url = "/api/v1/training/remedial/"
        for role in ("manager", "staffer", "party_officer", "admin"):
            with self.subTest(role=role):
                self.assertEqual(
                    self.client_for(getattr(self, role)).post(url, body).status_code, 403
                )
        response = self.client_for(self.security).post(url, body)
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["reason"], "Submitted credentials in test T-3")
        unknown = body | {"person": "00000000-0000-0000-0000-000000000000"}
        self.assertEqual(self.client_for(self.security).post(url, unknown).status_code, 404)
        past = body | {"due_on": "2000-01-01"}
        self.assertEqual(self.client_for(self.security).post(url, past).status_code, 400)

    def test_anonymous_api_calls_are_refused(self) -> None:
        for url in (
            "/api/v1/training/assignments/",
            "/api/v1/protection/clearances/",
            "/api/v1/training/compliance/",
        ):
            with self.subTest(url=url):
                self.assertIn(Client().get(url).status_code, (401, 403))

    def test_completions_api_shows_own_only_to_a_staffer(self) -> None:
        services._complete(
            person=self.outsider.person, course=self.course, version=1, on=TODAY, actor=WORKER
        )
        services._complete(
            person=self.staffer.person, course=self.course, version=1, on=TODAY, actor=WORKER
        )
        self.assertEqual(
            self.people_seen("staffer", "/api/v1/training/completions/"), self.ids("staffer")
        )
        self.assertEqual(Completion.objects.count(), 2)
