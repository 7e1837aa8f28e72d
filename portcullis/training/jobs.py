from datetime import timedelta

from portcullis.scheduler.registry import every

from .tasks import refresh_compliance_summary, send_training_reminders, sync_training_assignments

# Assignments first follow joiners, movers and leavers; reminders then run on the result.
every(timedelta(hours=6), name="training.sync", task=sync_training_assignments)
every(timedelta(hours=1), name="training.reminders", task=send_training_reminders)
every(timedelta(hours=1), name="training.compliance_summary", task=refresh_compliance_summary)
