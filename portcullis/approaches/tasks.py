"""Background work for approach reports: thin wrappers that load by id and call the notifier."""

from django_tasks import task

from .models import HeldEvidence
from .notify import tell_reporter_about_feedback, tell_security_about_report


@task()
def notify_security_of_report(report_id: int) -> int:
    return tell_security_about_report(report_id=report_id)


@task()
def notify_reporter_of_feedback(report_id: int) -> int:
    return tell_reporter_about_feedback(report_id=report_id)


@task()
def purge_held_evidence() -> int:
    """Remove every held evidence file past `HeldEvidence.HOLD_FOR`."""
    return HeldEvidence.objects.expired().drop()
