"""Pages a person clicks through: dashboard panel, course text, records, security actions."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portcullis.test import BaseTestCase
from portcullis.training.models import Assignment, Completion, Exemption, Module
from portcullis.training.services import sync_all_assignments

from .builders import make_course, make_requirement


class PageTests(BaseTestCase):
    def setUp(self) -> None:
        self.course = make_course("security-essentials")
        make_requirement(self.course)
        sync_all_assignments(actor=None, today=timezone.localdate())

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

    def test_my_training_lists_due_courses_and_the_calendar_link(self) -> None:
        page = self.client_for(self.staffer).get("/training/")
        self.assertContains(page, "Security Essentials")
        self.assertContains(page, "/training/calendar/")

    def test_a_security_officer_records_a_briefing_with_evidence_from_the_page(self) -> None:
        url = f"/training/people/{self.staffer.person.public_id}/briefings/"
        evidence = SimpleUploadedFile(
            "register.pdf", b"%PDF-1.4 signed register", "application/pdf"
        )
        response = self.client_for(self.security).post(
            url,
            {
                "completion-course": self.course.slug,
                "completion-completed_on": str(timezone.localdate()),
                "completion-evidence_note": "Briefed in person by PSD",
                "completion-evidence": evidence,
            },
        )
        self.assertEqual(response.status_code, 302)
        completion = Completion.objects.get(person=self.staffer.person)
        self.assertEqual(completion.method, "external")
        self.assertTrue(completion.evidence.name.endswith(".pdf"))
        self.assertEqual(Assignment.objects.get(person=self.staffer.person).status, "completed")

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
