"""Pages a person clicks through: dashboard panel, course text, records, security actions."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.utils import timezone

from portcullis.ledger.actors import WORKER
from portcullis.test import BaseTestCase
from portcullis.training.models import Assignment, Completion, Exemption, Module
from portcullis.training.services import sync_all_assignments

from .builders import make_course, make_requirement


class PageTests(BaseTestCase):
    def setUp(self) -> None:
        self.course = make_course("security-essentials")
        make_requirement(self.course)
        sync_all_assignments(actor=WORKER, today=timezone.localdate())

    def test_the_dashboard_shows_what_is_due(self) -> None:
        page = self.client_for(self.staffer).get("/")
        self.assertContains(page, "My training")
        self.assertContains(page, "course to do")

    def test_course_text_is_escaped_with_light_formatting(self) -> None:
        Module.objects.create(
            course=self.course,
            order=1,
            title="Intro",
            body="Be **alert**.\n\n- one\n- <script>two</script>",
        )
        page = self.client_for(self.staffer).get(f"/training/courses/{self.course.public_id}/")
        self.assertContains(page, "<strong>alert</strong>", html=False)
        self.assertContains(page, "<li>&lt;script&gt;two&lt;/script&gt;</li>", html=False)
        self.assertNotContains(page, "<script>two", html=False)

    def test_a_list_under_a_heading_or_lead_in_is_a_list_not_dashes(self) -> None:
        Module.objects.create(
            course=self.course, order=1, title="Intro", body="## Signs\nWatch for:\n- one\n- two"
        )
        page = self.client_for(self.staffer).get(f"/training/courses/{self.course.public_id}/")
        self.assertContains(page, '<h3 class="govuk-heading-s">Signs</h3>', html=False)
        self.assertContains(page, '<p class="govuk-body">Watch for:</p>', html=False)
        self.assertContains(page, "<li>one</li><li>two</li>", html=False)
        self.assertNotContains(page, "- one")

    def test_a_sections_guidance_file_downloads(self) -> None:
        module = Module.objects.create(course=self.course, order=1, title="Intro", body="Hi")
        module.guidance.save("card.txt", ContentFile(b"Report it."), save=True)
        client = self.client_for(self.staffer)
        page = client.get(f"/training/courses/{self.course.public_id}/")
        url = f"/training/courses/{self.course.public_id}/sections/1/guidance/"
        self.assertContains(page, f'href="{url}"', html=False)
        download = client.get(url)
        self.assertEqual(b"".join(download.streaming_content), b"Report it.")
        self.assertIn("attachment", download["Content-Disposition"])
        missing = f"/training/courses/{self.course.public_id}/sections/2/guidance/"
        self.assertEqual(client.get(missing).status_code, 404)

    def test_a_question_asks_to_choose_all_that_apply_once(self) -> None:
        from portcullis.training import catalogue, demo

        course = demo._course(catalogue.COURSES[0])
        course.questions_per_attempt = course.questions.count()
        course.save()
        client = self.client_for(self.staffer)
        page = client.post(f"/training/courses/{course.public_id}/quiz/", follow=True)
        multiple = course.questions.filter(kind="multiple").count()
        self.assertGreater(multiple, 0)
        self.assertEqual(page.content.decode().count("all that apply"), multiple)

    def test_an_overdue_course_reads_as_overdue_on_the_dashboard(self) -> None:
        today = timezone.localdate()
        Assignment.objects.filter(person=self.staffer.person).update(
            due_on=today - timedelta(days=400)
        )
        page = self.client_for(self.staffer).get("/")
        self.assertContains(page, "1 overdue")
        self.assertNotContains(page, "next due")

    def test_a_remedial_and_a_regular_assignment_of_one_course_are_told_apart(self) -> None:
        from portcullis.training.services import assign_remedial_training

        assign_remedial_training(
            person=self.staffer.person,
            course=self.course,
            reason="After a phishing test",
            due_on=None,
            actor=self.security,
        )
        page = self.client_for(self.staffer).get("/training/")
        self.assertContains(page, "Extra</strong>", html=False)
        self.assertContains(page, "given to you: After a phishing test")
        self.assertContains(page, "Regular: every 12 months")

    def test_a_completion_is_valid_until_its_renewal(self) -> None:
        completion = Completion.objects.create(
            person=self.staffer.person,
            course=self.course,
            course_version=self.course.version,
            completed_on=date(2026, 1, 31),
        )
        self.assertEqual(completion.renew_by, date(2027, 1, 31))
        page = self.client_for(self.staffer).get("/training/")
        self.assertContains(page, "31 Jan 2027")

    def test_the_compliance_page_explains_its_headline_figure(self) -> None:
        page = self.client_for(self.security).get("/training/compliance/")
        self.assertContains(
            page, '<h1 class="govuk-heading-xl">Training compliance</h1>', html=False
        )
        self.assertContains(page, "including training not yet due")

    def test_my_training_lists_due_courses_and_the_calendar_link(self) -> None:
        page = self.client_for(self.staffer).get("/training/")
        self.assertContains(page, "Security Essentials")
        self.assertContains(page, "/training/calendar/")

    def record_briefing(self, evidence: SimpleUploadedFile) -> HttpResponse:
        """The security officer records a briefing for the staffer, with `evidence`."""
        return self.client_for(self.security).post(
            f"/training/people/{self.staffer.person.public_id}/briefings/",
            {
                "completion-course": self.course.slug,
                "completion-completed_on": str(timezone.localdate()),
                "completion-evidence_note": "Briefed in person by PSD",
                "completion-evidence": evidence,
            },
        )

    def test_a_security_officer_records_a_briefing_with_evidence_from_the_page(self) -> None:
        response = self.record_briefing(
            SimpleUploadedFile("register.pdf", b"%PDF-1.4 signed register", "application/pdf")
        )
        self.assertEqual(response.status_code, 302)
        completion = Completion.objects.get(person=self.staffer.person)
        self.assertEqual(completion.method, "external")
        self.assertTrue(completion.evidence.name.endswith(".pdf"))
        self.assertEqual(Assignment.objects.get(person=self.staffer.person).status, "completed")

    def test_a_briefing_evidence_file_that_is_not_evidence_is_refused_by_name(self) -> None:
        for evidence, words in (
            (SimpleUploadedFile("tool.exe", b"MZ\x90\x00"), "tool.exe: only screenshots"),
            (SimpleUploadedFile("register.pdf", b"MZ\x90\x00"), "not really a PDF file"),
        ):
            with self.subTest(evidence.name):
                response = self.record_briefing(evidence)
                self.assertContains(response, words, status_code=400)
                self.assertFalse(Completion.objects.filter(person=self.staffer.person).exists())

    def test_a_bad_exemption_shows_errors_and_changes_nothing(self) -> None:
        url = f"/training/people/{self.staffer.person.public_id}/exemptions/"
        today = timezone.localdate()
        response = self.client_for(self.security).post(
            url,
            {
                "exemption-reason": "illness",
                "exemption-detail": "Sick",
                "exemption-starts_on": str(today),
                "exemption-ends_on": str(today - timedelta(days=3)),
            },
        )
        self.assertContains(response, "An exemption must end after it starts.", status_code=400)
        self.assertFalse(Exemption.objects.exists())

    def test_compliance_can_be_filtered_by_party(self) -> None:
        page = self.client_for(self.security).get(
            f"/training/compliance/?party={self.party_a.public_id}"
        )
        self.assertContains(page, f"compliance/offices/{self.office_a.public_id}/")
        self.assertNotContains(page, f"compliance/offices/{self.office_b.public_id}/")
        self.assertEqual(
            self.client_for(self.security).get("/training/compliance/?party=nope").status_code, 200
        )
