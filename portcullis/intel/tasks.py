"""Background work for intel: thin wrappers that load by id and call the notifier or a service."""

from django_tasks import task

from portcullis.ledger.actors import SCHEDULER

from .notify import send_alert_to
from .services import expire_alerts


@task()
def notify_alert_audience(alert_id: int, person_ids: list[int]) -> int:
    return send_alert_to(alert_id=alert_id, person_ids=person_ids)


@task()
def expire_due_alerts() -> int:
    return expire_alerts(actor=SCHEDULER)
