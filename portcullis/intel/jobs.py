from datetime import timedelta

from portcullis.scheduler.registry import every

from .tasks import expire_due_alerts

# Matching ignores an expired alert at once; this takes its names out of the screening index.
every(timedelta(hours=1), name="intel.expire_alerts", task=expire_due_alerts)
