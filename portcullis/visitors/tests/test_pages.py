"""The visitors pages as each role uses them: invite, confirm, the gate's check-in, the security
check, on site, roll calls and the log export; and what each role may not see (a 404)."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portcullis.intel.tests.builders import IMMEDIATE_TASKS, make_alert
from portcullis.test import BaseTestCase
from portcullis.visitors import notify, services
from portcullis.visitors.models import Invitation, RollCall, Visit

from .builders import PASSPORT, area, invite, ready_today


def url(name: str, *args: object) -> str:
    return reverse(f"visitors:{name}", args=args)


@IMMEDIATE_TASKS
class InvitingThroughThePage(BaseTestCase):
    def test_a_staffer_invites_a_visitor_and_a_group(self) -> None:
        day = timezone.localdate() + timedelta(days=3)
        response = self.client_for(self.staffer).post(
            url("invite"),
            {
                "office": self.office_a.pk,
                "day": day.strftime("%d %m %Y"),
                "starts": "10:00",
                "ends": "11:30",
                "area": area().pk,
                "purpose": "Inquiry evidence session",
                "name": "Jane Visitor",
                "organisation": "Example Trust",
                "email": "jane@example.org",
                "group": "John Visitor, Example Trust, john@example.org\nAnne Other",
                "escorts": [self.manager.pk],
            },
        )
        invitation = Invitation.objects.get()
        self.assertRedirects(response, invitation.get_absolute_url())
        self.assertEqual(invitation.visits.count(), 3)
        self.assertEqual(list(invitation.escorts.all()), [self.manager])

    def test_an_empty_form_names_its_fields(self) -> None:
        response = self.client_for(self.staffer).post(url("invite"), {})
        self.assertContains(response, "Enter the day of the visit")
        self.assertContains(response, "Enter visitor&#x27;s name, as on their photo ID")
        self.assertFalse(Invitation.objects.exists())

    def test_the_gate_officer_cannot_invite(self) -> None:
        self.assertEqual(self.client_for(self.gate).get(url("invite")).status_code, 403)


@IMMEDIATE_TASKS
class ConfirmingAsTheVisitor(BaseTestCase):
    def test_the_visitor_confirms_without_signing_in_and_consent_is_dated(self) -> None:
        visit = invite(self.staffer, "Jane Visitor").visits.get()
        page = url("confirm", notify.confirm_token(visit))
        client = Client()
        self.assertContains(client.get(page), "Confirm your visit")
        response = client.post(page, {"name": "Jane Q Visitor", "email": "jane@example.org"})
        self.assertContains(response, "Tick")
        client.post(page, {"name": "Jane Q Visitor", "email": "jane@example.org", "consent": "on"})
        visit.refresh_from_db()
        self.assertIsNotNone(visit.confirmed_at)
        self.assertEqual(visit.name, "Jane Q Visitor")

    def test_a_forged_link_opens_nothing(self) -> None:
        self.assertEqual(Client().get(url("confirm", "forged-token")).status_code, 404)


@IMMEDIATE_TASKS
class AtTheGate(BaseTestCase):
    def setUp(self) -> None:
        services.arrive_on_estate(user=self.staffer, actor=self.staffer)
        (self.visit,) = ready_today(self.staffer, "Jane Visitor", approver=self.security)
        self.gate_client = self.client_for(self.gate)

    def check_in(self, visit: Visit) -> object:
        return self.gate_client.post(
            url("gate-visit", visit.public_id),
            {
                "id_type": "passport",
                "name_matches": "yes",
                "expires_on": PASSPORT.expires_on.strftime("%d %m %Y"),  # type: ignore[union-attr]
                "escort": self.staffer.pk,
            },
        )

    def test_a_scanned_code_opens_the_visit_and_the_gate_admits_with_a_pass(self) -> None:
        response = self.gate_client.get(url("gate"), {"q": self.visit.qr_text})
        self.assertRedirects(response, url("gate-visit", self.visit.public_id))
        self.assertRedirects(self.check_in(self.visit), url("pass", self.visit.public_id))
        self.visit.refresh_from_db()
        self.assertEqual(self.visit.status, Visit.Status.ON_SITE)
        self.assertIsNone(getattr(self.visit, "id_number", None))
        page = self.gate_client.get(url("pass", self.visit.public_id))
        self.assertContains(page, "Must be escorted at all times")
        badge = self.gate_client.get(url("badge", self.visit.public_id))
        self.assertEqual(badge["Content-Type"], "application/pdf")
        self.assertTrue(badge.content.startswith(b"%PDF"))

    def test_search_by_name_lists_todays_visitors(self) -> None:
        self.assertContains(self.gate_client.get(url("gate"), {"q": "jane"}), "Jane Visitor")

    def test_search_finds_part_of_a_name_in_any_case_and_nothing_else(self) -> None:
        self.assertContains(self.gate_client.get(url("gate"), {"q": "NE vis"}), "Jane Visitor")
        page = self.gate_client.get(url("gate"), {"q": "janet"})
        self.assertContains(page, "Nobody expected today matches")
        self.assertNotContains(page, "Jane Visitor")

    def test_an_unconfirmed_visitor_is_not_admitted_through_the_page(self) -> None:
        invitation = invite(self.staffer, "Late Larry", hours_ahead=0)
        services.decide_approval(invitation=invitation, approve=True, actor=self.security)
        visit = invitation.visits.get()
        response = self.check_in(visit)
        self.assertContains(response, "not confirmed their details")
        visit.refresh_from_db()
        self.assertEqual(visit.status, Visit.Status.EXPECTED)

    def test_refusal_is_recorded_with_its_reason(self) -> None:
        self.gate_client.post(url("refuse", self.visit.public_id), {"reason": "ID name differs"})
        self.visit.refresh_from_db()
        self.assertEqual(
            (self.visit.status, self.visit.refused_reason), ("refused", "ID name differs")
        )

    def test_on_site_list_and_check_out(self) -> None:
        self.check_in(self.visit)
        self.assertContains(self.gate_client.get(url("on-site")), "Jane Visitor")
        self.gate_client.post(url("check-out", self.visit.public_id))
        self.visit.refresh_from_db()
        self.assertEqual(self.visit.status, Visit.Status.LEFT)

    def test_a_walk_in_without_a_host_is_refused_on_the_page(self) -> None:
        response = self.gate_client.post(url("walk-in"), {"name": "Wally", "area": area().pk})
        self.assertContains(response, "cannot name a host")

    def test_a_walk_in_naming_a_host_waits_for_them(self) -> None:
        self.gate_client.post(
            url("walk-in"), {"name": "Wally", "area": area().pk, "host_email": self.staffer.email}
        )
        walk_in = Visit.objects.get(name="Wally")
        self.assertEqual(walk_in.invitation.approval, Invitation.Approval.WAITING)
        self.assertContains(self.client_for(self.staffer).get(url("approvals")), "Wally")


@IMMEDIATE_TASKS
class WhoSeesWhat(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_alert(cls.security)
        cls.held = invite(cls.staffer, "邱 Amanda", hours_ahead=0).visits.get()
        cls.later = invite(cls.staffer, "Next Week", hours_ahead=24 * 6).visits.get()

    def test_the_host_sees_held_for_a_security_check_and_never_why(self) -> None:
        page = self.client_for(self.staffer).get(self.held.get_absolute_url())
        self.assertContains(page, "Held for a security check")
        self.assertNotContains(page, "Amanda Qiu")
        self.assertNotContains(page, "A-")

    def test_the_gate_sees_todays_visitor_without_screening_reasons(self) -> None:
        page = self.client_for(self.gate).get(self.held.get_absolute_url())
        self.assertContains(page, "Held for a security check")
        self.assertNotContains(page, "Amanda Qiu")

    def test_the_security_officer_sees_why_and_decides(self) -> None:
        client = self.client_for(self.security)
        self.assertContains(client.get(self.held.get_absolute_url()), "Amanda Qiu")
        client.post(
            url("decide-check", self.held.public_id),
            {"decision": "clear", "reason": "Different person"},
        )
        self.held.refresh_from_db()
        self.assertEqual(self.held.clearance, Visit.Clearance.CLEARED)

    def test_only_the_security_team_decides(self) -> None:
        response = self.client_for(self.manager).post(
            url("decide-check", self.held.public_id), {"decision": "clear", "reason": "x"}
        )
        self.assertEqual(response.status_code, 403)

    def test_another_offices_visit_is_a_404(self) -> None:
        for path in (self.held.get_absolute_url(), self.held.invitation.get_absolute_url()):
            self.assertEqual(self.client_for(self.outsider).get(path).status_code, 404)

    def test_the_office_manager_sees_the_offices_visits(self) -> None:
        self.assertEqual(
            self.client_for(self.manager).get(self.held.get_absolute_url()).status_code, 200
        )

    def test_a_co_host_and_a_named_escort_see_the_visit_and_their_colleague_does_not(self) -> None:
        co_hosted = invite(self.staffer, "Cora Guest", hours_ahead=24 * 6, co_hosts=[self.outsider])
        escorted = invite(self.staffer, "Esme Guest", hours_ahead=24 * 6, escorts=[self.outsider])
        for invitation in (co_hosted, escorted):
            path = invitation.visits.get().get_absolute_url()
            self.assertEqual(self.client_for(self.outsider).get(path).status_code, 200)
            self.assertEqual(self.client_for(self.member).get(path).status_code, 404)

    def test_the_gate_does_not_see_a_visit_on_another_day(self) -> None:
        response = self.client_for(self.gate).get(self.later.get_absolute_url())
        self.assertEqual(response.status_code, 404)

    def test_the_party_officer_has_no_visitors_pages(self) -> None:
        self.assertEqual(self.client_for(self.party_officer).get(url("visits")).status_code, 403)


@IMMEDIATE_TASKS
class RecordsAndRollCalls(BaseTestCase):
    def test_the_log_export_is_formula_safe(self) -> None:
        invite(self.staffer, "=HYPERLINK(1)")
        response = self.client_for(self.security).get(url("export"))
        body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
        self.assertIn("'=HYPERLINK(1)", body)
        self.assertEqual(self.client_for(self.gate).get(url("export")).status_code, 403)

    def test_a_roll_call_through_the_pages(self) -> None:
        services.arrive_on_estate(user=self.staffer, actor=self.staffer)
        for visit in ready_today(self.staffer, "A One", "B Two", approver=self.security):
            services.check_in_visit(
                visit=visit, id_check=PASSPORT, escort=self.staffer, actor=self.gate
            )
        self.client_for(self.security).post(url("roll-call-start"))
        roll_call = RollCall.objects.get()
        gate = self.client_for(self.gate)
        page = gate.get(roll_call.get_absolute_url())
        self.assertContains(page, "0 of 2 located")
        self.assertContains(page, "07700 900123")
        entry = roll_call.entries.get(name="A One")
        gate.post(url("locate", roll_call.public_id, entry.public_id))
        self.assertEqual(gate.post(url("roll-call-end", roll_call.public_id)).status_code, 403)
        self.client_for(self.security).post(url("roll-call-end", roll_call.public_id))
        report = gate.get(url("roll-call-report", roll_call.public_id))
        self.assertContains(report, "Not accounted for (1)")
        snapshot = gate.get(url("snapshot", roll_call.public_id))
        self.assertTrue(snapshot.content.startswith(b"%PDF"))
