from unittest import mock

from django.core import mail
from django.core.management import call_command
from django.test import TransactionTestCase
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from portcullis.ledger.actors import WORKER
from portcullis.screening.imports import (
    add_watchlist_entry,
    current_entities,
    remove_watchlist_entry,
)
from portcullis.screening.live import current_index
from portcullis.screening.models import Decision, OutcomeChange, ScreeningResult
from portcullis.screening.services import (
    monitor_subject,
    notify_changes,
    notify_pending_changes,
    record_decision,
    rescreen_monitored,
    screen_subject,
)
from portcullis.screening.tests.builders import person, query, watchlist
from portcullis.test import BaseTestCase, Cast

Kind = OutcomeChange.Kind


class MonitoringTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.source = watchlist("Local watchlist", person("Amara Okonkwo-Bassey", dob="1979"))

    def monitored(self, name="Viktor Grebenshchikov", party=None, owner=None):
        owner = owner or self.security
        screening = screen_subject(
            subject=query(name), actor=owner, purpose="new staffer vetting", party=party
        )
        return monitor_subject(
            subject=screening.subject, owner=owner, purpose="new staffer vetting", actor=owner
        )

    def add_viktor(self):
        with self.captureOnCommitCallbacks(execute=True):
            add_watchlist_entry(
                source=self.source, entry=person("Viktor Grebenshchikov"), actor=self.security
            )

    def test_a_list_change_enqueues_re_screening(self):
        self.monitored()
        before = DBTaskResult.objects.filter(task_path__endswith="rescreen_monitored_subjects")
        count = before.count()
        self.add_viktor()
        self.assertEqual(before.count(), count + 1)

    def test_a_new_hit_after_a_list_change_is_recorded_and_e_mailed_to_the_owner(self):
        monitored = self.monitored(owner=self.party_officer, party=self.party_a)
        self.add_viktor()
        with self.captureOnCommitCallbacks(execute=True):
            run = rescreen_monitored(actor=WORKER)
        self.assertEqual((run.screened, run.changes), (1, 1))
        change = OutcomeChange.objects.get()
        self.assertEqual(change.kind, Kind.NEW_HIT)
        self.assertEqual(change.caption, "Viktor Grebenshchikov")
        self.assertIsNone(change.score_before)
        self.assertGreater(change.score_after, 0.5)
        self.assertEqual(change.previous_screening.versions, {"local-watchlist": 1})
        self.assertEqual(change.screening.versions, {"local-watchlist": 2})
        monitored.refresh_from_db()
        self.assertEqual(monitored.last_screening, change.screening)
        self.assertEqual(notify_changes(monitored_id=monitored.pk), 1)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, [self.party_officer.email])
        self.assertIn("New hit: Viktor Grebenshchikov", mail.outbox[0].body)
        change.refresh_from_db()
        self.assertIsNotNone(change.notified_at)

    def test_a_hit_that_goes_away_is_recorded_too(self):
        self.add_viktor()
        self.monitored()
        viktor = next(e for e in current_entities(self.source) if "Viktor" in e.caption)
        remove_watchlist_entry(source=self.source, external_id=viktor.entity_id, actor=WORKER)
        rescreen_monitored(actor=WORKER)
        change = OutcomeChange.objects.get()
        self.assertEqual(change.kind, Kind.HIT_GONE)
        self.assertIsNone(change.score_after)

    def test_re_screening_twice_records_each_change_once(self):
        self.monitored()
        self.add_viktor()
        rescreen_monitored(actor=WORKER)
        run = rescreen_monitored(actor=WORKER)
        self.assertEqual((run.screened, run.changes), (0, 0))
        self.assertEqual(OutcomeChange.objects.count(), 1)

    def test_an_unchanged_outcome_adds_no_screening_row_but_records_the_check(self):
        monitored = self.monitored()
        first = monitored.last_screening
        with self.captureOnCommitCallbacks(execute=True):
            add_watchlist_entry(
                source=self.source, entry=person("Someone Unrelated Entirely"), actor=WORKER
            )
        run = rescreen_monitored(actor=WORKER)
        self.assertEqual((run.screened, run.changes), (1, 0))
        monitored.refresh_from_db()
        self.assertEqual(monitored.last_screening, first)
        self.assertEqual(monitored.subject.screenings.count(), 1)
        first.refresh_from_db()
        self.assertEqual(first.check_count, 1)
        self.assertIsNotNone(first.checked_at)
        self.assertEqual(first.versions_key, current_index().key[:500])
        self.assertEqual(rescreen_monitored(actor=WORKER).screened, 0)  # up to date now, not re-run
        page = self.client_for(self.security).get(
            reverse("screening:screening-detail", args=[first.public_id])
        )
        self.assertContains(page, "Checked again 1 time after list changes")

        self.add_viktor()  # now the outcome does change: a new row, as before
        rescreen_monitored(actor=WORKER)
        monitored.refresh_from_db()
        self.assertNotEqual(monitored.last_screening, first)
        self.assertEqual(monitored.subject.screenings.count(), 2)

    def test_a_decided_false_match_is_not_raised_again_by_a_later_list_change(self):
        self.add_viktor()
        monitored = self.monitored()
        hit = monitored.last_screening.results.get(is_match=True)
        record_decision(
            result=hit,
            verdict=Decision.Verdict.FALSE_MATCH,
            reason="other man",
            actor=self.security,
        )
        add_watchlist_entry(source=self.source, entry=person("Jonah Whitcombe"), actor=WORKER)
        run = rescreen_monitored(actor=WORKER)
        self.assertEqual((run.screened, run.changes), (1, 0))
        monitored.refresh_from_db()
        self.assertEqual(
            monitored.last_screening.results.get(is_match=True).status,
            ScreeningResult.Status.CLEARED,
        )

    def test_a_failed_e_mail_leaves_the_change_pending_until_a_later_run_sends_it(self):
        monitored = self.monitored()
        self.add_viktor()
        rescreen_monitored(actor=WORKER)
        with mock.patch("portcullis.lib.mail.send", side_effect=OSError("smtp down")):
            self.assertEqual(notify_changes(monitored_id=monitored.pk), 0)
        self.assertIsNone(OutcomeChange.objects.get().notified_at)
        self.assertEqual(notify_pending_changes(), 1)
        self.assertIsNotNone(OutcomeChange.objects.get().notified_at)
        self.assertEqual(notify_pending_changes(), 0)

    def test_stopped_monitoring_is_not_re_screened(self):
        from portcullis.screening.services import stop_monitoring

        stop_monitoring(monitored=self.monitored(), actor=self.security)
        self.add_viktor()
        self.assertEqual(rescreen_monitored(actor=WORKER).screened, 0)


class MonitoringThroughTheWorkerTests(TransactionTestCase):
    def test_the_task_worker_re_screens_and_notifies_after_an_edit(self):
        Cast.build(self)
        source = watchlist("Local watchlist", person("Amara Okonkwo-Bassey"))
        screening = screen_subject(
            subject=query("Viktor Grebenshchikov"), actor=self.security, purpose="vetting"
        )
        monitor_subject(
            subject=screening.subject, owner=self.security, purpose="vetting", actor=self.security
        )
        add_watchlist_entry(source=source, entry=person("Viktor Grebenshchikov"), actor=WORKER)
        for _ in range(2):  # re-screening, then the e-mail it enqueues
            call_command("db_worker", "--batch", "--no-reload", "--interval", "0", verbosity=0)
        self.assertEqual(OutcomeChange.objects.get().kind, Kind.NEW_HIT)
        self.assertEqual(len(mail.outbox), 1)
        self.assertFalse(DBTaskResult.objects.exclude(status="SUCCESSFUL").exists())
