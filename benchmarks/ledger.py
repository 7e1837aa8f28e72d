"""Ledger benchmark: entries per second, one at a time vs in batches, 1 vs 3 processes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portcullis_ledger \\
        .venv/bin/python benchmarks/ledger.py [--transactions 200] [--per 20] [--work-ms 10]

Prints one JSON object. Needs PostgreSQL (SQLite serialises every writer anyway); the database
is migrated and its ledger emptied first, so give it a database of its own.

Each transaction stands for a bulk operation such as a training sync: it records `--per` entries
and does `--work-ms` of other database work (`pg_sleep`) before it commits. Measured:
- `single`: `ledger.record` once per entry; `batch`: one `ledger.record_many` per transaction;
- `head_lock_to_commit` (the peer, the design this replaced): each entry takes the head-row lock
  and keeps it until the transaction commits, so concurrent transactions run one after another;
- each with 1 and with 3 processes writing at once. Every run ends with the chain verified.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Not this directory: benchmarks/platform.py would shadow the standard library's `platform`.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse  # noqa: E402
import json  # noqa: E402
import multiprocessing  # noqa: E402
import os  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portcullis.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portcullis_ledger")

import django  # noqa: E402

MODES = ("single", "batch", "head_lock_to_commit")


def _setup() -> None:
    django.setup()


def _record_holding_the_head(action: str, data: dict[str, Any]) -> None:
    """The previous `ledger.record`: lock the head, append a sealed entry, move the head; the lock
    lasts until the caller's transaction commits."""
    from django.utils import timezone

    from portcullis.accounts.need_to_know import ledger_visibility
    from portcullis.ledger.actors import WORKER
    from portcullis.ledger.models import LedgerEntry, LedgerHead
    from portcullis.ledger.services import GENESIS, entry_hash

    head, _ = LedgerHead.objects.select_for_update().get_or_create(pk=1, defaults={"hash": GENESIS})
    entry = LedgerEntry(
        seq=head.seq + 1,
        at=timezone.now(),
        actor_label=WORKER.label,
        action=action,
        visibility=ledger_visibility(action),
        data=data,
        prev_hash=head.hash,
    )
    entry.hash = entry_hash(entry)
    entry.save()
    head.seq, head.hash = entry.seq, entry.hash
    head.save(update_fields=["seq", "hash"])


def _writer(mode: str, transactions: int, per: int, work_ms: int, start: Any) -> None:
    _setup()
    from django.db import connection, transaction

    from portcullis import ledger
    from portcullis.ledger.actors import WORKER

    start.wait()
    for t in range(transactions):
        with transaction.atomic():
            items = [ledger.Entry("assignment.create", data={"t": t, "n": n}) for n in range(per)]
            if mode == "batch":
                ledger.record_many(actor=WORKER, entries=items)
            for item in items if mode != "batch" else ():
                if mode == "single":
                    ledger.record(actor=WORKER, action=item.action, data=item.data)
                else:
                    _record_holding_the_head(item.action, dict(item.data))
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(%s)", [work_ms / 1000])
    connection.close()


def _empty_ledger() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE ledger_ledgerentry, ledger_ledgerhead")


def run(mode: str, processes: int, transactions: int, per: int, work_ms: int) -> dict[str, Any]:
    from portcullis.ledger.services import check_chain

    _empty_ledger()
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(processes + 1)
    workers = [
        context.Process(target=_writer, args=(mode, transactions, per, work_ms, start))
        for _ in range(processes)
    ]
    for w in workers:
        w.start()
    start.wait()
    began = time.perf_counter()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - began
    check = check_chain()
    entries = processes * transactions * per
    return {
        "mode": mode,
        "processes": processes,
        "entries": entries,
        "seconds": round(elapsed, 2),
        "entries_per_second": round(entries / elapsed),
        "transactions_per_second": round(processes * transactions / elapsed, 1),
        "chain_intact": check.intact and check.entries_checked == entries,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--transactions", type=int, default=200, help="per process")
    parser.add_argument("--per", type=int, default=20, help="entries per transaction")
    parser.add_argument("--work-ms", type=int, default=10, help="other work per transaction")
    args = parser.parse_args()
    _setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("benchmarks/ledger.py needs PostgreSQL: set DATABASE_URL")
    call_command("migrate", verbosity=0)
    results = [
        run(mode, processes, args.transactions, args.per, args.work_ms)
        for mode in MODES
        for processes in (1, 3)
    ]
    by = {(r["mode"], r["processes"]): r["entries_per_second"] for r in results}
    summary = {
        "database": connection.vendor,
        "load_average_at_end": [round(x, 1) for x in os.getloadavg()],
        "transactions_per_process": args.transactions,
        "entries_per_transaction": args.per,
        "other_work_ms_per_transaction": args.work_ms,
        "results": results,
        "speedup_3_processes": {m: round(by[(m, 3)] / by[(m, 1)], 2) for m in MODES},
        "batch_over_single": round(by[("batch", 1)] / by[("single", 1)], 2),
    }
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
