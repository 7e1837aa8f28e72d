"""The disclosure list: draft, notice (previewed and confirmed), approval by a second officer,
publication; never the exempt, never anyone who completed before notice or in the window; one
e-mail per person; every step in the ledger."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from django.core import mail
from django.test import override_settings

from portcullis.accounts.models import Role
from portcullis.ledger.actors import WORKER
from portcullis.ledger.models import LedgerEntry
from portcullis.test import BaseTestCase, make_user
from portcullis.training import disclosure as steps
from portcullis.training import services
from portcullis.training.models import Assignment, DisclosureEntry, DisclosureList
from portcullis.training.services import TrainingError, sync_all_assignments

from .builders import make_course, make_requirement, set_started

START = date(2026, 1, 5)
DUE = START + timedelta(days=30)
DRAFT_DAY = DUE + timedelta(days=31)  # past the 30-day grace period


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
class DisclosureTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.second_officer = make_user(
            "second@test.example", Role.SECURITY_OFFICER, organisation=cls.security_team
        )

    def setUp(self) -> None:
        self.course = make_course()
        make_requirement(self.course, due_within_days=30, grace_days=30)
        for user in (self.member, self.staffer, self.manager, self.outsider):
            set_started(user.person, START)
        sync_all_assignments(actor=WORKER, today=START)

    def draft(self, today: date = DRAFT_DAY):  # type: ignore[no-untyped-def]
        return steps.draft_disclosure_list(actor=self.security, today=today)

    def names(self, lst) -> set[str]:  # type: ignore[no-untyped-def]
        return {e.person.full_name for e in lst.listed()}

    def notice(self, lst, today: date = DRAFT_DAY):  # type: ignore[no-untyped-def]
        """Give notice as an officer does: preview, then confirm exactly what was shown."""
        shown = {r.key for r in steps.notice_recipients(lst, today)}
        return steps.give_disclosure_notice(
            disclosure=lst, actor=self.security, today=today, previewed=shown
        )

    def complete(self, user, course=None, on: date = DRAFT_DAY) -> None:  # type: ignore[no-untyped-def]
        services._complete(
            person=user.person, course=course or self.course, version=1, on=on, actor=WORKER
        )

    def run_to_approval(self, lst):  # type: ignore[no-untyped-def]
        with self.captureOnCommitCallbacks(execute=True):
            self.notice(lst)
        return steps.approve_disclosure_list(
            disclosure=lst, actor=self.second_officer, today=DRAFT_DAY + timedelta(days=15)
        )

    def test_nobody_is_drafted_inside_the_grace_period(self) -> None:
        lst = self.draft(today=DUE + timedelta(days=30))
        self.assertEqual(lst.entries.count(), 0)

    def test_an_exempt_person_is_never_drafted(self) -> None:
        services.grant_exemption(
            person=self.outsider.person,
            reason="leave",
            detail="Parental leave",
            starts_on=START,
            ends_on=None,
            actor=self.security,
        )
        lst = self.draft()
        self.assertNotIn(self.outsider.person.full_name, self.names(lst))
        self.assertIn(self.staffer.person.full_name, self.names(lst))

    def test_an_exemption_granted_during_the_window_takes_them_off(self) -> None:
        lst = self.draft()
        services.grant_exemption(
            person=self.outsider.person,
            reason="illness",
            detail="In hospital",
            starts_on=DRAFT_DAY,
            ends_on=None,
            actor=self.security,
        )
        self.run_to_approval(lst)
        self.assertNotIn(self.outsider.person.full_name, self.names(lst))

    def test_people_who_complete_during_the_notice_window_never_appear(self) -> None:
        lst = self.draft()
        services._complete(
            person=self.staffer.person,
            course=self.course,
            version=1,
            on=DRAFT_DAY + timedelta(days=3),
            actor=WORKER,
        )
        self.run_to_approval(lst)
        steps.publish_disclosure_list(
            disclosure=lst, actor=self.security, today=DRAFT_DAY + timedelta(days=16)
        )
        self.assertNotIn(self.staffer.person.full_name, self.names(lst))
        self.assertIn(self.manager.person.full_name, self.names(lst))
        entry = lst.entries.get(person=self.staffer.person)
        self.assertEqual(entry.status, DisclosureEntry.Status.COMPLETED)

    def test_notice_tells_each_person_and_gives_a_window(self) -> None:
        lst = self.draft()
        with self.captureOnCommitCallbacks(execute=True):
            self.notice(lst)
        self.assertEqual(lst.window_ends_on, DRAFT_DAY + timedelta(days=14))
        self.assertIn(["staffer@test.example"], [m.to for m in mail.outbox])
        self.assertEqual(len(mail.outbox), lst.entries.count())

    # --- the scenario from issue 12: nobody who complied is told they did not, or listed -------

    def test_one_email_per_person_lists_all_their_courses(self) -> None:
        second = make_course("travel")
        make_requirement(second, due_within_days=30, grace_days=30)
        sync_all_assignments(actor=WORKER, today=START)
        lst = self.draft()
        with self.captureOnCommitCallbacks(execute=True):
            self.notice(lst)
        to_staffer = [m for m in mail.outbox if m.to == ["staffer@test.example"]]
        self.assertEqual(len(to_staffer), 1)
        self.assertIn('"Essentials"', to_staffer[0].body)
        self.assertIn('"Travel"', to_staffer[0].body)
        self.assertEqual(len(mail.outbox), len({e.person_id for e in lst.entries.all()}))

    def test_a_person_who_completes_at_any_point_before_notice_is_never_told_or_listed(
        self,
    ) -> None:
        """Completing after the draft, after the preview, or after notice is confirmed but before
        the e-mail goes: each is not told and does not appear on the published list."""
        lst = self.draft()
        self.complete(self.staffer)  # after the draft, before the preview
        shown = {r.person.full_name for r in steps.notice_recipients(lst, DRAFT_DAY)}
        self.assertNotIn(self.staffer.person.full_name, shown)
        self.assertIn(self.manager.person.full_name, shown)
        previewed = {r.key for r in steps.notice_recipients(lst, DRAFT_DAY)}
        self.complete(self.manager)  # after the preview, before confirmation
        with self.captureOnCommitCallbacks(execute=False) as pending:
            steps.give_disclosure_notice(
                disclosure=lst, actor=self.security, today=DRAFT_DAY, previewed=previewed
            )
        # A completion recorded between confirmation and the e-mail (by a path that does not go
        # through the services): the re-check just before sending must still catch it.
        Assignment.objects.filter(person=self.member.person).update(
            status=Assignment.Status.COMPLETED
        )
        for callback in pending:
            callback()
        told = {address for m in mail.outbox for address in m.to}
        self.assertEqual(told, {self.outsider.person.primary_email})
        self.assertNotIn(self.manager.person.full_name, self.names(lst))
        steps.approve_disclosure_list(
            disclosure=lst, actor=self.second_officer, today=DRAFT_DAY + timedelta(days=15)
        )
        steps.publish_disclosure_list(
            disclosure=lst, actor=self.security, today=DRAFT_DAY + timedelta(days=16)
        )
        self.assertEqual(self.names(lst), {self.outsider.person.full_name})

    def test_completing_takes_the_person_off_at_once_and_their_page_agrees(self) -> None:
        lst = self.draft()
        with self.captureOnCommitCallbacks(execute=True):
            self.notice(lst)
        client = self.client_for(self.staffer)
        self.assertContains(client.get("/training/"), "Your name is on a draft list")
        self.complete(self.staffer, on=DRAFT_DAY + timedelta(days=1))
        self.assertEqual(
            lst.entries.get(person=self.staffer.person).status, DisclosureEntry.Status.COMPLETED
        )
        page = client.get("/training/")
        self.assertContains(page, "Completed")
        self.assertNotContains(page, "draft list")

    def test_notice_cannot_go_without_a_preview_and_confirmation(self) -> None:
        lst = self.draft()
        with self.assertRaises(TrainingError):
            steps.give_disclosure_notice(
                disclosure=lst, actor=self.security, today=DRAFT_DAY, previewed=set()
            )
        client = self.client_for(self.security)
        url = f"/training/disclosure/{lst.public_id}/notice/"
        preview = client.get(url)
        self.assertContains(preview, self.staffer.person.full_name)
        self.assertContains(preview, "will be told")
        people = [r.key for r in steps.notice_recipients(lst, DRAFT_DAY)]
        refused = client.post(url, {"people": people})
        self.assertContains(refused, "Confirm that you have checked who will be told")
        lst.refresh_from_db()
        self.assertEqual(lst.status, DisclosureList.Status.DRAFT)
        self.assertEqual(mail.outbox, [])
        with self.captureOnCommitCallbacks(execute=True):
            done = client.post(url, {"people": people, "confirm": "on"}, follow=True)
        self.assertContains(done, f"Notice given to {len(people)} people")
        self.assertEqual(len(mail.outbox), len(people))

    def test_the_list_page_says_who_drafted_it_in_words(self) -> None:
        lst = steps.draft_disclosure_list(actor=WORKER, today=DRAFT_DAY)
        page = self.client_for(self.security).get(f"/training/disclosure/{lst.public_id}/")
        self.assertNotContains(page, "None")
        self.assertContains(page, "Portcullis, automatically")

    def test_the_list_cannot_be_published_without_approval(self) -> None:
        lst = self.draft()
        with self.assertRaises(TrainingError):
            steps.publish_disclosure_list(disclosure=lst, actor=self.security, today=DRAFT_DAY)
        self.notice(lst)
        with self.assertRaises(TrainingError):
            steps.publish_disclosure_list(disclosure=lst, actor=self.security, today=DRAFT_DAY)
        client = self.client_for(self.staffer)
        self.assertEqual(client.get(f"/training/published/{lst.public_id}/").status_code, 404)
        self.assertEqual(
            client.get(f"/training/published/{lst.public_id}/list.csv").status_code, 404
        )

    def test_approval_needs_a_second_officer_after_the_window(self) -> None:
        lst = self.draft()
        self.notice(lst)
        with self.assertRaises(TrainingError):
            steps.approve_disclosure_list(
                disclosure=lst, actor=self.second_officer, today=DRAFT_DAY + timedelta(days=5)
            )
        with self.assertRaises(TrainingError):
            steps.approve_disclosure_list(
                disclosure=lst, actor=self.security, today=DRAFT_DAY + timedelta(days=15)
            )
        with self.assertRaises(TrainingError):
            steps.approve_disclosure_list(
                disclosure=lst, actor=self.manager, today=DRAFT_DAY + timedelta(days=15)
            )

    def test_an_upheld_appeal_removes_the_person_and_a_pending_one_blocks_approval(self) -> None:
        lst = self.draft()
        self.notice(lst)
        entry = lst.entries.get(person=self.staffer.person)
        steps.appeal_disclosure(
            entry=entry,
            text="I was on jury service",
            actor=self.staffer,
            today=DRAFT_DAY + timedelta(days=2),
        )
        with self.assertRaises(TrainingError):
            steps.approve_disclosure_list(
                disclosure=lst, actor=self.second_officer, today=DRAFT_DAY + timedelta(days=15)
            )
        steps.decide_appeal(
            entry=entry, upheld=True, note="Evidence seen", actor=self.second_officer
        )
        steps.approve_disclosure_list(
            disclosure=lst, actor=self.second_officer, today=DRAFT_DAY + timedelta(days=15)
        )
        self.assertNotIn(self.staffer.person.full_name, self.names(lst))

    def test_only_the_person_named_can_appeal(self) -> None:
        lst = self.draft()
        self.notice(lst)
        entry = lst.entries.get(person=self.staffer.person)
        with self.assertRaises(TrainingError):
            steps.appeal_disclosure(entry=entry, text="x", actor=self.manager, today=DRAFT_DAY)
        response = self.client_for(self.manager).get(
            f"/training/disclosure/entries/{entry.public_id}/appeal/"
        )
        self.assertEqual(response.status_code, 404)

    def test_every_step_is_in_the_ledger(self) -> None:
        lst = self.draft()
        self.run_to_approval(lst)
        steps.publish_disclosure_list(
            disclosure=lst, actor=self.security, today=DRAFT_DAY + timedelta(days=16)
        )
        actions = list(
            LedgerEntry.objects.filter(action__startswith="disclosure.")
            .order_by("id")
            .values_list("action", flat=True)
        )
        self.assertEqual(
            actions,
            ["disclosure.draft", "disclosure.notice", "disclosure.approve", "disclosure.publish"],
        )

    def test_the_published_csv_escapes_formulas_and_the_pdf_renders(self) -> None:
        person = self.outsider.person
        person.full_name = '=HYPERLINK("http://evil.example")'
        person.save()
        lst = self.draft()
        self.run_to_approval(lst)
        steps.publish_disclosure_list(
            disclosure=lst, actor=self.security, today=DRAFT_DAY + timedelta(days=16)
        )
        client = self.client_for(self.staffer)
        rows = list(
            csv.reader(
                io.StringIO(
                    client.get(f"/training/published/{lst.public_id}/list.csv").content.decode()
                )
            )
        )
        self.assertEqual(rows[0], ["Name", "Office", "Course not completed", "Due on"])
        self.assertIn('\'=HYPERLINK("http://evil.example")', [r[0] for r in rows])
        pdf = client.get(f"/training/published/{lst.public_id}/list.pdf")
        self.assertTrue(pdf.content.startswith(b"%PDF"))
        page = client.get(f"/training/published/{lst.public_id}/")
        self.assertContains(page, self.manager.person.full_name)

    def test_officers_run_the_steps_from_the_pages(self) -> None:
        client = self.client_for(self.security)
        response = client.post("/training/disclosure/draft/")
        lst_url = response["Location"]
        self.assertContains(client.get(lst_url), self.staffer.person.full_name)
        response = client.post(lst_url + "publish/", follow=True)
        self.assertContains(response, "Only an approved list can be published")
        self.assertEqual(
            self.client_for(self.manager).post("/training/disclosure/draft/").status_code, 403
        )
