from django.utils import timezone
from django_tasks import task

from portcullis.accounts.services import finish_directory_import
from portcullis.ledger.actors import SCHEDULER, WORKER

from . import services, summary
from .reminders import send_reminders
from .services import sync_all_assignments


@task()
def sync_training_assignments() -> dict[str, int]:
    result = sync_all_assignments(actor=SCHEDULER, today=timezone.localdate())
    return {"created": len(result.created), "retired": len(result.retired)}


@task()
def refresh_compliance_summary() -> dict[str, int]:
    """Rows the calendar has overtaken (an assignment fell overdue, an exemption started or
    ended) are computed again, so the compliance pages read the summary and not the rows."""
    return {"refreshed": summary.refresh_stale(today=timezone.localdate())}


@task()
def send_training_reminders() -> dict[str, int]:
    run = send_reminders(today=timezone.localdate())
    return {"sent": run.sent, "skipped": run.skipped}


@task()
def sync_people_assignments(
    person_ids: list[int], directory_import_id: int | None = None
) -> dict[str, int]:
    """Bring these people's assignments up to date now (after a directory change), rather than
    waiting for the periodic sync; an import from the page is finished when this is."""
    result = services.sync_people_assignments(
        person_ids=person_ids, actor=WORKER, today=timezone.localdate()
    )
    if directory_import_id is not None:
        finish_directory_import(job_id=directory_import_id)
    return {"created": len(result.created), "retired": len(result.retired)}
