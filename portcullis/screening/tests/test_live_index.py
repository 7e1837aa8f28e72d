"""The one index for the lists in force: saved once per list version, opened by every process."""

import tempfile
from pathlib import Path

from django.test import TestCase, override_settings
from django_tasks_db.models import DBTaskResult

from portcullis.ledger.actors import WORKER
from portcullis.screening import live, tasks
from portcullis.screening.imports import add_watchlist_entry
from portcullis.screening.services import screen_subject
from portcullis.screening.tests.builders import person, query, watchlist


class SharedIndexTests(TestCase):
    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.root = Path(folder.name)
        settings = override_settings(SCREENING_INDEX_DIR=self.root)
        settings.enable()
        self.addCleanup(settings.disable)
        live._cached = None
        self.addCleanup(setattr, live, "_cached", None)

    def saved(self) -> list[Path]:
        return sorted(p for p in self.root.iterdir() if (p / "meta.json").exists())

    def test_the_task_an_import_enqueues_saves_the_index_and_a_fresh_process_only_opens_it(self):
        with self.captureOnCommitCallbacks(execute=True):
            source = watchlist("Watch", person("Oleg Vantorin", dob="1961"))
        queued = DBTaskResult.objects.filter(task_path__endswith=".build_screening_index")
        self.assertTrue(queued.exists())
        self.assertEqual(self.saved(), [])  # nothing built until the task runs
        tasks.build_screening_index.call()
        [directory] = self.saved()
        written = (directory / "postings.npy").stat()
        live._cached = None  # as a web worker that has just started
        subject = query("Oleg Vantorin", dob="1961")
        found = screen_subject(subject=subject, actor=WORKER, purpose="t")
        self.assertEqual([r.caption for r in found.results.all()], ["Oleg Vantorin"])
        self.assertEqual(self.saved(), [directory])  # opened, not built again
        self.assertEqual((directory / "postings.npy").stat().st_mtime_ns, written.st_mtime_ns)
        self.assertEqual(live.current_index().key, live.key_of(live.current_versions()))
        self.assertEqual(source.current_version.entity_count, 1)

    def test_a_new_list_version_is_seen_by_a_process_holding_the_old_index(self):
        source = watchlist("Watch", person("Oleg Vantorin"))
        before = live.current_index()
        add_watchlist_entry(source=source, entry=person("Marina Kelbakh"), actor=WORKER)
        after = live.current_index()
        self.assertNotEqual(before.key, after.key)
        self.assertEqual(len(self.saved()), 2)
        found = screen_subject(subject=query("Marina Kelbakh"), actor=WORKER, purpose="t")
        [result] = found.results.all()
        source.refresh_from_db()
        self.assertEqual(result.list_version_id, source.current_version_id)
        self.assertEqual(result.entity.version_id, source.current_version_id)
        self.assertEqual(result.entity.caption, "Marina Kelbakh")
