"""Writing to, sealing and verifying the ledger.

An entry is written in two steps so the chain's single head row is locked only for a moment:

1. `record` / `record_many` insert the entry **unsealed** (no sequence number, no hash) inside the
   caller's transaction, so it exists exactly when the change it records does. No lock is taken.
2. When that transaction commits, `seal` locks the head row, gives every committed unsealed entry
   the next sequence numbers in insertion order, chains their HMACs and moves the head, then
   commits at once. A process that dies between the two steps leaves stragglers; `check_chain`
   (hourly, and `manage.py verify_ledger`) seals them before it verifies.

Visibility (who may read an entry, `need_to_know.ledger_visibility`) is a pure function of the
entry's action, and the action is hashed. The `visibility` column is that function's value kept
for filtering; it is not hashed itself, but the verifier checks it against the action, so moving
an entry from the security team's view into the administrators' is named like any other edit.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

if TYPE_CHECKING:
    from portcullis.accounts.models import User

from portcullis.accounts.need_to_know import ledger_visibility

from .actors import Actor, SystemActor
from .entries import Entry
from .models import LedgerCheck, LedgerEntry, LedgerHead

GENESIS = "0" * 64
SEAL_CHUNK = 1000
COPY_FROM = 500  # entries in a batch from which PostgreSQL's COPY writes them


def record(
    *,
    actor: Actor,
    action: str,
    target: models.Model | None = None,
    data: Mapping[str, object] | None = None,
) -> LedgerEntry:
    """Append one entry. Call it inside the transaction that makes the change it records."""
    (entry,) = record_many(actor=actor, entries=[Entry(action, target, data or {})])
    return entry


def record_many(*, actor: Actor, entries: Iterable[Entry]) -> list[LedgerEntry]:
    """Append a bulk operation's entries in one insert (a COPY, on PostgreSQL, from `COPY_FROM`
    entries; those come back without their ids); each is sealed and verified on its own."""
    now = timezone.now()
    rows = [_unsealed(actor, item, now) for item in entries]
    if not rows:
        return []
    if connection.vendor == "postgresql" and len(rows) >= COPY_FROM:
        _copy(rows)
        created = rows
    else:
        created = LedgerEntry.objects.bulk_create(rows, batch_size=SEAL_CHUNK)
    _seal_on_commit()
    return created


def _copy(rows: list[LedgerEntry]) -> None:
    """PostgreSQL's COPY for a long batch: a third of `bulk_create`'s time (which builds and
    quotes every value of an INSERT; 10 s for a sync's 45,000 entries). The rows keep no id."""
    fields = [f for f in LedgerEntry._meta.concrete_fields if not f.primary_key]
    table = connection.ops.quote_name(LedgerEntry._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(
                [f.get_db_prep_save(f.pre_save(row, add=True), connection) for f in fields]
            )


def _seal_on_commit() -> None:
    # Once per transaction, however many entries it records; `robust`: a failed seal must not
    # undo or fail the committed change (its entries are sealed by the next seal or check).
    if any(pending[1] is _seal_committed for pending in connection.run_on_commit):
        return
    transaction.on_commit(_seal_committed, robust=True)


def _seal_committed() -> None:
    seal()


def _unsealed(actor: Actor, item: Entry, now: datetime) -> LedgerEntry:
    if "." not in item.action:
        raise ValueError(f"ledger actions are 'noun.verb', not {item.action!r}")
    target = item.target
    return LedgerEntry(
        at=now,
        actor=_user_or_none(actor),
        actor_label=_actor_label(actor),
        action=item.action,
        visibility=ledger_visibility(item.action),
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:300] if target is not None else "",
        data=_plain(item.data),
    )


def _user_or_none(actor: Actor) -> User | None:
    if isinstance(actor, SystemActor):
        return None
    if not getattr(actor, "is_authenticated", False):  # None or AnonymousUser, despite the type
        raise TypeError(
            f"ledger.record needs a signed-in User or a SystemActor "
            f"(portcullis.ledger.actors), not {actor!r}"
        )
    return actor


def _actor_label(actor: Actor) -> str:
    if isinstance(actor, SystemActor):
        return actor.label
    return str(actor.email)[:254]


def _plain(data: Mapping[str, object]) -> dict[str, object]:
    # Round-trip through JSON so the hashed form and the stored form are the same values.
    result: dict[str, object] = json.loads(json.dumps(dict(data), cls=DjangoJSONEncoder))
    return result


def seal() -> int:
    """Chain every committed unsealed entry, holding the head row only while doing so."""
    sealed = 0
    with transaction.atomic():
        head, _ = LedgerHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"hash": GENESIS}
        )
        # The pending ids in one query, then each chunk's hashed fields by id, as tuples and
        # not model instances: a bulk operation seals tens of thousands at once, all under the
        # lock (re-running the `seq IS NULL` query per chunk re-sorted every pending row).
        pending = list(
            LedgerEntry.objects.filter(seq__isnull=True).order_by("id").values_list("id", flat=True)
        )
        for start in range(0, len(pending), SEAL_CHUNK):
            chunk = LedgerEntry.objects.filter(pk__in=pending[start : start + SEAL_CHUNK])
            seals = []
            for row in chunk.order_by("id").values_list("id", *HASHED, named=True):
                seq, prev = head.seq + 1, head.hash
                head.seq, head.hash = seq, _hash(row, seq, prev)
                seals.append((row.id, seq, prev, head.hash))
            _write_seals(seals)
            sealed += len(seals)
        if sealed:
            head.save(update_fields=["seq", "hash"])
    return sealed


def _write_seals(seals: list[tuple[int, int, str, str]]) -> None:
    """(id, seq, prev_hash, hash) of a chunk in one UPDATE ... FROM (VALUES ...), on PostgreSQL
    and SQLite alike. `bulk_update` built a CASE per row and field in Python: 95 s for 45,000
    entries, all of it under the lock."""
    table = connection.ops.quote_name(LedgerEntry._meta.db_table)
    rows = ", ".join(["(%s, %s, %s, %s)"] * len(seals))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET seq = v.column2, prev_hash = v.column3, hash = v.column4 "  # noqa: S608
            f"FROM (VALUES {rows}) AS v WHERE {table}.id = v.column1",
            [value for seal in seals for value in seal],
        )


# The fields an entry's hash covers besides its place (seq, prev_hash).
HASHED = (
    "at",
    "actor_id",
    "actor_label",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "data",
)


def entry_hash(entry: LedgerEntry) -> str:
    return _hash(entry, entry.seq, entry.prev_hash)


def _hash(entry: Any, seq: int | None, prev: str) -> str:
    """The HMAC of an entry's `HASHED` fields (read from a model or a row) at its place."""
    payload = json.dumps(
        {
            "seq": seq,
            "at": entry.at.isoformat(),
            "actor": entry.actor_id,
            "actor_label": entry.actor_label,
            "action": entry.action,
            "target_type": entry.target_type,
            "target_id": entry.target_id,
            "target_label": entry.target_label,
            "data": entry.data,
            "prev": prev,
        },
        sort_keys=True,
        separators=(",", ":"),
        cls=DjangoJSONEncoder,
    )
    key = settings.LEDGER_KEY.encode()
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Break:
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"ledger entry #{self.seq}: {self.reason}"


def verify() -> tuple[int, Break | None]:
    """Walk the sealed chain in order. Returns (entries checked, first break or None)."""
    expected_seq, prev, checked = 1, GENESIS, 0
    for entry in _in_order():
        if entry.seq != expected_seq:
            return checked, Break(expected_seq, f"missing (next entry found is #{entry.seq})")
        if entry.prev_hash != prev:
            return checked, Break(entry.seq, "does not follow the entry before it (reordered?)")
        if not hmac.compare_digest(entry_hash(entry), entry.hash):
            return checked, Break(entry.seq, "content does not match its hash (edited)")
        if entry.visibility != ledger_visibility(entry.action):
            return checked, Break(entry.seq, "its visibility does not match its action (edited)")
        prev, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    head = LedgerHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if head_seq != checked or head_hash != prev:
        return checked, Break(checked + 1, f"missing (the head says #{head_seq} is the newest)")
    return checked, None


def _in_order() -> Iterator[LedgerEntry]:
    return LedgerEntry.objects.filter(seq__isnull=False).order_by("seq").iterator(chunk_size=2000)


def check_chain() -> LedgerCheck:
    """Seal stragglers, verify the chain and keep the outcome for the security dashboard."""
    seal()
    checked, broken = verify()
    return LedgerCheck.objects.create(
        entries_checked=checked,
        broken_at=broken.seq if broken else None,
        reason=broken.reason if broken else "",
    )
