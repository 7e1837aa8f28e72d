from io import StringIO

from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase

from portcullis import ledger
from portcullis.ledger.actors import SCHEDULER, WORKER
from portcullis.ledger.models import AppendOnlyError, LedgerEntry
from portcullis.ledger.services import seal, verify
from portcullis.test import BaseTestCase, make_org


class LedgerChainTests(TestCase):
    def setUp(self) -> None:
        self.org = make_org("Chamber")
        for n in range(5):
            ledger.record(actor=WORKER, action="thing.happen", target=self.org, data={"n": n})
        seal()  # a TestCase never commits, so nothing seals on commit

    def verify_command_error(self) -> str:
        with self.assertRaises(CommandError) as caught:
            call_command("verify_ledger", stdout=StringIO())
        return str(caught.exception)

    def test_an_untouched_chain_verifies(self) -> None:
        out = StringIO()
        call_command("verify_ledger", stdout=out)
        self.assertIn("5 entries verified", out.getvalue())

    def test_each_entry_links_to_the_one_before(self) -> None:
        entries = list(LedgerEntry.objects.order_by("seq"))
        for before, after in zip(entries, entries[1:], strict=False):
            self.assertEqual(after.prev_hash, before.hash)

    def test_editing_a_row_is_named(self) -> None:
        LedgerEntry.objects.filter(seq=3).update(data={"n": 99})
        self.assertIn("#3", self.verify_command_error())
        self.assertIn("edited", self.verify_command_error())

    def test_changing_who_did_it_is_named(self) -> None:
        LedgerEntry.objects.filter(seq=2).update(actor_label="someone.else@example.org")
        self.assertIn("#2", self.verify_command_error())

    def test_deleting_a_row_is_named(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {LedgerEntry._meta.db_table} WHERE seq = 2")
        self.assertIn("#2", self.verify_command_error())
        self.assertIn("missing", self.verify_command_error())

    def test_deleting_the_newest_row_is_caught_by_the_head(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {LedgerEntry._meta.db_table} WHERE seq = 5")
        self.assertIn("#5", self.verify_command_error())

    def test_reordering_rows_is_named(self) -> None:
        table = LedgerEntry._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET seq = 100 WHERE seq = 2")
            cursor.execute(f"UPDATE {table} SET seq = 2 WHERE seq = 3")
            cursor.execute(f"UPDATE {table} SET seq = 3 WHERE seq = 100")
        checked, broken = verify()
        self.assertEqual(checked, 1)
        assert broken is not None
        self.assertEqual(broken.seq, 2)

    def test_the_model_refuses_edits_and_deletes(self) -> None:
        entry = LedgerEntry.objects.get(seq=1)
        entry.action = "thing.rewrite"
        with self.assertRaises(AppendOnlyError):
            entry.save()
        with self.assertRaises(AppendOnlyError):
            entry.delete()

    def test_actions_must_be_noun_verb(self) -> None:
        with self.assertRaises(ValueError):
            ledger.record(actor=WORKER, action="happened")

    def test_work_nobody_signed_in_for_names_its_system_actor(self) -> None:
        entry = ledger.record(actor=SCHEDULER, action="thing.happen")
        self.assertEqual(entry.actor_label, "system: scheduler")
        self.assertIsNone(entry.actor_id)

    def test_an_entry_without_an_actor_is_refused(self) -> None:
        with self.assertRaises(TypeError):
            ledger.record(actor=None, action="thing.happen")  # type: ignore[arg-type]

    def test_moving_an_entry_into_the_administrators_view_is_named(self) -> None:
        LedgerEntry.objects.filter(seq=4).update(visibility="platform")
        self.assertIn("#4", self.verify_command_error())
        self.assertIn("visibility", self.verify_command_error())


class LedgerBrowsingTests(BaseTestCase):
    def test_security_filters_the_ledger_by_action_and_person(self) -> None:
        ledger.record(actor=self.staffer, action="report.submit", target=self.office_a)
        ledger.record(actor=self.member, action="report.submit", target=self.office_a)
        ledger.record(actor=self.member, action="alert.acknowledge", target=self.office_a)
        client = self.client_for(self.security)
        page = client.get("/ledger/?action=report.&actor=member@").content.decode()
        self.assertEqual(page.count("<code>report.submit</code>"), 1)
        self.assertNotIn("alert.acknowledge", page)
        partial = client.get("/ledger/?action=alert.", HTTP_HX_REQUEST="true")
        self.assertNotContains(partial, "<html")
        self.assertContains(partial, "alert.acknowledge")

    def test_a_bad_date_filter_explains_itself_and_shows_nothing(self) -> None:
        page = self.client_for(self.security).get("/ledger/?since=yesterday")
        self.assertContains(page, "Check the filter")
        self.assertContains(page, "No entries match")
