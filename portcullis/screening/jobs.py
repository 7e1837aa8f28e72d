from datetime import timedelta

from portcullis.scheduler.registry import every

from .tasks import fetch_due_lists, notify_pending_outcome_changes, rescreen_monitored_subjects

# An import enqueues re-screening itself; these catch anything a lost task or a failed e-mail left.
every(timedelta(minutes=15), name="screening.rescreen", task=rescreen_monitored_subjects)
every(timedelta(minutes=10), name="screening.notify", task=notify_pending_outcome_changes)
# Each list with a download address is fetched when its own interval has passed (24 h default).
every(timedelta(hours=1), name="screening.fetch_lists", task=fetch_due_lists)
