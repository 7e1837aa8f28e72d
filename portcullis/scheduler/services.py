from __future__ import annotations

import os
import socket
from datetime import datetime

from django.db import IntegrityError, transaction

from .models import ScheduledRun
from .registry import JOBS, Job


def run_due_jobs(*, now: datetime, worker: str | None = None) -> list[str]:
    """Enqueue every job whose current slot nobody has claimed yet. Returns the names enqueued."""
    worker = worker or f"{socket.gethostname()}:{os.getpid()}"
    return [job.name for job in JOBS.values() if claim_and_enqueue(job=job, now=now, worker=worker)]


def claim_and_enqueue(*, job: Job, now: datetime, worker: str) -> bool:
    try:
        with transaction.atomic():
            run = ScheduledRun.objects.create(job=job.name, slot=job.slot(now), claimed_by=worker)
            result = job.task.enqueue()
            run.task_result_id = str(result.id)
            run.save(update_fields=["task_result_id"])
    except IntegrityError:
        return False  # another scheduler claimed this slot first
    return True
