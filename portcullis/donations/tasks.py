from django.utils import timezone
from django_tasks import task

from .services.reminders import send_reminders


@task()
def send_donation_reminders() -> dict[str, int]:
    return {"sent": send_reminders(today=timezone.localdate()).sent}
