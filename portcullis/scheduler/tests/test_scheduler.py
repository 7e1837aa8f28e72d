from datetime import UTC, datetime, timedelta

from django.core.management import call_command
from django.test import TestCase, TransactionTestCase
from django_tasks import task_backends
from django_tasks_db.models import DBTaskResult

from portcullis.ledger.models import LedgerCheck
from portcullis.scheduler.models import ScheduledRun
from portcullis.scheduler.registry import JOBS, Job
from portcullis.scheduler.services import claim_and_enqueue, run_due_jobs

NOON = datetime(2026, 11, 21, 12, 0, 5, tzinfo=UTC)


class SchedulerTests(TestCase):
    def test_apps_register_their_periodic_jobs(self) -> None:
        self.assertIn("ledger.verify", JOBS)
        self.assertIn("accounts.clear_sessions", JOBS)

    def test_a_job_runs_once_per_slot_however_many_schedulers_wake(self) -> None:
        first = run_due_jobs(now=NOON, worker="machine-a")
        second = run_due_jobs(now=NOON + timedelta(seconds=20), worker="machine-b")
        self.assertIn("ledger.verify", first)
        self.assertEqual(second, [])
        self.assertEqual(ScheduledRun.objects.filter(job="ledger.verify").count(), 1)
        self.assertEqual(DBTaskResult.objects.count(), len(first))

    def test_the_next_slot_runs_again(self) -> None:
        run_due_jobs(now=NOON, worker="a")
        later = run_due_jobs(now=NOON + timedelta(hours=1), worker="b")
        self.assertIn("ledger.verify", later)
        self.assertNotIn("accounts.clear_sessions", later)

    def test_a_losing_claim_enqueues_nothing(self) -> None:
        job = JOBS["ledger.verify"]
        self.assertTrue(claim_and_enqueue(job=job, now=NOON, worker="a"))
        self.assertFalse(claim_and_enqueue(job=job, now=NOON, worker="b"))
        self.assertEqual(DBTaskResult.objects.count(), 1)

    def test_slots_are_aligned_to_the_interval(self) -> None:
        job = Job("x.y", timedelta(hours=1), task=None)
        self.assertEqual(job.slot(NOON), datetime(2026, 11, 21, 12, 0, tzinfo=UTC))


class DatabaseWorkerTests(TransactionTestCase):
    def test_the_database_worker_runs_an_enqueued_task(self) -> None:
        self.assertEqual(type(task_backends["default"]).__name__, "DatabaseBackend")
        run_due_jobs(now=NOON, worker="a")
        call_command("db_worker", "--batch", "--no-reload", "--interval", "0", verbosity=0)
        result = DBTaskResult.objects.get(task_path__endswith="verify_ledger_chain")
        self.assertEqual(result.status, "SUCCESSFUL")
        self.assertTrue(LedgerCheck.objects.get().intact)
