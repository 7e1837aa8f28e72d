"""Writing to and verifying the ledger."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from .models import LedgerCheck, LedgerEntry, LedgerHead

GENESIS = "0" * 64


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> LedgerEntry:
    """Append one entry. Call it inside the transaction that makes the change it records."""
    if "." not in action:
        raise ValueError(f"ledger actions are 'noun.verb', not {action!r}")
    with transaction.atomic():
        head, _ = LedgerHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"hash": GENESIS}
        )
        entry = LedgerEntry(
            seq=head.seq + 1,
            at=timezone.now(),
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            actor_label=_actor_label(actor),
            action=action,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            target_label=str(target)[:300] if target is not None else "",
            data=_plain(data or {}),
            prev_hash=head.hash,
        )
        entry.hash = entry_hash(entry)
        entry.save()
        head.seq, head.hash = entry.seq, entry.hash
        head.save(update_fields=["seq", "hash"])
    return entry


def _actor_label(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "anonymous" if actor is None or hasattr(actor, "is_anonymous") else str(actor)
    return str(getattr(actor, "email", actor))


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    # Round-trip through JSON so the hashed form and the stored form are the same values.
    result: dict[str, Any] = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    return result


def entry_hash(entry: LedgerEntry) -> str:
    payload = json.dumps(
        {
            "seq": entry.seq,
            "at": entry.at.isoformat(),
            "actor": entry.actor_id,
            "actor_label": entry.actor_label,
            "action": entry.action,
            "target_type": entry.target_type,
            "target_id": entry.target_id,
            "target_label": entry.target_label,
            "data": entry.data,
            "prev": entry.prev_hash,
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
    """Walk the chain in order. Returns (entries checked, first break or None)."""
    expected_seq, prev, checked = 1, GENESIS, 0
    for entry in _in_order():
        if entry.seq != expected_seq:
            return checked, Break(expected_seq, f"missing (next entry found is #{entry.seq})")
        if entry.prev_hash != prev:
            return checked, Break(entry.seq, "does not follow the entry before it (reordered?)")
        if not hmac.compare_digest(entry_hash(entry), entry.hash):
            return checked, Break(entry.seq, "content does not match its hash (edited)")
        prev, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    head = LedgerHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if head_seq != checked or head_hash != prev:
        return checked, Break(checked + 1, f"missing (the head says #{head_seq} is the newest)")
    return checked, None


def _in_order() -> Iterator[LedgerEntry]:
    return LedgerEntry.objects.order_by("seq").iterator(chunk_size=2000)


def check_chain() -> LedgerCheck:
    """Verify the chain and keep the outcome, so the security dashboard can show it."""
    checked, broken = verify()
    return LedgerCheck.objects.create(
        entries_checked=checked,
        broken_at=broken.seq if broken else None,
        reason=broken.reason if broken else "",
    )
