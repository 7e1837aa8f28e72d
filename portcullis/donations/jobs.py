from datetime import timedelta

from portcullis.scheduler.registry import every

from .tasks import send_donation_reminders

every(timedelta(hours=6), name="donations.reminders", task=send_donation_reminders)
