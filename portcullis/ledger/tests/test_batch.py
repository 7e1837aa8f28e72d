"""Entries are inserted unsealed with their change and chained when it commits (`seal`)."""

from io import StringIO

from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import TestCase, TransactionTestCase

from portcullis import ledger
from portcullis.ledger.actors import WORKER
from portcullis.ledger.models import LedgerEntry, LedgerHead
from portcullis.ledger.services import SEAL_CHUNK, seal, verify
from portcullis.test import make_org


def batch(n: int, start: int = 0) -> list[ledger.Entry]:
    return [ledger.Entry("thing.happen", data={"n": i}) for i in range(start, start + n)]


class BatchTests(TestCase):
    def test_a_batch_is_one_insert_and_verifies_entry_by_entry(self) -> None:
        org = make_org("Chamber")
        ledger.record(actor=WORKER, action="thing.start", target=org)
        with self.assertNumQueries(1):
            ledger.record_many(actor=WORKER, entries=batch(60))
        seal()
        self.assertEqual(verify(), (61, None))
        entries = list(LedgerEntry.objects.order_by("seq"))
        self.assertEqual([e.seq for e in entries], list(range(1, 62)))
        self.assertEqual([e.data["n"] for e in entries[1:]], list(range(60)))

    def test_a_tampered_entry_of_a_batch_is_named(self) -> None:
        ledger.record_many(actor=WORKER, entries=batch(50))
        seal()
        LedgerEntry.objects.filter(seq=37).update(data={"n": 0})
        with self.assertRaises(CommandError) as caught:
            call_command("verify_ledger", stdout=StringIO())
        self.assertIn("ledger entry #37", str(caught.exception))
        self.assertIn("edited", str(caught.exception))

    def test_a_batch_longer_than_a_seal_chunk_chains_across_chunks(self) -> None:
        ledger.record_many(actor=WORKER, entries=batch(SEAL_CHUNK + 5))
        self.assertEqual(seal(), SEAL_CHUNK + 5)
        self.assertEqual(verify(), (SEAL_CHUNK + 5, None))
        self.assertEqual(LedgerHead.objects.get().seq, SEAL_CHUNK + 5)
        # An edited entry of the second chunk is still named.
        LedgerEntry.objects.filter(seq=SEAL_CHUNK + 2).update(target_label="nobody")
        checked, broken = verify()
        self.assertEqual(
            (checked, str(broken)),
            (
                SEAL_CHUNK + 1,
                f"ledger entry #{SEAL_CHUNK + 2}: content does not match its hash (edited)",
            ),
        )

    def test_a_deleted_entry_of_a_batch_is_named(self) -> None:
        ledger.record_many(actor=WORKER, entries=batch(20))
        seal()
        LedgerEntry.objects.filter(seq=12)._raw_delete(LedgerEntry.objects.db)
        checked, broken = verify()
        self.assertEqual((checked, broken.seq if broken else None), (11, 12))

    def test_stragglers_are_sealed_by_the_check_before_it_verifies(self) -> None:
        ledger.record_many(actor=WORKER, entries=batch(3))
        self.assertEqual(LedgerEntry.objects.filter(seq__isnull=True).count(), 3)
        out = StringIO()
        call_command("verify_ledger", stdout=out)
        self.assertIn("3 entries verified", out.getvalue())
        self.assertFalse(LedgerEntry.objects.filter(seq__isnull=True).exists())

    def test_an_empty_batch_writes_nothing(self) -> None:
        self.assertEqual(ledger.record_many(actor=WORKER, entries=[]), [])
        self.assertFalse(LedgerEntry.objects.exists())


class SealOnCommitTests(TransactionTestCase):
    def test_entries_are_sealed_when_their_change_commits(self) -> None:
        with transaction.atomic():
            ledger.record(actor=WORKER, action="thing.happen")
            ledger.record_many(actor=WORKER, entries=batch(4))
            # Nothing is chained, and the head is not locked, until the change commits.
            self.assertFalse(LedgerHead.objects.exists())
        self.assertFalse(LedgerEntry.objects.filter(seq__isnull=True).exists())
        self.assertEqual(LedgerHead.objects.get().seq, 5)
        self.assertEqual(verify(), (5, None))

    def test_a_rolled_back_change_leaves_no_entry(self) -> None:
        ledger.record(actor=WORKER, action="thing.before")
        with self.assertRaises(RuntimeError), transaction.atomic():
            ledger.record_many(actor=WORKER, entries=batch(3))
            raise RuntimeError("the change fails")
        self.assertEqual(LedgerEntry.objects.count(), 1)
        self.assertEqual(verify(), (1, None))
