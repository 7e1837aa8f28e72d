"""`ledger.record(actor=..., action="noun.verb", target=...)`: the one way to record a change.

A bulk operation records its entries with one `ledger.record_many(actor=..., entries=[...])`
of `ledger.Entry(action, target, data)`: one insert, each entry still chained and verified on its
own. `actor` is a signed-in `User` or one of the system actors in `portcullis.ledger.actors`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from .actors import Actor
from .entries import Entry

__all__ = ["Entry", "record", "record_many"]

if TYPE_CHECKING:
    from django.db.models import Model

    from .models import LedgerEntry


def record(
    *,
    actor: Actor,
    action: str,
    target: Model | None = None,
    data: Mapping[str, object] | None = None,
) -> LedgerEntry:
    # Imported here: `from portcullis import ledger` must work before the apps are loaded.
    from .services import record as _record

    return _record(actor=actor, action=action, target=target, data=data)


def record_many(*, actor: Actor, entries: Iterable[Entry]) -> list[LedgerEntry]:
    from .services import record_many as _record_many

    return _record_many(actor=actor, entries=entries)
