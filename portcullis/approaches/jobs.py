from datetime import timedelta

from portcullis.scheduler.registry import every

from .tasks import purge_held_evidence

every(timedelta(hours=1), name="approaches.purge_held_evidence", task=purge_held_evidence)
