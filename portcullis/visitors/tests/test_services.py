"""The desk's rules at the service level: nobody is admitted without a confirmed invitation or an
approved walk-in, screening holds a visit, escorts are bound to the invitation and limited."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.test import override_settings
from django.utils import timezone

from portcullis.accounts.models import Role
from portcullis.intel.tests.builders import IMMEDIATE_TASKS, make_alert
from portcullis.ledger.models import LedgerEntry
from portcullis.protection.services import record_clearance
from portcullis.screening.models import Decision
from portcullis.screening.tests.builders import person, watchlist
from portcullis.test import BaseTestCase, make_user
from portcullis.visitors import services
from portcullis.visitors.models import Invitation, Visit
from portcullis.visitors.rules import Level

from .builders import PASSPORT, area, invite, ready_today, window

VisitError = services.VisitError


@IMMEDIATE_TASKS
class InvitingAVisitor(BaseTestCase):
    def test_a_staffer_invites_and_the_visitor_gets_a_qr_code_and_a_confirm_link(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            invitation = invite(self.staffer, "Jane Visitor")
        visit = invitation.visits.get()
        self.assertEqual(invitation.approval, Invitation.Approval.NOT_NEEDED)
        self.assertEqual(visit.clearance, Visit.Clearance.CLEAR)
        (message,) = [m for m in mail.outbox if m.to == ["visitor0@example.org"]]
        self.assertIn("/visitors/confirm/", message.body)
        self.assertIn("photo ID", message.body)
        self.assertEqual(message.attachments[0][2], "image/png")
        self.assertTrue(LedgerEntry.objects.filter(action="invitation.create").exists())

    def test_a_recurring_visit_is_one_invitation_a_week(self) -> None:
        start, end = window(hours_ahead=72, length=1)  # 10:00 to 11:00, whatever the hour now
        services.invite(
            data=services.InvitationInput(
                office=self.office_a,
                area=area(),
                purpose="Weekly casework clinic",
                starts_at=start,
                ends_at=end,
                visitors=[services.VisitorInput(name="Regular Visitor")],
                repeat_weeks=3,
            ),
            actor=self.staffer,
        )
        starts = list(Invitation.objects.values_list("starts_at", flat=True))
        self.assertEqual(starts, [start + timedelta(weeks=w) for w in range(4)])

    def test_short_notice_waits_for_the_security_team(self) -> None:
        invitation = invite(self.staffer, "Jane Visitor", hours_ahead=1)
        self.assertEqual(invitation.approval, Invitation.Approval.WAITING)
        with self.assertRaises(VisitError):
            services.decide_approval(invitation=invitation, approve=True, actor=self.staffer)
        services.decide_approval(invitation=invitation, approve=True, actor=self.security)
        invitation.refresh_from_db()
        self.assertTrue(invitation.is_approved)

    def test_nobody_invites_to_another_office(self) -> None:
        with self.assertRaisesMessage(VisitError, "your own offices"):
            invite(self.outsider, "Jane Visitor", office=self.office_a)

    def test_a_group_larger_than_the_level_allows_is_refused(self) -> None:
        services.set_level(level=Level.EXCEPTIONAL, reason="Drill", actor=self.security)
        with self.assertRaisesMessage(VisitError, "At most 6 visitors"):
            invite(self.staffer, *[f"Visitor {i}" for i in range(7)])

    def test_the_level_is_switched_by_the_security_team_only(self) -> None:
        with self.assertRaises(VisitError):
            services.set_level(level=Level.HEIGHTENED, reason="x", actor=self.gate)
        services.set_level(level=Level.HEIGHTENED, reason="Threat", actor=self.security)
        self.assertTrue(LedgerEntry.objects.filter(action="response_level.set").exists())


@IMMEDIATE_TASKS
class NobodyIsAdmittedWithoutAConfirmedInvitation(BaseTestCase):
    def setUp(self) -> None:
        services.arrive_on_estate(user=self.staffer, actor=self.staffer)

    def test_an_unconfirmed_visitor_is_not_admitted(self) -> None:
        invitation = invite(self.staffer, "Jane Visitor", hours_ahead=0)
        services.decide_approval(invitation=invitation, approve=True, actor=self.security)
        visit = invitation.visits.get()
        with self.assertRaisesMessage(VisitError, "not confirmed"):
            services.check_in_visit(
                visit=visit, id_check=PASSPORT, escort=self.staffer, actor=self.gate
            )

    def test_an_unapproved_short_notice_visitor_is_not_admitted(self) -> None:
        visit = invite(self.staffer, "Jane Visitor", hours_ahead=0).visits.get()
        services.confirm_visit(visit=visit, actor=self.staffer)
        with self.assertRaisesMessage(VisitError, "waiting for the security team"):
            services.check_in_visit(
                visit=visit, id_check=PASSPORT, escort=self.staffer, actor=self.gate
            )

    def test_a_confirmed_visitor_is_admitted_with_photo_id_and_an_escort(self) -> None:
        (visit,) = ready_today(self.staffer, "Jane Visitor", approver=self.security)
        with self.captureOnCommitCallbacks(execute=True):
            services.check_in_visit(
                visit=visit, id_check=PASSPORT, escort=self.staffer, actor=self.gate
            )
        visit.refresh_from_db()
        self.assertEqual(visit.status, Visit.Status.ON_SITE)
        self.assertEqual(visit.pass_colour, Visit.Pass.RED)
        self.assertIn(self.staffer.email, [m.to[0] for m in mail.outbox])

    def test_expired_or_mismatched_id_is_refused(self) -> None:
        (visit,) = ready_today(self.staffer, "Jane Visitor", approver=self.security)
        expired = services.IdCheck("passport", True, timezone.localdate() - timedelta(days=1))
        with self.assertRaisesMessage(VisitError, "expired"):
            services.check_in_visit(
                visit=visit, id_check=expired, escort=self.staffer, actor=self.gate
            )
        other = services.IdCheck("passport", False, PASSPORT.expires_on)
        with self.assertRaisesMessage(VisitError, "must match"):
            services.check_in_visit(
                visit=visit, id_check=other, escort=self.staffer, actor=self.gate
            )

    def test_a_walk_in_is_never_admitted_until_approved(self) -> None:
        visit = services.register_walk_in(
            visitor=services.VisitorInput(name="Walter Walkin"),
            host=self.staffer,
            area=area(),
            purpose="Dropping off papers",
            actor=self.gate,
        )
        with self.assertRaisesMessage(VisitError, "not been approved"):
            services.check_in_visit(
                visit=visit, id_check=PASSPORT, escort=self.staffer, actor=self.gate
            )
        services.decide_approval(invitation=visit.invitation, approve=True, actor=self.staffer)
        services.check_in_visit(
            visit=Visit.objects.get(pk=visit.pk),
            id_check=PASSPORT,
            escort=self.staffer,
            actor=self.gate,
        )

    def test_a_walk_in_who_cannot_name_a_host_is_refused(self) -> None:
        with self.assertRaisesMessage(VisitError, "cannot name a host"):
            services.register_walk_in(
                visitor=services.VisitorInput(name="Nobody Knows"),
                host=None,
                area=area(),
                purpose="",
                actor=self.gate,
            )
        self.assertFalse(Visit.objects.exists())
        self.assertTrue(LedgerEntry.objects.filter(action="walk_in.refuse").exists())


@IMMEDIATE_TASKS
class Escorts(BaseTestCase):
    def setUp(self) -> None:
        services.arrive_on_estate(user=self.staffer, actor=self.staffer)

    def test_only_the_host_or_a_named_escort_on_the_estate_escorts(self) -> None:
        (visit,) = ready_today(self.staffer, "Jane Visitor", approver=self.security)
        with self.assertRaisesMessage(VisitError, "may not escort"):
            services.check_in_visit(
                visit=visit, id_check=PASSPORT, escort=self.manager, actor=self.gate
            )
        (named,) = ready_today(
            self.staffer, "Joe Visitor", approver=self.security, escorts=[self.manager]
        )
        with self.assertRaisesMessage(VisitError, "not signed in on the estate"):
            services.check_in_visit(
                visit=named, id_check=PASSPORT, escort=self.manager, actor=self.gate
            )
        services.arrive_on_estate(user=self.manager, actor=self.manager)
        services.check_in_visit(
            visit=named, id_check=PASSPORT, escort=self.manager, actor=self.gate
        )

    def test_a_seventh_visitor_for_one_escort_is_refused(self) -> None:
        visits = ready_today(
            self.staffer, *[f"Visitor {i}" for i in range(7)], approver=self.security
        )
        for visit in visits[:6]:
            services.check_in_visit(
                visit=visit, id_check=PASSPORT, escort=self.staffer, actor=self.gate
            )
        with self.assertRaisesMessage(VisitError, "already escorts 6"):
            services.check_in_visit(
                visit=visits[6], id_check=PASSPORT, escort=self.staffer, actor=self.gate
            )

    @override_settings(VISITORS_ESCORTS_NEED_CLEARANCE=True)
    def test_with_vetting_switched_on_an_escort_needs_a_current_clearance(self) -> None:
        (visit,) = ready_today(self.staffer, "Jane Visitor", approver=self.security)
        with self.assertRaisesMessage(VisitError, "no current security clearance"):
            services.check_in_visit(
                visit=visit, id_check=PASSPORT, escort=self.staffer, actor=self.gate
            )
        record_clearance(
            person=self.staffer.person,
            level="ctc",
            status="cleared",
            applied_on=timezone.localdate() - timedelta(days=60),
            granted_on=timezone.localdate() - timedelta(days=30),
            actor=self.security,
        )
        services.check_in_visit(
            visit=visit, id_check=PASSPORT, escort=self.staffer, actor=self.gate
        )

    @override_settings(VISITORS_MAX_PER_ESCORT=2)
    def test_the_limit_is_a_setting(self) -> None:
        visits = ready_today(self.staffer, "A One", "B Two", "C Three", approver=self.security)
        for visit in visits[:2]:
            services.check_in_visit(
                visit=visit, id_check=PASSPORT, escort=self.staffer, actor=self.gate
            )
        with self.assertRaisesMessage(VisitError, "already escorts 2"):
            services.check_in_visit(
                visit=visits[2], id_check=PASSPORT, escort=self.staffer, actor=self.gate
            )

    def test_the_gate_is_told_when_an_escort_leaves_with_visitors_on_site(self) -> None:
        (visit,) = ready_today(self.staffer, "Jane Visitor", approver=self.security)
        services.check_in_visit(
            visit=visit, id_check=PASSPORT, escort=self.staffer, actor=self.gate
        )
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(services.leave_estate(user=self.staffer, actor=self.staffer), 1)
        subjects = [m.subject for m in mail.outbox if m.to == [self.gate.email]]
        self.assertTrue(any("has left the estate with 1 visitors" in s for s in subjects))

    def test_overstays_are_flagged_once_and_the_gate_told(self) -> None:
        (visit,) = ready_today(self.staffer, "Jane Visitor", approver=self.security)
        services.check_in_visit(
            visit=visit, id_check=PASSPORT, escort=self.staffer, actor=self.gate
        )
        Invitation.objects.filter(pk=visit.invitation_id).update(
            ends_at=timezone.now() - timedelta(minutes=1)
        )
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(services.flag_overstays(actor=self.gate), 1)
        self.assertEqual(services.flag_overstays(actor=self.gate), 0)
        self.assertTrue(any("still on site" in m.subject for m in mail.outbox))


@IMMEDIATE_TASKS
class PreScreening(BaseTestCase):
    def test_a_variant_of_an_alert_persona_in_another_script_is_held(self) -> None:
        make_alert(self.security)
        with self.captureOnCommitCallbacks(execute=True):
            visit = invite(self.staffer, "邱 Amanda").visits.get()
        self.assertEqual(visit.clearance, Visit.Clearance.HELD)
        self.assertIn("Amanda Qiu", visit.hold_reasons[0]["text"])
        host_mail = [m for m in mail.outbox if m.to == [self.staffer.email]]
        self.assertFalse(any("Amanda Qiu" in m.body for m in host_mail))
        to_security = [m for m in mail.outbox if m.to == [self.security.email]]
        self.assertTrue(any("held for a security check" in m.subject for m in to_security))

    def test_a_barred_list_entry_holds_and_a_cleared_decision_is_remembered(self) -> None:
        watchlist("Estate barred list", person("Oleg Vantorin", dob="1975"))
        visit = invite(self.staffer, "Олег Ванторин").visits.get()
        self.assertEqual(visit.clearance, Visit.Clearance.HELD)
        with self.assertRaises(VisitError):
            services.decide_check(visit=visit, clear=True, reason="x", actor=self.gate)
        services.decide_check(
            visit=visit, clear=True, reason="Different person: passport seen", actor=self.security
        )
        self.assertTrue(Decision.objects.filter(verdict=Decision.Verdict.FALSE_MATCH).exists())
        again = invite(self.staffer, "Олег Ванторин").visits.get()
        self.assertEqual(again.clearance, Visit.Clearance.CLEAR)

    def test_a_true_match_bars_the_visit_and_the_next_one(self) -> None:
        make_alert(self.security)
        visit = invite(self.staffer, "Amanda Qiu").visits.get()
        services.decide_check(visit=visit, clear=False, reason="Confirmed", actor=self.security)
        visit.refresh_from_db()
        self.assertEqual(visit.status, Visit.Status.REFUSED)
        again = invite(self.staffer, "Amanda Qiu").visits.get()
        self.assertEqual(again.clearance, Visit.Clearance.BARRED)

    def test_a_held_visitor_is_not_admitted(self) -> None:
        make_alert(self.security)
        (visit,) = ready_today(self.staffer, "Amanda Qiu", approver=self.security)
        services.arrive_on_estate(user=self.staffer, actor=self.staffer)
        with self.assertRaisesMessage(VisitError, "Held for a security check"):
            services.check_in_visit(
                visit=visit, id_check=PASSPORT, escort=self.staffer, actor=self.gate
            )

    def test_changed_details_are_screened_again(self) -> None:
        make_alert(self.security)
        visit = invite(self.staffer, "Jane Visitor").visits.get()
        self.assertEqual(visit.clearance, Visit.Clearance.CLEAR)
        services.change_visitor(
            visit=visit, data=services.VisitorInput(name="Amanda Qiu"), actor=self.staffer
        )
        self.assertEqual(visit.clearance, Visit.Clearance.HELD)

    def test_the_morning_rescreen_checks_todays_visitors_once(self) -> None:
        (visit,) = ready_today(self.staffer, "Jane Visitor", approver=self.security)
        Visit.objects.filter(pk=visit.pk).update(screened_at=timezone.now() - timedelta(days=2))
        today = timezone.localdate()
        self.assertEqual(services.rescreen_expected(day=today, actor=self.gate), 1)
        self.assertEqual(services.rescreen_expected(day=today, actor=self.gate), 0)


@IMMEDIATE_TASKS
class RollCall(BaseTestCase):
    def test_two_marshals_mark_people_and_the_report_lists_who_is_missing(self) -> None:
        services.arrive_on_estate(user=self.staffer, actor=self.staffer)
        visits = ready_today(self.staffer, "A One", "B Two", "C Three", approver=self.security)
        for visit in visits:
            services.check_in_visit(
                visit=visit, id_check=PASSPORT, escort=self.staffer, actor=self.gate
            )
        marshal = make_user(
            "marshal@test.example", Role.GATE_OFFICER, organisation=self.security_team
        )
        roll_call = services.start_roll_call(actor=self.security)
        with self.assertRaises(VisitError):
            services.start_roll_call(actor=self.security)
        a, b, c = roll_call.entries.order_by("name")
        services.mark_located(entry=a, actor=self.gate)
        services.mark_located(entry=b, actor=marshal)
        services.end_roll_call(roll_call=roll_call, actor=self.security)
        missing = list(roll_call.entries.filter(located_at=None).values_list("name", flat=True))
        self.assertEqual(missing, ["C Three"])
        with self.assertRaises(VisitError):
            services.mark_located(entry=c, actor=self.gate)


@IMMEDIATE_TASKS
class Retention(BaseTestCase):
    def test_old_visitors_are_anonymised_and_still_counted(self) -> None:
        visit = invite(self.staffer, "Jane Visitor").visits.get()
        Invitation.objects.filter(pk=visit.invitation_id).update(
            starts_at=timezone.now() - timedelta(days=400),
            ends_at=timezone.now() - timedelta(days=400),
        )
        self.assertEqual(services.anonymise_old_visits(actor=self.security), 1)
        visit.refresh_from_db()
        self.assertEqual((visit.name, visit.email, visit.phone), ("Anonymised visitor", "", ""))
        self.assertEqual(Visit.objects.count(), 1)
