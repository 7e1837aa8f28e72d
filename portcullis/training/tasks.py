from django.utils import timezone
from django_tasks import task

from portcullis.accounts.models import Person

from .reminders import send_reminders
from .services import sync_all_assignments, sync_assignments


@task()
def sync_training_assignments() -> dict[str, int]:
    result = sync_all_assignments(actor=None, today=timezone.localdate())
    return {"created": len(result.created), "retired": len(result.retired)}


@task()
def send_training_reminders() -> dict[str, int]:
    run = send_reminders(today=timezone.localdate())
    return {"sent": run.sent, "skipped": run.skipped}


@task()
def sync_people_assignments(person_ids: list[int]) -> dict[str, int]:
    """Bring these people's assignments up to date now (after a directory change), rather than
    waiting for the periodic sync."""
    created = retired = 0
    for person in Person.objects.filter(pk__in=person_ids):
        result = sync_assignments(person=person, actor=None, today=timezone.localdate())
        created, retired = created + len(result.created), retired + len(result.retired)
    return {"created": created, "retired": retired}
