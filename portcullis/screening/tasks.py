"""Background work; each task loads by id and calls a service."""

from __future__ import annotations

from django_tasks import task

from portcullis.ledger.actors import SCHEDULER, WORKER

from . import live, services
from .batch import run_batch
from .fetch import fetch_due, fetch_source
from .models import BatchScreening, ListImport, ListSource
from .uploads import run_list_import


@task()
def run_list_import_task(*, import_id: int) -> str:
    return run_list_import(job=ListImport.objects.get(pk=import_id)).status


@task()
def build_screening_index() -> str:
    """Save the index for the lists in force, so no web process has to build it."""
    return str(live.prepare_index())


@task()
def run_batch_screening(*, batch_id: int) -> str:
    batch = BatchScreening.objects.select_related("created_by").get(pk=batch_id)
    return run_batch(batch=batch, actor=batch.created_by).status


@task()
def rescreen_monitored_subjects() -> dict[str, int]:
    run = services.rescreen_monitored(actor=WORKER)
    return {"screened": run.screened, "changes": run.changes}


@task()
def notify_outcome_changes(*, monitored_id: int) -> int:
    return services.notify_changes(monitored_id=monitored_id)


@task()
def notify_pending_outcome_changes() -> int:
    return services.notify_pending_changes()


@task()
def fetch_due_lists() -> int:
    return fetch_due(actor=SCHEDULER)


@task()
def fetch_list_task(*, source_id: int) -> str:
    return fetch_source(source=ListSource.objects.get(pk=source_id), actor=WORKER).status
