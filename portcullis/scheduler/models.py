from django.db import models


class ScheduledRun(models.Model):
    """One claimed run of a periodic job for one time slot.

    The unique constraint is the lock: when two schedulers wake for the same slot, only the first
    insert succeeds, so a job is enqueued once per slot however many schedulers run.
    """

    job = models.CharField(max_length=100)
    slot = models.DateTimeField()
    claimed_at = models.DateTimeField(auto_now_add=True)
    claimed_by = models.CharField(max_length=200)
    task_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-slot"]
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="scheduled_run_once_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M}"
