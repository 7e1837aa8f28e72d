"""Office managers record their own office's starters, leavers and address changes; the security
team gives and ends roles. Each change is a service with a ledger row; another office is a 404."""

from __future__ import annotations

from django.urls import reverse

from portcullis.accounts.models import Membership, Person, PersonEmail, Role, User
from portcullis.ledger.models import LedgerEntry
from portcullis.test import BaseTestCase

STARTER = {
    "full_name": "Nia Evans",
    "email": "Nia.Evans@test.example",
    "role": "staffer",
    "started_on": "2026-03-02",
}


class OfficeManagerTests(BaseTestCase):
    def starter_url(self, office=None):
        return reverse("accounts:starter-new", args=[(office or self.office_a).public_id])

    def test_a_manager_adds_a_starter_to_their_office_with_a_ledger_row(self) -> None:
        response = self.client_for(self.manager).post(self.starter_url(), STARTER)
        self.assertRedirects(
            response, reverse("accounts:office-detail", args=[self.office_a.public_id])
        )
        person = Person.objects.get(full_name="Nia Evans")
        self.assertEqual(person.primary_email, "nia.evans@test.example")
        (membership,) = person.active_memberships()
        self.assertEqual((membership.office, membership.role), (self.office_a, Role.STAFFER))
        entry = LedgerEntry.objects.get(action="person.start")
        self.assertEqual((entry.actor, entry.target_id), (self.manager, str(person.pk)))

    def test_a_manager_of_another_office_gets_a_404_and_nothing_changes(self) -> None:
        people = Person.objects.count()
        client = self.client_for(self.manager)
        self.assertEqual(client.get(self.starter_url(self.office_b)).status_code, 404)
        self.assertEqual(client.post(self.starter_url(self.office_b), STARTER).status_code, 404)
        for name in ("accounts:leaver", "accounts:email-change"):
            url = reverse(name, args=[self.office_b.public_id, self.outsider.person.public_id])
            self.assertEqual(client.post(url, {"left_on": "2026-03-02"}).status_code, 404)
        self.assertEqual(Person.objects.count(), people)
        self.assertTrue(self.outsider.person.active_memberships().exists())

    def test_someone_in_another_office_cannot_be_reached_through_the_managers_office(self) -> None:
        url = reverse(
            "accounts:leaver", args=[self.office_a.public_id, self.outsider.person.public_id]
        )
        self.assertEqual(self.client_for(self.manager).get(url).status_code, 404)

    def test_roles_without_an_office_to_manage_are_refused(self) -> None:
        for role in ("member", "staffer", "outsider", "gate", "party_officer", "admin"):
            with self.subTest(role=role):
                response = self.client_for(getattr(self, role)).get(self.starter_url())
                self.assertEqual(response.status_code, 403)

    def test_the_security_team_may_record_for_any_office(self) -> None:
        response = self.client_for(self.security).post(self.starter_url(self.office_b), STARTER)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(
            Membership.objects.filter(office=self.office_b, person__full_name="Nia Evans")
        )

    def test_an_empty_starter_form_names_every_field(self) -> None:
        response = self.client_for(self.manager).post(self.starter_url(), {"role": ""})
        self.assertEqual(
            dict(response.context["form"].errors),
            {
                "full_name": ["Enter their full name"],
                "email": ["Enter their e-mail address"],
                "role": ["Choose their role"],
                "started_on": ["Enter their first day"],
            },
        )
        self.assertContains(response, 'href="#id_full_name"')

    def test_an_address_already_in_the_directory_is_refused_on_its_field(self) -> None:
        data = STARTER | {"email": self.staffer.email}
        response = self.client_for(self.manager).post(self.starter_url(), data)
        self.assertEqual(
            response.context["form"].errors["email"],
            ["Someone in the directory already has this e-mail address"],
        )
        self.assertFalse(Person.objects.filter(full_name="Nia Evans").exists())

    def test_a_manager_records_a_leaver_and_only_this_office_ends(self) -> None:
        person = self.staffer.person
        Membership.objects.create(
            person=person,
            organisation=self.office_b.organisation,
            office=self.office_b,
            role=Role.STAFFER,
        )
        url = reverse("accounts:leaver", args=[self.office_a.public_id, person.public_id])
        client = self.client_for(self.manager)
        self.assertEqual(
            client.post(url, {}).context["form"].errors["left_on"], ["Enter their last day"]
        )
        self.assertEqual(client.post(url, {"left_on": "2026-04-30"}).status_code, 302)
        self.assertEqual([m.office for m in person.active_memberships()], [self.office_b])
        ended = Membership.objects.get(person=person, office=self.office_a)
        self.assertEqual(str(ended.ended_on), "2026-04-30")
        self.assertEqual(LedgerEntry.objects.get(action="person.leave").actor, self.manager)

    def test_a_manager_corrects_an_address_and_the_person_signs_in_with_it(self) -> None:
        url = reverse(
            "accounts:email-change", args=[self.office_a.public_id, self.staffer.person.public_id]
        )
        client = self.client_for(self.manager)
        self.assertEqual(
            client.post(url, {"email": "not an address"}).context["form"].errors["email"],
            ["Enter an e-mail address in the correct format, like name@example.com"],
        )
        self.assertEqual(client.post(url, {"email": "s.taffer@test.example"}).status_code, 302)
        self.staffer.refresh_from_db()
        self.assertEqual(self.staffer.email, "s.taffer@test.example")
        self.assertEqual(self.staffer.person.primary_email, "s.taffer@test.example")
        self.assertFalse(PersonEmail.objects.filter(address="staffer@test.example").exists())
        entry = LedgerEntry.objects.get(action="person.email_change")
        self.assertEqual(
            entry.data, {"from": "staffer@test.example", "to": "s.taffer@test.example"}
        )

    def test_the_office_page_offers_the_changes_to_its_manager_only(self) -> None:
        url = reverse("accounts:office-detail", args=[self.office_a.public_id])
        self.assertContains(self.client_for(self.manager).get(url), "Add a new starter")
        self.assertNotContains(self.client_for(self.staffer).get(url), "Add a new starter")


class SecurityTeamRoleTests(BaseTestCase):
    def test_the_security_team_gives_and_ends_a_role_with_ledger_rows(self) -> None:
        person = self.outsider.person
        client = self.client_for(self.security)
        url = reverse("accounts:membership-new", args=[person.public_id])
        data = {
            "organisation": self.security_team.pk,
            "role": Role.SECURITY_OFFICER,
            "started_on": "2026-03-02",
        }
        self.assertEqual(client.post(url, data).status_code, 302)
        user = User.objects.get(pk=self.outsider.pk)
        self.assertTrue(user.scope.has(Role.SECURITY_OFFICER))
        self.assertTrue(LedgerEntry.objects.filter(action="membership.grant", actor=self.security))
        granted = person.memberships.get(role=Role.SECURITY_OFFICER)
        end = reverse("accounts:membership-end", args=[person.public_id, granted.public_id])
        self.assertEqual(client.post(end, {"ended_on": "2026-03-03"}).status_code, 302)
        self.assertFalse(User.objects.get(pk=self.outsider.pk).scope.has(Role.SECURITY_OFFICER))
        self.assertTrue(LedgerEntry.objects.filter(action="membership.end", actor=self.security))

    def test_a_role_in_the_wrong_kind_of_organisation_is_refused_on_its_field(self) -> None:
        url = reverse("accounts:membership-new", args=[self.outsider.person.public_id])
        data = {
            "organisation": self.party_a.pk,
            "role": Role.SECURITY_OFFICER,
            "started_on": "2026-03-02",
        }
        form = self.client_for(self.security).post(url, data).context["form"]
        self.assertEqual(
            form.errors["organisation"], ["A Security officer belongs to a security team."]
        )

    def test_no_one_else_gives_roles(self) -> None:
        url = reverse("accounts:membership-new", args=[self.outsider.person.public_id])
        for role in ("member", "staffer", "manager", "gate", "party_officer", "admin"):
            with self.subTest(role=role):
                self.assertEqual(self.client_for(getattr(self, role)).get(url).status_code, 403)


class MemberDashboardTests(BaseTestCase):
    def test_a_member_sees_their_own_offices_compliance_and_protection(self) -> None:
        page = self.client_for(self.member).get(reverse("dashboard"))
        self.assertContains(page, "Your office’s protection")
        rows = next(
            c["rows"] for p, c in page.context["panels"] if p.name == "training.member_office"
        )
        self.assertEqual([o for o, _ in rows], [self.office_a])
        self.assertContains(page, "staff cleared")

    def test_no_one_else_gets_the_members_panel(self) -> None:
        for role in ("staffer", "manager", "outsider", "security", "admin"):
            with self.subTest(role=role):
                page = self.client_for(getattr(self, role)).get(reverse("dashboard"))
                self.assertNotContains(page, "Your office’s protection")
