import io
import json
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import TestCase

from portcullis.ledger.actors import WORKER
from portcullis.screening import matching
from portcullis.screening.imports import import_list, source_for
from portcullis.screening.models import Screening
from portcullis.screening.tests.builders import UN_FILE, shared_files


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


class ScreenCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        shared_files()
        import_list(
            source=source_for(kind="un-sc", name=None, actor=WORKER), path=UN_FILE, actor=WORKER
        )

    def test_it_prints_explained_results_as_json(self):
        payload = json.loads(
            run(
                "screen",
                "Eric Badege",
                "--dob",
                "1971",
                "--country",
                "CD",
                "--type",
                "person",
                "--json",
            )
        )
        self.assertEqual(payload["algorithm"], matching.DEFAULT_ALGORITHM)
        self.assertEqual(payload["lists"], {"un-sc": 1})
        best = payload["results"][0]
        self.assertEqual(
            (best["caption"], best["match"], best["list_version"]), ("ERIC BADEGE", True, 1)
        )
        self.assertIn("dob_year", {f["name"] for f in best["features"]})
        self.assertFalse(Screening.objects.exists())  # evaluation only: nothing is stored

    def test_it_finds_a_name_given_in_another_script(self):
        # A UN record whose original-script name is Arabic, looked up by that name.
        payload = json.loads(run("screen", "عبد الرحمن", "--near-misses", "--limit", "3", "--json"))
        self.assertTrue(payload["results"])

    def test_an_unknown_algorithm_is_an_error(self):
        with self.assertRaisesRegex(CommandError, "unknown matching algorithm"):
            run("screen", "x", "--algorithm", "nope")


class ScorePairsCommandTests(TestCase):
    def write(self, text):
        folder = tempfile.mkdtemp()
        path = Path(folder) / "pairs.csv"
        path.write_text(text, encoding="utf-8")
        return str(path)

    def test_it_prints_one_json_object_per_pair(self):
        path = self.write(
            "left,right,left_dob,right_dob\n"
            "Sergei Lavrov,Sergey Lavrov,1950-03-21,1950-03-21\n"
            "Wang Jianguo,Wang Jianhua,,\n"
            "Qiu Anda,邱安达,,\n"
        )
        lines = [json.loads(line) for line in run("score_pairs", path, "--json").splitlines()]
        self.assertEqual(len(lines), 3)
        self.assertEqual(
            set(lines[0]),
            {"line", "left", "right", "score", "match", "threshold", "algorithm", "features"},
        )
        self.assertTrue(lines[0]["match"])
        self.assertIn("dob_exact", {f["name"] for f in lines[0]["features"] if f["value"]})
        self.assertFalse(lines[1]["match"])
        threshold = matching.get_algorithm().threshold
        for line in lines:
            self.assertEqual(line["match"], line["score"] >= threshold)

    def test_a_file_without_a_header_is_read_as_left_right(self):
        path = self.write("Mohammed Ali,Muhammad Ali\n")
        (line,) = [json.loads(x) for x in run("score_pairs", path, "--json").splitlines()]
        self.assertEqual((line["line"], line["right"]), (1, "Muhammad Ali"))

    def test_a_row_missing_a_name_names_the_line(self):
        path = self.write("left,right\nA B,\n")
        with self.assertRaisesRegex(CommandError, "line 2"):
            run("score_pairs", path, "--json")
