"""List files uploaded from the lists page: stored, then imported by a background task that
reports its stage and progress on the `ListImport` row the page polls."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from django.core.files import File
from django.db import transaction

from portcullis import ledger
from portcullis.ledger.actors import WORKER
from portcullis.lib.tasks import enqueue_on_commit

from .imports import ListImportError, import_list
from .models import ListImport, ListSource

if TYPE_CHECKING:
    from portcullis.accounts.models import User


@transaction.atomic
def start_list_import(
    *, source: ListSource, upload: File, file_name: str, actor: User
) -> ListImport:
    if source.is_internal:
        raise ListImportError("Internal watchlists are edited entry by entry, not imported.")
    job = ListImport(source=source, file_name=file_name[:255], created_by=actor)
    job.upload.save(f"list-{job.public_id}{Path(file_name).suffix.lower()}", upload, save=False)
    job.save()
    ledger.record(actor=actor, action="list_import.start", target=job, data={"file": file_name})
    enqueue_on_commit("portcullis.screening.tasks.run_list_import_task", import_id=job.pk)
    return job


def run_list_import(*, job: ListImport) -> ListImport:
    def progress(stage: str, percent: int) -> None:
        ListImport.objects.filter(pk=job.pk).update(stage=stage, progress=percent)

    ListImport.objects.filter(pk=job.pk).update(status=ListImport.Status.RUNNING)
    try:
        with job.upload.open("rb") as handle:
            data = handle.read()
        version = import_list(
            source=job.source,
            data=data,
            file_name=job.file_name,
            actor=job.created_by or WORKER,
            progress=progress,
        )
    except ListImportError as exc:
        ListImport.objects.filter(pk=job.pk).update(
            status=ListImport.Status.FAILED, message=str(exc), stage="Rejected"
        )
    else:
        if version.confirmed_at is not None and version.confirmed_at >= job.created_at:
            message = (
                f"Identical to version {version.number} in force: no new version was made "
                "and the list is recorded as checked."
            )
        else:
            message = (
                f"Version {version.number}: {version.entity_count} entities "
                f"({version.added_count} added, {version.removed_count} removed, "
                f"{version.changed_count} changed)."
            )
        ListImport.objects.filter(pk=job.pk).update(
            status=ListImport.Status.DONE,
            version=version,
            progress=100,
            stage="In force",
            message=message,
        )
    job.refresh_from_db()
    return job
