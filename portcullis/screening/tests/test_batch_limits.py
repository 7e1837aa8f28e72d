"""Issue 10 finding 10, as the attack: one XLSX cell of 200,000 aliases held the only worker for
minutes. CSV and XLSX batches now have the same cell and alias limits, the refusal names the row
and the column, and one row's screening is bounded in time."""

from unittest import mock

from django.core.files.base import ContentFile

from portcullis.lib.csvsafe import MAX_FIELD_CHARS
from portcullis.screening.batch import MAX_ALIASES, run_batch, start_batch
from portcullis.screening.tests.builders import person, watchlist
from portcullis.screening.tests.test_batch import csv_bytes, result_rows, xlsx_bytes
from portcullis.test import BaseTestCase

HEADER = ["reference", "name", "aliases"]


class BatchLimitTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        watchlist("Local watchlist", person("Viktor Grebenshchikov"))

    def batch(self, data, name):
        with self.captureOnCommitCallbacks(execute=False):
            batch = start_batch(
                upload=ContentFile(data),
                file_name=name,
                purpose="donor check",
                party=None,
                actor=self.security,
            )
        return run_batch(batch=batch, actor=self.security)

    def test_an_xlsx_cell_of_200000_aliases_is_skipped_naming_its_row_and_column(self):
        aliases = ";".join(f"Alias Number{i}" for i in range(200_000))
        data = xlsx_bytes([HEADER, ["D-1", "Jonah Whitcombe", "Jo"], ["D-2", "Viktor", aliases]])
        batch = self.batch(data, "donors.xlsx")
        self.assertEqual(batch.status, "done", batch.message)
        self.assertEqual(batch.total_rows, 1)  # the long row is never screened
        [problem] = batch.problems.all()
        self.assertEqual((problem.row, problem.screened), (3, False))
        self.assertIn("aliases: the cell holds", problem.reason)
        self.assertIn(f"at most {MAX_FIELD_CHARS:,}", problem.reason)
        self.assertEqual([r["reference"] for r in result_rows(batch)], ["D-1"])

    def test_csv_and_xlsx_skip_more_aliases_than_the_api_allows(self):
        aliases = ";".join(f"A{i}" for i in range(MAX_ALIASES + 1))
        rows = [HEADER, ["D-1", "Viktor", aliases], ["D-2", "Jonah Whitcombe", ""]]
        for data, name in ((csv_bytes(rows), "d.csv"), (xlsx_bytes(rows), "d.xlsx")):
            batch = self.batch(data, name)
            with self.subTest(name=name):
                self.assertEqual((batch.status, batch.total_rows), ("done", 1))
                [problem] = batch.problems.all()
                self.assertEqual(problem.row, 2)
                self.assertIn(f"aliases: {MAX_ALIASES + 1} names", problem.reason)

    def test_a_file_of_nothing_but_bad_rows_fails_naming_them(self):
        aliases = ";".join(f"A{i}" for i in range(MAX_ALIASES + 1))
        batch = self.batch(csv_bytes([HEADER, ["D-1", "Viktor", aliases]]), "d.csv")
        self.assertEqual(batch.status, "failed")
        self.assertIn(f"row 2: aliases: {MAX_ALIASES + 1} names", batch.message)

    def test_a_long_csv_cell_is_refused_with_its_line(self):
        rows = [HEADER, ["D-1", "Viktor", "x" * (MAX_FIELD_CHARS + 1)]]
        batch = self.batch(csv_bytes(rows), "d.csv")
        self.assertEqual(batch.status, "failed")
        self.assertIn("Line 2: a cell holds more than", batch.message)

    def test_an_xlsx_that_unpacks_too_large_is_refused_before_it_is_read(self):
        with mock.patch("portcullis.screening.batch.MAX_XLSX_UNPACKED", 1024):
            batch = self.batch(xlsx_bytes([HEADER, ["D-1", "Viktor", ""]]), "d.xlsx")
        self.assertEqual(batch.status, "failed")
        self.assertIn("The workbook unpacks to", batch.message)

    def test_a_row_past_its_time_bound_is_reported_not_screened_and_the_batch_goes_on(self):
        rows = [HEADER, ["D-1", "Viktor Grebenshchikov", ""]]
        with mock.patch("portcullis.screening.batch.ROW_SECONDS", 0.0):
            batch = self.batch(xlsx_bytes(rows), "d.xlsx")
        self.assertEqual(batch.status, "done", batch.message)
        [row] = result_rows(batch)
        self.assertEqual(row["outcome"], "not screened")
        self.assertIn("screen it on its own", row["explanation"])

    def test_nul_bytes_in_uploaded_rows_are_refused_early_or_removed(self):
        early = self.batch(csv_bytes([HEADER, ["D-\x001", "Viktor", ""]]), "d.csv")
        self.assertIn("binary data", early.message)
        filler = [[f"F-{i}", "Jonah Whitcombe", ""] for i in range(300)]
        rows = [HEADER, *filler, ["D-\x001", "Viktor\x00 Grebenshchikov", ""]]
        batch = self.batch(csv_bytes(rows), "d.csv")  # (openpyxl writes no NUL in XLSX)
        self.assertEqual(batch.status, "done", batch.message)
        row = result_rows(batch)[-1]
        self.assertEqual((row["reference"], row["name"]), ("D-1", "Viktor Grebenshchikov"))
