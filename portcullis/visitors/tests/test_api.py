"""The visitors API with integration tokens: the same scoping as the pages (404 for another
office's visit, no screening reasons outside the security team) and the same desk rules (nobody
checked in without a confirmed invitation or an approved walk-in)."""

from __future__ import annotations

from portcullis.intel.tests.builders import IMMEDIATE_TASKS, make_alert
from portcullis.test import BaseTestCase, api_client_for
from portcullis.visitors import services
from portcullis.visitors.models import Invitation, Visit

from .builders import PASSPORT, area, invite, ready_today, window

VISITS = "/api/v1/visitors/visits/"
INVITATIONS = "/api/v1/visitors/invitations/"


@IMMEDIATE_TASKS
class VisitorsApi(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_alert(cls.security)
        cls.held = invite(cls.staffer, "邱 Amanda", hours_ahead=0).visits.get()

    def check_in(self, client: object, visit: Visit) -> object:
        return client.post(  # type: ignore[attr-defined]
            f"{VISITS}{visit.public_id}/check-in/",
            {
                "id_type": "passport",
                "name_matches": True,
                "expires_on": str(PASSPORT.expires_on),
                "escort": str(self.staffer.public_id),
            },
            content_type="application/json",
        )

    def test_a_staffer_invites_through_the_api(self) -> None:
        start, end = window(hours_ahead=72, length=1)  # 10:00 to 11:00, whatever the hour now
        response = api_client_for(self.staffer).post(
            INVITATIONS,
            {
                "office": str(self.office_a.public_id),
                "area": str(area().public_id),
                "purpose": "Briefing",
                "starts_at": start.isoformat(),
                "ends_at": end.isoformat(),
                "visitors": [{"name": "Api Visitor", "email": "api@example.org"}],
            },
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["visits"][0]["name"], "Api Visitor")

    def test_the_gate_reads_todays_expected_without_screening_reasons(self) -> None:
        body = api_client_for(self.gate).get(f"{VISITS}expected/").json()
        (row,) = [r for r in body["results"] if r["id"] == str(self.held.public_id)]
        self.assertEqual(row["security_check"], "Held for a security check")
        self.assertIsNone(row["hold_reasons"])
        security = api_client_for(self.security).get(f"{VISITS}{self.held.public_id}/").json()
        self.assertIn("Amanda Qiu", security["hold_reasons"][0]["text"])

    def test_another_offices_visit_is_a_404(self) -> None:
        client = api_client_for(self.outsider)
        self.assertEqual(client.get(f"{VISITS}{self.held.public_id}/").status_code, 404)
        invitation = self.held.invitation.public_id
        self.assertEqual(client.get(f"{INVITATIONS}{invitation}/").status_code, 404)
        self.assertEqual(client.get(VISITS).json()["count"], 0)

    def test_nobody_is_checked_in_without_a_confirmed_invitation(self) -> None:
        services.arrive_on_estate(user=self.staffer, actor=self.staffer)
        invitation = invite(self.staffer, "Unconfirmed Una", hours_ahead=0)
        services.decide_approval(invitation=invitation, approve=True, actor=self.security)
        gate = api_client_for(self.gate)
        response = self.check_in(gate, invitation.visits.get())
        self.assertEqual(response.status_code, 400)  # type: ignore[attr-defined]
        self.assertIn("not confirmed", str(response.json()))  # type: ignore[attr-defined]
        held = self.check_in(gate, self.held)
        self.assertEqual(held.status_code, 400)  # type: ignore[attr-defined]

    def test_an_unapproved_walk_in_is_not_checked_in(self) -> None:
        services.arrive_on_estate(user=self.staffer, actor=self.staffer)
        walk_in = services.register_walk_in(
            visitor=services.VisitorInput(name="Walk Inn"),
            host=self.staffer,
            area=area(),
            purpose="",
            actor=self.gate,
        )
        response = self.check_in(api_client_for(self.gate), walk_in)
        self.assertEqual(response.status_code, 400)  # type: ignore[attr-defined]
        self.assertEqual(walk_in.invitation.approval, Invitation.Approval.WAITING)

    def test_the_gate_checks_in_and_out(self) -> None:
        services.arrive_on_estate(user=self.staffer, actor=self.staffer)
        (visit,) = ready_today(self.staffer, "Ready Rita", approver=self.security)
        gate = api_client_for(self.gate)
        response = self.check_in(gate, visit)
        self.assertEqual(response.json()["status"], "on_site")  # type: ignore[attr-defined]
        out = gate.post(f"{VISITS}{visit.public_id}/check-out/")
        self.assertEqual(out.json()["status"], "left")

    def test_a_host_cannot_check_in_their_own_visitor(self) -> None:
        (visit,) = ready_today(self.staffer, "Ready Rita", approver=self.security)
        response = self.check_in(api_client_for(self.staffer), visit)
        self.assertEqual(response.status_code, 403)  # type: ignore[attr-defined]
