from django.utils import timezone
from django_tasks import task

from .reminders import send_reminders
from .services import sync_all_assignments


@task()
def sync_training_assignments() -> dict[str, int]:
    result = sync_all_assignments(actor=None, today=timezone.localdate())
    return {"created": len(result.created), "retired": len(result.retired)}


@task()
def send_training_reminders() -> dict[str, int]:
    run = send_reminders(today=timezone.localdate())
    return {"sent": run.sent, "skipped": run.skipped}
