from datetime import timedelta

from portcullis.scheduler.registry import every

from .tasks import clear_expired_sessions

every(timedelta(days=1), name="accounts.clear_sessions", task=clear_expired_sessions)
