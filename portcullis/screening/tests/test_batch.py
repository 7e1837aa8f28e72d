import csv
import io
from unittest import mock

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TransactionTestCase
from django.urls import reverse
from openpyxl import Workbook

from portcullis.screening.batch import run_batch, start_batch
from portcullis.screening.models import BatchScreening, Decision
from portcullis.screening.services import record_decision, screen_subject
from portcullis.screening.tests.builders import person, query, watchlist
from portcullis.test import BaseTestCase, Cast

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

    def test_a_bad_row_names_the_row(self):
        batch = self.batch(csv_bytes([*ROWS, ["D-4", "Someone", "", "", "ship"]]))
        self.assertEqual(batch.status, "failed")
        self.assertIn("Row 5: type must be person or organisation", batch.message)

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
