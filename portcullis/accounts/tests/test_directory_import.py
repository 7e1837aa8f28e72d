from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from portcullis.accounts.models import DirectoryImport, Membership, Person, PersonEmail, Role
from portcullis.accounts.services import import_directory
from portcullis.intel.tests.builders import IMMEDIATE_TASKS, media_in_tmp
from portcullis.ledger.models import LedgerEntry
from portcullis.test import BaseTestCase
from portcullis.training.tests.builders import make_course, make_requirement

GOOD = (
    b"name,emails,office,role\n"
    b"Alex Morgan,alex.morgan@parliament.example;a.morgan@gmail.com,Office A,staffer\n"
    b"Jun Li,jun.li@parliament.example,Office B,office_manager\n"
    b"Robin Shaw,robin.shaw@parliament.example,Security Team,security_officer\n"
)


class DirectoryImportTests(BaseTestCase):
    def test_people_are_added_with_all_their_addresses_and_roles(self) -> None:
        report = import_directory(data=GOOD, actor=self.security)
        self.assertEqual((report.created, report.updated, report.errors), (3, 0, []))
        alex = Person.objects.get(full_name="Alex Morgan")
        self.assertEqual(
            sorted(alex.emails.values_list("address", flat=True)),
            ["a.morgan@gmail.com", "alex.morgan@parliament.example"],
        )
        self.assertEqual(alex.primary_email, "alex.morgan@parliament.example")
        robin = Membership.objects.get(person__full_name="Robin Shaw")
        self.assertEqual((robin.role, robin.office), (Role.SECURITY_OFFICER, None))
        entry = LedgerEntry.objects.get(action="directory.import")
        self.assertEqual(entry.data["created"], 3)

    def test_a_newcomers_party_and_job_title_are_kept(self) -> None:
        data = (
            b"name,emails,office,role,party,job_title\n"
            b"Sam Tan,sam@x.example,Office A,member,Party A,MP\n"
        )
        import_directory(data=data, actor=self.security)
        sam = Person.objects.get(full_name="Sam Tan")
        self.assertEqual((sam.party, sam.job_title), (self.party_a, "MP"))
        again = import_directory(data=data, actor=self.security)
        self.assertEqual((again.updated, again.unchanged), (0, 1))

    def test_importing_the_same_file_twice_changes_nothing(self) -> None:
        import_directory(data=GOOD, actor=self.security)
        counts = (Person.objects.count(), PersonEmail.objects.count(), Membership.objects.count())
        report = import_directory(data=GOOD, actor=self.security)
        self.assertEqual((report.created, report.updated, report.unchanged), (0, 0, 3))
        self.assertEqual(
            counts,
            (Person.objects.count(), PersonEmail.objects.count(), Membership.objects.count()),
        )

    def test_one_bad_row_is_reported_by_line_and_nothing_is_written(self) -> None:
        bad = GOOD + (
            b"Nobody,not-an-address,Office A,staffer\n"
            b"Pat Lee,pat@parliament.example,Office Z,staffer\n"
            b"Kim Ray,kim@parliament.example,Office A,emperor\n"
            b"Sam Tan,sam@parliament.example,,member\n"
        )
        before = Person.objects.count()
        report = import_directory(data=bad, actor=self.security)
        self.assertEqual([line for line, _ in report.errors], [5, 6, 7, 8])
        messages = " ".join(message for _, message in report.errors)
        self.assertIn("not a valid e-mail address", messages)
        self.assertIn("no office called “Office Z”", messages)
        self.assertIn("“emperor” is not a role", messages)
        self.assertIn("needs an office", messages)
        self.assertEqual(Person.objects.count(), before)

    def test_an_address_already_owned_by_someone_else_is_refused(self) -> None:
        data = b"name,emails,office,role\nImpostor,staffer@test.example,Office A,staffer\n"
        report = import_directory(data=data, actor=self.security)
        self.assertEqual(report.created, 0)
        self.assertEqual(report.updated, 1)  # the same address means the same person: updated
        clash = (
            b"name,emails,office,role\n"
            b"Two People,staffer@test.example;member@test.example,Office A,staffer\n"
        )
        self.assertIn(
            "belong to different people",
            import_directory(data=clash, actor=self.security).errors[0][1],
        )

    def test_hostile_files_get_a_clear_message(self) -> None:
        cases = {
            b"\x00\x01\x02binary": "not a CSV",
            b"who,what\nx,y\n": "missing: emails, name, office, role",
            b"name,emails,office,role\n": "no people",
            b"name,emails,office,role\n"
            + b'"'
            + b"x" * 5000
            + b'",a@b.example,Office A,staffer\n': "Line",
        }
        for data, expected in cases.items():
            with self.subTest(expected=expected):
                report = import_directory(data=data, actor=self.security)
                self.assertIn(expected, report.errors[0][1])

    def test_windows_1252_files_are_read(self) -> None:
        data = "name,emails,office,role\nZoë Ängström,zoe@parliament.example,Office A,staffer\n"
        report = import_directory(data=data.encode("cp1252"), actor=self.security)
        self.assertEqual(report.created, 1)
        self.assertTrue(Person.objects.filter(full_name="Zoë Ängström").exists())


@IMMEDIATE_TASKS
@media_in_tmp()
class DirectoryImportFromThePage(BaseTestCase):
    def upload(self, client: Client, data: bytes) -> DirectoryImport:
        response = client.post(
            "/people/import/", {"file": SimpleUploadedFile("people.csv", data, "text/csv")}
        )
        job = DirectoryImport.objects.get()
        self.assertRedirects(response, f"/people/import/{job.public_id}/")
        return job

    def test_the_file_is_imported_in_the_background_with_progress(self) -> None:
        client = self.client_for(self.security)
        make_requirement(make_course("essentials"), roles=[Role.STAFFER])
        with self.captureOnCommitCallbacks(execute=False) as queued:
            job = self.upload(client, GOOD)
        waiting = client.get(f"/people/import/{job.public_id}/")
        self.assertContains(waiting, '<progress id="import-bar"')
        self.assertContains(waiting, 'hx-trigger="every 2s"')  # the page polls until it is done
        self.assertFalse(Person.objects.filter(full_name="Alex Morgan").exists())
        with self.captureOnCommitCallbacks(execute=True):
            for callback in queued:
                callback()
        job.refresh_from_db()
        self.assertEqual((job.status, job.rows_checked, job.rows_total), ("done", 3, 3))
        done = client.get(f"/people/import/{job.public_id}/", headers={"HX-Request": "true"})
        self.assertContains(done, "3 added, 0 updated, 0 unchanged")
        self.assertNotContains(done, "hx-trigger")
        alex = Person.objects.get(full_name="Alex Morgan")
        self.assertTrue(alex.assignments.filter(course__slug="essentials").exists())
        self.assertContains(client.get("/people/import/"), "people.csv")

    def test_one_bad_line_refuses_the_whole_file_and_each_is_listed(self) -> None:
        client = self.client_for(self.security)
        bad = GOOD + b"Pat,pat@x.example,Office Z,staffer\nKim Ray,kim@x.example,Office A,emperor\n"
        before = (Person.objects.count(), PersonEmail.objects.count(), Membership.objects.count())
        with self.captureOnCommitCallbacks(execute=True):
            job = self.upload(client, bad)
        page = client.get(f"/people/import/{job.public_id}/")
        self.assertContains(page, "Nothing was imported: 2 rows need fixing")
        self.assertContains(page, "no office called “Office Z”")
        self.assertContains(page, "“emperor” is not a role")
        self.assertEqual(
            before,
            (Person.objects.count(), PersonEmail.objects.count(), Membership.objects.count()),
        )
        job.refresh_from_db()
        self.assertEqual([line for line, _ in job.errors], [5, 6])

    def test_only_the_security_team_and_administrators_import_or_see_imports(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            job = self.upload(self.client_for(self.admin), GOOD)
        for user in (self.staffer, self.manager, self.gate, self.party_officer):
            client = self.client_for(user)
            self.assertEqual(client.get(f"/people/import/{job.public_id}/").status_code, 403)
            self.assertEqual(client.get("/people/import/").status_code, 403)


class DirectoryImportQueuesTrainingSync(BaseTestCase):
    def test_imported_people_are_queued_for_training_sync_once_committed(self) -> None:
        from django_tasks_db.models import DBTaskResult

        with self.captureOnCommitCallbacks(execute=True):
            import_directory(data=GOOD, actor=self.security)
        task = DBTaskResult.objects.get(task_path__endswith="sync_people_assignments")
        people = Person.objects.filter(full_name__in=["Alex Morgan", "Jun Li", "Robin Shaw"])
        self.assertEqual(
            sorted(task.args_kwargs["kwargs"]["person_ids"]),
            sorted(people.values_list("pk", flat=True)),
        )
        with self.captureOnCommitCallbacks(execute=True):
            import_directory(data=GOOD, actor=self.security)  # nothing changed: nothing queued
        self.assertEqual(DBTaskResult.objects.count(), 1)
