from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from portcullis.screening.models import (
    Decision,
    ListImport,
    ListSource,
    MonitoredSubject,
    Screening,
)
from portcullis.screening.tests.builders import SCREEN, T1_FILE, ZALA_FILE, person, watchlist
from portcullis.screening.uploads import run_list_import
from portcullis.test import BaseTestCase


class ScreeningPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.source = watchlist(
            "Local watchlist", person("Viktor Grebenshchikov", dob="1961-03-02", country="RU")
        )

    def test_screening_from_the_page_shows_why_the_candidate_matched(self):
        client = self.client_for(self.security)
        response = client.post(reverse("screening:screen"), SCREEN, follow=True)
        screening = Screening.objects.get()
        self.assertRedirects(
            response, reverse("screening:screening-detail", args=[screening.public_id])
        )
        self.assertEqual(screening.trigger, "page")
        self.assertContains(response, "Possible matches (1)")
        self.assertContains(response, "Local watchlist, version 1")
        self.assertContains(response, "dob_exact")
        self.assertContains(response, "To review")

    def test_a_party_officers_screening_belongs_to_their_party(self):
        self.client_for(self.party_officer).post(reverse("screening:screen"), SCREEN)
        self.assertEqual(Screening.objects.get().party, self.party_a)

    def test_bad_input_is_explained_and_nothing_is_screened(self):
        client = self.client_for(self.security)
        response = client.post(
            reverse("screening:screen"), SCREEN | {"name": " ", "birth_date": "2 March 61"}
        )
        self.assertContains(response, "There is a problem")
        self.assertContains(response, "is not a date")
        self.assertFalse(Screening.objects.exists())

    def test_a_decision_made_on_the_page_is_shown_at_the_next_screening(self):
        client = self.client_for(self.security)
        client.post(reverse("screening:screen"), SCREEN)
        result = Screening.objects.get().results.get(is_match=True)
        client.post(
            reverse("screening:result-decide", args=[result.public_id]),
            {"verdict": "false_match", "reason": "Passport shows a different birthplace"},
        )
        self.assertEqual(Decision.objects.get().verdict, "false_match")
        response = client.post(reverse("screening:screen"), SCREEN, follow=True)
        self.assertContains(response, "False match (decided)")
        self.assertContains(response, "Passport shows a different birthplace")
        self.assertContains(response, "No open hits")

    def test_ticking_monitor_starts_monitoring_for_the_screener(self):
        client = self.client_for(self.party_officer)
        client.post(reverse("screening:screen"), SCREEN | {"monitor": "on"})
        monitored = MonitoredSubject.objects.get()
        self.assertEqual((monitored.owner, monitored.party), (self.party_officer, self.party_a))
        page = client.get(reverse("screening:monitoring"))
        self.assertContains(page, "Viktor Grebenshchikov")


class ListPageTests(BaseTestCase):
    def upload(self, source, data, name="entities.ftm.json"):
        client = self.client_for(self.security)
        queued = DBTaskResult.objects.filter(task_path__endswith="run_list_import_task")
        before = queued.count()
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            response = client.post(
                reverse("screening:list-import", args=[source.public_id]),
                {"file": SimpleUploadedFile(name, data)},
            )
        job = ListImport.objects.latest("created_at")
        self.assertRedirects(response, reverse("screening:import-detail", args=[job.public_id]))
        self.assertEqual(queued.count(), before)  # nothing is enqueued before the commit
        for callback in callbacks:  # the ledger's seal, then the background task
            callback()
        self.assertEqual(queued.count(), before + 1)
        self.assertEqual(queued.latest("enqueued_at").args_kwargs["kwargs"], {"import_id": job.pk})
        return client, job

    def test_an_uploaded_list_is_imported_in_the_background_with_progress(self):
        source = ListSource.objects.create(name="OpenSanctions", slug="os", kind="opensanctions")
        client, job = self.upload(source, ZALA_FILE.read_bytes())
        url = reverse("screening:import-detail", args=[job.public_id])
        waiting = client.get(url, headers={"HX-Request": "true"})
        self.assertContains(waiting, 'hx-trigger="every 2s"')
        self.assertContains(waiting, "<progress")
        self.assertNotContains(waiting, "<html")
        job = run_list_import(job=job)
        self.assertEqual((job.status, job.progress), ("done", 100))
        done = client.get(url, headers={"HX-Request": "true"})
        self.assertNotContains(done, "hx-trigger")
        self.assertContains(done, "Version 1: 17 entities (17 added, 0 removed, 0 changed)")
        version = client.get(reverse("screening:version-detail", args=[job.version.public_id]))
        self.assertContains(version, "Added (17)")
        self.assertContains(version, "ZALA")

    def test_a_malformed_upload_is_rejected_naming_the_line_and_the_old_version_stays(self):
        source = ListSource.objects.create(name="OpenSanctions", slug="os", kind="opensanctions")
        _, first = self.upload(source, T1_FILE.read_bytes())
        run_list_import(job=first)
        lines = ZALA_FILE.read_bytes().splitlines()
        lines[4] = b'{"id": "x", "schema": "Person", "properties": {"name": "not a list"}}'
        client, job = self.upload(source, b"\n".join(lines))
        job = run_list_import(job=job)
        self.assertEqual(job.status, "failed")
        self.assertIn("line 5", job.message)
        self.assertIn("previous version stays in force", job.message)
        page = client.get(reverse("screening:import-detail", args=[job.public_id]))
        self.assertContains(page, "The file was rejected")
        self.assertContains(page, "line 5")
        source.refresh_from_db()
        self.assertEqual(source.current_version, first.version)
        self.assertEqual(source.versions.count(), 1)

    def test_a_security_officer_builds_a_watchlist_from_the_pages(self):
        client = self.client_for(self.security)
        response = client.post(
            reverse("screening:watchlist-create"), {"name": "Persons of concern"}, follow=True
        )
        source = ListSource.objects.get(name="Persons of concern")
        self.assertEqual(source.kind, "internal")
        add = reverse("screening:list-entry-add", args=[source.public_id])
        entry = {
            "name": "Oleg Vantorin",
            "aliases": "Олег Ванторин",
            "birth_date": "1975",
            "country": "",
            "entity_type": "person",
            "note": "approached two offices in May",
        }
        response = client.post(add, entry, follow=True)
        self.assertContains(response, "Version 1 of Persons of concern is in force")
        self.assertContains(response, "Олег Ванторин")
        self.assertContains(
            client.post(add, entry | {"name": ""}), "There is a problem", status_code=400
        )
        client.post(add, entry | {"name": "Second Person", "aliases": ""})
        screen = client.post(
            reverse("screening:screen"),
            SCREEN | {"name": "Олег Ванторин", "birth_date": "", "country": ""},
            follow=True,
        )
        self.assertContains(screen, "Oleg Vantorin")
        self.assertContains(screen, "approached two offices in May")
        external_id = (
            source.versions.get(number=2).entities.get(caption="Oleg Vantorin").external_id
        )
        client.post(
            reverse("screening:list-entry-remove", args=[source.public_id]), {"entry": external_id}
        )
        source.refresh_from_db()
        self.assertEqual(source.current_version.number, 3)
        self.assertEqual(source.current_version.removed_count, 1)
