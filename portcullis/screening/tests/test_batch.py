import csv
import io
from unittest import mock

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TransactionTestCase
from django.urls import reverse
from openpyxl import Workbook

from portcullis.accounts.models import Role
from portcullis.ledger.models import LedgerEntry
from portcullis.screening.batch import run_batch, start_batch
from portcullis.screening.models import BatchScreening, Decision
from portcullis.screening.services import record_decision, screen_subject
from portcullis.screening.tests.builders import person, query, watchlist
from portcullis.test import BaseTestCase, Cast, make_user

ROWS = [
    ["reference", "name", "birth_date", "country", "type"],
    ["D-1", "Viktor Grebenshchikov", "1961-03-02", "RU", "person"],
    ["D-2", '=HYPERLINK("http://evil.example","click")', "", "", ""],
    ["D-3", "Jonah Whitcombe", "1990", "GB", "person"],
]


def csv_bytes(rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def xlsx_bytes(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def result_rows(batch):
    with batch.result.open("rb") as handle:
        return list(csv.DictReader(io.StringIO(handle.read().decode("utf-8-sig"))))


class BatchTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.source = watchlist(
            "Local watchlist", person("Viktor Grebenshchikov", dob="1961-03-02", country="RU")
        )

    def batch(self, data, name="donors.csv", party=None, actor=None):
        with self.captureOnCommitCallbacks(execute=False):
            batch = start_batch(
                upload=ContentFile(data),
                file_name=name,
                purpose="donor check",
                party=party,
                actor=actor or self.security,
            )
        return run_batch(batch=batch, actor=batch.created_by)

    def test_a_csv_is_screened_into_a_formula_escaped_result(self):
        batch = self.batch(csv_bytes(ROWS))
        self.assertEqual(batch.status, "done", batch.message)
        self.assertEqual((batch.total_rows, batch.processed_rows, batch.hit_rows), (3, 3, 1))
        self.assertEqual(batch.versions, {"local-watchlist": 1})
        rows = result_rows(batch)
        self.assertEqual([r["reference"] for r in rows], ["D-1", "D-2", "D-3"])
        self.assertEqual(rows[0]["outcome"], "possible match")
        self.assertEqual(rows[0]["best_match"], "Viktor Grebenshchikov")
        self.assertIn("date of birth exact", rows[0]["explanation"])
        self.assertTrue(rows[1]["name"].startswith("'="))
        self.assertEqual(rows[2]["outcome"], "no match")

    def test_an_xlsx_file_is_read_like_a_csv(self):
        # openpyxl would store "=..." as a formula; "+..." is text to it but still dangerous.
        rows = [*ROWS[:2], ["D-2", "+cmd|' /C calc'!A0", None, None, None], ROWS[3]]
        batch = self.batch(xlsx_bytes(rows), name="donors.xlsx")
        self.assertEqual(batch.status, "done", batch.message)
        self.assertEqual((batch.total_rows, batch.hit_rows), (3, 1))
        found = result_rows(batch)
        self.assertEqual(found[0]["list"], "local-watchlist")
        self.assertEqual(found[1]["name"], "'+cmd|' /C calc'!A0")

    def test_earlier_decisions_for_the_same_subject_and_party_apply(self):
        screening = screen_subject(
            subject=query("Viktor Grebenshchikov", dob="1961-03-02", country="RU"),
            actor=self.party_officer,
            purpose="donor",
            party=self.party_a,
        )
        record_decision(
            result=screening.results.get(is_match=True),
            verdict=Decision.Verdict.FALSE_MATCH,
            reason="different person",
            actor=self.party_officer,
        )
        mine = self.batch(csv_bytes(ROWS), party=self.party_a, actor=self.party_officer)
        self.assertEqual(result_rows(mine)[0]["outcome"], "cleared")
        self.assertEqual(result_rows(mine)[0]["decision"], "False match")
        self.assertEqual(mine.hit_rows, 0)
        theirs = self.batch(csv_bytes(ROWS), party=self.party_b)
        self.assertEqual(result_rows(theirs)[0]["outcome"], "possible match")

    def test_a_file_without_a_name_column_fails_with_a_message(self):
        batch = self.batch(csv_bytes([["full name"], ["X"]]))
        self.assertEqual(batch.status, "failed")
        self.assertIn("missing: name", batch.message)
        self.assertFalse(batch.result)

    def test_rows_skipped_or_with_problems_are_listed_with_their_row_and_reason(self):
        rows = [
            *ROWS,
            ["D-4", "Someone", "", "", "ship"],
            ["", "", "", "", ""],
            ["D-6", "", "1970", "", ""],
            ["D-7", "Viktor Grebenshchikov", "02/03/1961", "RU", "person"],
            ["D-8", "Jonah Whitcombe", "1990-02-30", "", ""],
            ["", "", "", "", ""],  # trailing blank rows are not rows
        ]
        batch = self.batch(csv_bytes(rows))
        self.assertEqual(batch.status, "done", batch.message)
        self.assertEqual(batch.total_rows, 5)
        found = [(p.row, p.screened, p.reason) for p in batch.problems.all()]
        self.assertEqual(
            [(row, screened) for row, screened, _ in found],
            [(5, False), (6, False), (7, False), (8, True), (9, True)],
        )
        self.assertIn("Type must be person or organisation, not “ship”", found[0][2])
        self.assertEqual(found[1][2], "The row is blank.")
        self.assertEqual(found[2][2], "The name is empty.")
        self.assertIn("Birth date “02/03/1961” is not a date", found[3][2])
        self.assertIn("screened without it", found[3][2])
        self.assertIn("“1990-02-30”", found[4][2])
        screened = {r["reference"]: r for r in result_rows(batch)}
        self.assertEqual(screened["D-7"]["outcome"], "possible match")  # on the name alone
        self.assertEqual(screened["D-7"]["birth_date"], "")

    def test_more_rows_than_the_limit_are_refused(self):
        with mock.patch("portcullis.screening.batch.MAX_ROWS", 2):
            batch = self.batch(csv_bytes(ROWS))
        self.assertEqual(batch.status, "failed")
        self.assertIn("more than 2 rows", batch.message)

    def test_the_page_shows_progress_and_offers_the_result_for_download(self):
        client = self.client_for(self.security)
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            response = client.post(
                reverse("screening:batches"),
                {"file": SimpleUploadedFile("donors.csv", csv_bytes(ROWS)), "purpose": "donors"},
            )
        self.assertEqual(len(callbacks), 1)
        batch = BatchScreening.objects.get()
        url = reverse("screening:batch-detail", args=[batch.public_id])
        self.assertRedirects(response, url)
        waiting = client.get(url, headers={"HX-Request": "true"})
        self.assertContains(waiting, 'hx-trigger="every 2s"')
        self.assertContains(waiting, "<progress")
        run_batch(batch=batch, actor=self.security)
        done = client.get(url, headers={"HX-Request": "true"})
        self.assertNotContains(done, "hx-trigger")
        self.assertContains(done, "3 of 3 rows screened, 1 with possible matches")
        download = client.get(reverse("screening:batch-result", args=[batch.public_id]))
        self.assertEqual(download["Content-Type"], "text/csv")
        self.assertIn("attachment", download["Content-Disposition"])
        self.assertIn(b"possible match", b"".join(download.streaming_content))

    def test_each_hit_is_decided_on_the_batch_page_with_a_reason_and_a_ledger_row(self):
        batch = self.batch(csv_bytes(ROWS), party=self.party_a, actor=self.party_officer)
        [hit] = batch.hits.all()
        self.assertEqual((hit.row, hit.reference, hit.caption), (2, "D-1", "Viktor Grebenshchikov"))
        client = self.client_for(self.party_officer)
        url = reverse("screening:batch-detail", args=[batch.public_id])
        page = client.get(url)
        self.assertContains(page, "Row 2 (D-1): Viktor Grebenshchikov")
        self.assertContains(page, "To review")
        self.assertContains(page, "Every row was screened as written.")
        decide = reverse("screening:batch-decide", args=[hit.public_id])
        refused = client.post(decide, {"verdict": "needs_information", "reason": " "})
        self.assertRedirects(refused, f"{url}?page=1#hit-{hit.public_id}")
        hit.refresh_from_db()
        self.assertEqual(hit.verdict, "")
        response = client.post(
            decide, {"verdict": "needs_information", "reason": "Ask the donor for a passport"}
        )
        self.assertRedirects(response, f"{url}?page=1#hit-{hit.public_id}")
        hit.refresh_from_db()
        self.assertEqual((hit.verdict, hit.decided_by), ("needs_information", self.party_officer))
        entry = LedgerEntry.objects.filter(action="screening_batch.decide").get()
        self.assertEqual(entry.data["verdict"], "needs_information")
        self.assertEqual(entry.data["row"], 2)
        self.assertContains(client.get(url), "Needs more information by")

    def test_another_partys_officer_and_a_staffer_cannot_see_or_decide_a_batch_hit(self):
        batch = self.batch(csv_bytes(ROWS), party=self.party_a, actor=self.party_officer)
        [hit] = batch.hits.all()
        decide = reverse("screening:batch-decide", args=[hit.public_id])
        page = reverse("screening:batch-detail", args=[batch.public_id])
        attempt = {"verdict": "false_positive", "reason": "not them"}
        officer_b = make_user(
            "party-b@test.example", Role.PARTY_COMPLIANCE_OFFICER, organisation=self.party_b
        )
        other = self.client_for(officer_b)
        self.assertEqual(other.get(page).status_code, 404)
        self.assertEqual(other.post(decide, attempt).status_code, 404)
        staff = self.client_for(self.staffer)
        self.assertIn(staff.post(decide, attempt).status_code, (403, 404))
        hit.refresh_from_db()
        self.assertEqual(hit.verdict, "")
        self.assertFalse(LedgerEntry.objects.filter(action="screening_batch.decide").exists())

    def test_the_page_refuses_other_file_types(self):
        client = self.client_for(self.security)
        response = client.post(
            reverse("screening:batches"),
            {"file": SimpleUploadedFile("donors.pdf", b"%PDF"), "purpose": "donors"},
        )
        self.assertContains(response, "Upload a .csv or .xlsx file.")
        self.assertFalse(BatchScreening.objects.exists())


class BatchThroughTheWorkerTests(TransactionTestCase):
    def test_the_task_worker_runs_an_uploaded_batch(self):
        Cast.build(self)
        watchlist("Local watchlist", person("Viktor Grebenshchikov"))
        batch = start_batch(
            upload=ContentFile(csv_bytes(ROWS)),
            file_name="donors.csv",
            purpose="donors",
            party=None,
            actor=self.security,
        )
        call_command("db_worker", "--batch", "--no-reload", "--interval", "0", verbosity=0)
        batch.refresh_from_db()
        self.assertEqual((batch.status, batch.hit_rows), ("done", 1))
