"""Starting background work from a service without importing the task.

A service enqueues a task by its dotted name once its transaction commits. By name, because the
task module imports the service (tasks are thin: load by id, call a service), and because a lower
layer may start work in a higher one only this way (README, *Layers*).
`portcullis/tests/test_layers.py` checks that every name used resolves to a task.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.module_loading import import_string


def enqueue_on_commit(task: str, **kwargs: object) -> None:
    transaction.on_commit(lambda: import_string(task).enqueue(**kwargs))
