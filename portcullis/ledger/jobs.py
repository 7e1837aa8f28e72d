from datetime import timedelta

from portcullis.scheduler.registry import every

from .tasks import verify_ledger_chain

every(timedelta(hours=1), name="ledger.verify", task=verify_ledger_chain)
