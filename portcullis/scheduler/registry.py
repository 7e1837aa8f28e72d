"""Periodic jobs. Apps declare theirs in `jobs.py` with `every(...)`; the scheduler runs them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class Job:
    name: str
    interval: timedelta
    task: Any  # a django_tasks Task taking no arguments

    def slot(self, now: datetime) -> datetime:
        """The start of the interval that `now` falls in, counted from the Unix epoch."""
        seconds = int(self.interval.total_seconds())
        epoch = int(now.timestamp())
        return datetime.fromtimestamp(epoch - epoch % seconds, tz=UTC)


JOBS: dict[str, Job] = {}


def every(interval: timedelta, *, name: str, task: Any) -> Job:
    if interval < timedelta(minutes=1):
        raise ValueError("periodic jobs run at most once a minute")
    job = Job(name=name, interval=interval, task=task)
    JOBS[name] = job
    return job
