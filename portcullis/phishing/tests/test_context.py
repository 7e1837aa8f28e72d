"""The directory the analyser compares senders with: kept per process, refreshed on change."""

from __future__ import annotations

from django.test import override_settings

from portcullis.accounts.models import Person, PersonEmail
from portcullis.accounts.services import import_directory
from portcullis.phishing.context import analysis_context, directory
from portcullis.phishing.services import reports
from portcullis.test import BaseTestCase, make_person

from .app_builders import message
from .helpers import DATA


def from_priya() -> bytes:
    return message(
        sender='"Priya Natarajan" <priya.natarajan.office@gmail.com>',
        subject="Quick favour",
        text="Are you at your desk? I need you to handle something discreetly.",
    )


def impersonated(raw: bytes, user) -> list[str]:  # type: ignore[no-untyped-def]
    report = reports.file_report(raw=raw, actor=user, source="upload")
    return [i["evidence"] for i in report.indicators if i["code"] == "sender.impersonates_person"]


@override_settings(PROTECTED_DOMAINS=["parliament.example"])
class DirectoryRefreshTests(BaseTestCase):
    def test_a_person_added_to_the_directory_is_seen_by_the_next_analysis(self) -> None:
        self.assertEqual(impersonated(from_priya(), self.staffer), [])
        make_person("Priya Natarajan", "priya.natarajan@parliament.example")
        [evidence] = impersonated(from_priya(), self.staffer)
        self.assertIn("looks like Priya Natarajan", evidence)

    def test_a_renamed_person_and_a_new_address_are_seen_by_the_next_analysis(self) -> None:
        person = make_person("Priya Raman", "priya.n@parliament.example")
        self.assertEqual(impersonated(from_priya(), self.staffer), [])
        person.full_name = "Priya Natarajan"
        person.save()
        self.assertEqual(len(impersonated(from_priya(), self.staffer)), 1)
        PersonEmail.objects.create(person=person, address="priya.natarajan.office@gmail.com")
        self.assertEqual(impersonated(from_priya(), self.staffer), [])  # her own address now

    def test_people_imported_and_renamed_by_the_directory_import_are_seen(self) -> None:
        header = b"name,emails,office,role\n"
        import_directory(
            data=header + b"Priya Raman,priya.n@parliament.example,Office A,staffer\n",
            actor=self.security,
        )
        self.assertEqual(impersonated(from_priya(), self.staffer), [])
        import_directory(
            data=header + b"Priya Natarajan,priya.n@parliament.example,Office A,staffer\n",
            actor=self.security,
        )
        [evidence] = impersonated(from_priya(), self.staffer)
        self.assertIn("looks like Priya Natarajan", evidence)

    def test_a_person_removed_from_the_directory_is_no_longer_compared(self) -> None:
        person = make_person("Priya Natarajan", "priya.natarajan@parliament.example")
        self.assertEqual(len(impersonated(from_priya(), self.staffer)), 1)
        Person.objects.filter(pk=person.pk).delete()
        self.assertEqual(impersonated(from_priya(), self.staffer), [])

    def test_an_unchanged_directory_is_not_rebuilt(self) -> None:
        first = directory()
        with self.assertNumQueries(5):  # the stamp and the known senders, not the directory
            self.assertIs(analysis_context().directory, first)
        self.assertEqual(len(first), Person.objects.count())


@override_settings(PROTECTED_DOMAINS=["parliament.uk"])
class FirstContactTests(BaseTestCase):
    def test_a_cold_approach_is_a_first_contact_until_the_team_finds_the_sender_harmless(
        self,
    ) -> None:
        raw = (DATA / "approach_thinktank_trip.eml").read_bytes()
        first = reports.file_report(raw=raw, actor=self.staffer, source="upload")
        self.assertIn("approach.cold_persona", {i["code"] for i in first.indicators})
        self.assertEqual(first.verdict, "suspicious")
        again = reports.file_report(raw=raw, actor=self.member, source="upload")
        self.assertEqual(again.verdict, "suspicious")  # reported before, never judged harmless
        reports.override_verdict(
            report=first, verdict="clean", reason="A forum we know", actor=self.security
        )
        later = reports.file_report(raw=raw, actor=self.staffer, source="upload")
        codes = {i["code"] for i in later.indicators}
        self.assertNotIn("sender.first_contact", codes)
        self.assertNotIn("approach.cold_persona", codes)
        self.assertIn("approach.sponsored_trip", codes)  # the tactic is still named
