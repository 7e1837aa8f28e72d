from django.utils import timezone
from django_tasks import task

from portcullis.ledger.actors import SCHEDULER

from .conf import MailboxConfig
from .services.mailbox import poll_report_mailbox
from .services.simulations import finish_ended_campaigns, send_due_emails


@task()
def poll_mailbox() -> dict[str, object]:
    config = MailboxConfig.from_env()
    if config is None:
        return {"skipped": "PORTCULLIS_REPORT_IMAP_HOST is not set"}
    result = poll_report_mailbox(actor=SCHEDULER, config=config)
    return {"filed": len(result.filed), "bounces": result.bounces, "skipped": result.skipped}


@task()
def send_simulation_emails() -> dict[str, int]:
    now = timezone.now()
    run = send_due_emails(now=now)
    finished = finish_ended_campaigns(now=now)
    return {
        "sent": run.sent,
        "bounced": run.bounced,
        "deferred": run.deferred,
        "finished": finished,
    }
