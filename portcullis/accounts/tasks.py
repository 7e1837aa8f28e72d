from django.core.management import call_command
from django_tasks import task

from .models import DirectoryImport
from .services import run_directory_import


@task()
def clear_expired_sessions() -> None:
    call_command("clearsessions")


@task()
def run_directory_import_task(*, import_id: int) -> str:
    job = DirectoryImport.objects.select_related("created_by").get(pk=import_id)
    return run_directory_import(job=job).status
