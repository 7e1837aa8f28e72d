"""The RQ backend, through the real Redis on 127.0.0.1:6379 (a database of its own)."""

import uuid

import django_rq
from django.test import TestCase, override_settings
from django_tasks import task_backends
from django_tasks_rq.backend import Job
from rq.worker import SimpleWorker

from portcullis.ledger.models import LedgerCheck
from portcullis.ledger.tasks import verify_ledger_chain

QUEUE = f"portcullis-test-{uuid.uuid4().hex[:8]}"


@override_settings(
    TASKS={
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
        "rq": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [QUEUE]},
    },
    RQ_QUEUES={
        name: {"URL": "redis://127.0.0.1:6379/15", "DEFAULT_TIMEOUT": 60}
        for name in ("default", QUEUE)
    },
)
class RedisBackendTests(TestCase):
    def test_a_task_runs_through_redis(self) -> None:
        result = verify_ledger_chain.using(backend="rq", queue_name=QUEUE).enqueue()
        queue = django_rq.get_queue(QUEUE, job_class=Job)
        self.assertEqual(queue.count, 1)
        worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
        worker.work(burst=True)
        finished = task_backends["rq"].get_result(result.id)
        self.assertEqual(finished.status, "SUCCESSFUL")
        self.assertEqual(finished.return_value["broken_at"], None)
        self.assertEqual(LedgerCheck.objects.count(), 1)
        queue.empty()
