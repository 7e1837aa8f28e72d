import io
import shutil

from django.core.management import CommandError, call_command
from django.test import TestCase

from portcullis.ledger.actors import WORKER
from portcullis.ledger.models import LedgerEntry
from portcullis.screening.imports import (
    ListImportError,
    import_list,
    source_for,
)
from portcullis.screening.live import current_index
from portcullis.screening.models import ListEntity, ListSource, ListVersion
from portcullis.screening.sources import SOURCES
from portcullis.screening.tests.builders import (
    SANCTIONS,
    T1_FILE,
    UK_FILE,
    UN_FILE,
    ZALA_FILE,
    shared_files,
)


def corrupted(tmp, path, kind):
    """A copy of a real file broken the way each format can break, and the expected message."""
    data = path.read_bytes()
    if kind == "un-sc":
        broken, where = data[:50_000], r"line \d+, column \d+: malformed XML"
    elif kind == "uk-ofsi":
        lines = data.split(b"\n")
        lines[9] = lines[9].rsplit(b",", 1)[0]
        broken, where = b"\n".join(lines), "line 10: 28 fields, the header has 29"
    else:
        lines = data.splitlines()
        lines[2] = lines[2][:40]
        broken, where = b"\n".join(lines), "line 3: not valid JSON"
    target = tmp / f"broken-{path.name}"
    target.write_bytes(broken)
    return target, where


class SharedFilesTests(TestCase):
    def test_the_test_covers_every_file_in_the_shared_folder(self):
        on_disk = {p for p in SANCTIONS.rglob("*") if p.is_file() and p.suffix != ".md"}
        self.assertEqual(on_disk, set(shared_files()))

    def test_every_shared_list_file_imports_as_version_one(self):
        for path, kind in shared_files().items():
            with self.subTest(path.name):
                source = source_for(kind=kind, name=path.name, actor=WORKER)
                version = import_list(source=source, path=path, actor=WORKER)
                source.refresh_from_db()
                expected = len(SOURCES[kind]().load(path))
                self.assertEqual(source.current_version, version)
                self.assertEqual(version.number, 1)
                self.assertEqual(version.status, ListVersion.Status.CURRENT)
                self.assertEqual(version.entity_count, expected)
                self.assertEqual(version.added_count, expected)
                self.assertEqual(len(version.sha256), 64)
        index = current_index()
        self.assertEqual(len(index.index), ListEntity.objects.count())
        self.assertEqual(
            set(index.versions), set(ListSource.objects.values_list("slug", flat=True))
        )

    def test_a_corrupted_copy_of_each_file_is_rejected_and_nothing_changes(self):
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as tmp:
            for path, kind in shared_files().items():
                with self.subTest(path.name):
                    source = source_for(kind=kind, name=path.name, actor=WORKER)
                    good = import_list(source=source, path=path, actor=WORKER)
                    before = (
                        ListVersion.objects.count(),
                        ListEntity.objects.count(),
                        LedgerEntry.objects.count(),
                        current_index().key,
                    )
                    broken, where = corrupted(Path(tmp), path, kind)
                    with self.assertRaisesRegex(ListImportError, where) as caught:
                        import_list(source=source, path=broken, actor=WORKER)
                    self.assertIn("previous version stays in force", str(caught.exception))
                    source.refresh_from_db()
                    self.assertEqual(source.current_version, good)
                    after = (
                        ListVersion.objects.count(),
                        ListEntity.objects.count(),
                        LedgerEntry.objects.count(),
                        current_index().key,
                    )
                    self.assertEqual(before, after)


class VersionDiffTests(TestCase):
    def test_a_new_version_stores_what_was_added_removed_and_changed(self):
        source = source_for(kind="opensanctions", name="Zala", actor=WORKER)
        import_list(source=source, path=ZALA_FILE, actor=WORKER)
        lines = ZALA_FILE.read_bytes().splitlines()
        people = [i for i, line in enumerate(lines) if b'"schema": "Person"' in line]
        companies = [i for i, line in enumerate(lines) if b'"schema": "Company"' in line]
        removed_line = lines[people[0]]
        changed = lines[companies[0]].replace(b'"name": ["', b'"name": ["Renamed ', 1)
        kept = [line for i, line in enumerate(lines) if i not in (people[0], companies[0])]
        data = b"\n".join([*kept, changed, T1_FILE.read_bytes().splitlines()[0]])
        version = import_list(source=source, data=data, file_name="zala-2.json", actor=WORKER)
        self.assertEqual(version.number, 2)
        self.assertEqual(version.removed_count, 1)
        self.assertEqual(version.changed_count, 1)
        self.assertEqual(version.added_count, 1)
        removed_id = [row[0] for row in version.diff["removed"]]
        self.assertIn(removed_line.split(b'"id": "')[1].split(b'"')[0].decode(), removed_id[0])
        self.assertTrue(version.diff["changed"][0][1].startswith("Renamed "))
        self.assertEqual(
            list(source.versions.values_list("number", "status")),
            [(2, "current"), (1, "superseded")],
        )
        entry = LedgerEntry.objects.filter(action="list_version.publish").order_by("id").last()
        self.assertEqual(entry.data["changed"], 1)

    def test_an_internal_watchlist_cannot_be_overwritten_by_a_file(self):
        source = ListSource.objects.create(name="Internal", slug="internal", kind="internal")
        with self.assertRaisesRegex(ListImportError, "edited entry by entry"):
            import_list(source=source, path=T1_FILE, actor=WORKER)


class ImportCommandTests(TestCase):
    def test_the_command_imports_a_file_and_reports_the_version(self):
        out = io.StringIO()
        call_command("import_list", "un-sc", str(UN_FILE), "--source", "UN SC", stdout=out)
        self.assertIn("UN SC: version 1 in force, 999 entities (999 added", out.getvalue())
        call_command("import_list", "un-sc", str(UN_FILE), "--source", "UN SC", stdout=out)
        self.assertIn("UN SC: identical to version 1 in force; no new version", out.getvalue())
        self.assertEqual(ListVersion.objects.count(), 1)

    def test_the_command_rejects_a_malformed_file_naming_the_line(self):
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as tmp:
            broken, where = corrupted(Path(tmp), UK_FILE, "uk-ofsi")
            shutil.copy(broken, Path(tmp) / "copy.csv")
            with self.assertRaisesRegex(CommandError, where):
                call_command("import_list", "uk-ofsi", str(broken), stdout=io.StringIO())
        self.assertFalse(ListVersion.objects.exists())
