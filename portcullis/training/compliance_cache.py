"""Compliance figures kept in the cache until anything they count changes.

Counting the legislature (15,000 people, their training summary, clearances and devices, a year
of assignments for the trends) costs the database a few hundred milliseconds, and every
dashboard and compliance page of the security team asks for the same figures; they change a few
times an hour. Each committed change to what they count moves `ComplianceGeneration` on
(`changed()`: called by the services that write what the figures read — training's summary
and sync, which follows every directory change, and protection's clearances and devices), and a
cached value is filed under the generation it was computed at, so from
the moment the number moves every process computes afresh.

The number moves after the commit, never before: a reader that saw the old number and counted
before the commit files old figures under the old number, which nobody asks for again. Reads
inside a transaction are never cached: they may see writes not yet committed, or about to be
rolled back. Entries also expire after `TIMEOUT`, in case a process died between a commit and
moving the number on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F, QuerySet

from .models import ComplianceGeneration

T = TypeVar("T")
TIMEOUT = 15 * 60
PK = 1


def changed() -> None:
    """Move the number on once the current transaction commits (at once outside one); a
    transaction that changes many rows moves it once."""
    if connection.in_atomic_block and any(
        entry[1] is _move_on
        for entry in connection.run_on_commit  # (savepoints, func, robust)
    ):
        return
    transaction.on_commit(_move_on)


def _move_on() -> None:
    if ComplianceGeneration.objects.filter(pk=PK).update(number=F("number") + 1):
        return
    try:
        ComplianceGeneration.objects.create(pk=PK, number=1)  # a missing row reads as 0
    except IntegrityError:  # another process made it first
        ComplianceGeneration.objects.filter(pk=PK).update(number=F("number") + 1)


def generation() -> int:
    number = ComplianceGeneration.objects.filter(pk=PK).values_list("number", flat=True).first()
    return int(number or 0)


def scope(offices: QuerySet[Any], today: date) -> str | None:
    """Where figures about these offices on this day are filed at the current generation (the
    same offices asked for the same way share it: the query is the key, not its rows); None
    inside a transaction, which must count afresh."""
    if connection.in_atomic_block:
        return None
    sql, params = offices.order_by().values("pk").query.sql_with_params()
    asked = hashlib.sha256(repr((sql, params)).encode()).hexdigest()[:32]
    return f"compliance:{generation()}:{today.isoformat()}:{asked}"


def figures(name: str, *, scope: str | None, compute: Callable[[], T]) -> T:
    """`compute()`'s value under this scope, from the cache while nothing changed."""
    if scope is None:
        return compute()
    key = f"{scope}:{hashlib.sha256(name.encode()).hexdigest()[:32]}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, TIMEOUT)
    return found
