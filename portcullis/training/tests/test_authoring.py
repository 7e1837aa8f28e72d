"""The security team writes a course and a requirement in the app; a staffer the requirement
covers takes and passes it. Bad input is refused on its field; nobody else reaches any of it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from portcullis.accounts.models import Role
from portcullis.ledger.actors import WORKER
from portcullis.ledger.models import LedgerEntry
from portcullis.test import BaseTestCase
from portcullis.training import authoring
from portcullis.training.models import Assignment, Completion, Course, Question, QuizAttempt
from portcullis.training.services import sync_all_assignments

from .builders import make_course

QUESTIONS = [
    (
        "Who may you tell about a suspicious approach?",
        [("The security team", True), ("No one", False)],
    ),
    (
        "Which are signs of cultivation?",
        [("Flattery", True), ("Urgency", True), ("A receipt", False)],
    ),
    ("What do you do with a lost pass?", [("Report it at once", True), ("Wait a week", False)]),
    ("Where do you report a phishing e-mail?", [("The report button", True), ("Reply", False)]),
]


def _question_post(text: str, options: list[tuple[str, bool]]) -> dict[str, Any]:
    data: dict[str, Any] = {"text": text, "explanation": "Because the security team says so."}
    for n, (option, _) in enumerate(options, start=1):
        data[f"option_{n}"] = option
    data["correct"] = [str(n) for n, (_, right) in enumerate(options, start=1) if right]
    return data


class WritingAndTakingACourse(BaseTestCase):
    def test_a_course_written_in_pages_is_published_and_a_covered_staffer_passes_it(self) -> None:
        officer = self.client_for(self.security)
        made = officer.post(
            "/training/authoring/new/",
            {
                "title": "Visitors and passes",
                "summary": "How to host a visitor safely.",
                "minutes": "15",
                "pass_mark": "75",
                "questions_per_attempt": "4",
            },
        )
        course = Course.objects.get(title="Visitors and passes")
        base = f"/training/authoring/{course.public_id}/"
        self.assertRedirects(made, base)
        self.assertFalse(course.is_published)
        for title, body in [
            ("Before they arrive", "## Book ahead\nTell the gate:\n- who\n- when"),
            ("On the estate", "Stay with your visitor **at all times**."),
        ]:
            officer.post(base + "sections/new/", {"title": title, "body": body})
        for text, options in QUESTIONS:
            officer.post(base + "questions/new/", _question_post(text, options))
        self.assertEqual(course.modules.count(), 2)
        self.assertEqual(course.questions.count(), 4)
        self.assertEqual(
            Question.objects.get(text__startswith="Which are signs").kind, Question.Kind.MULTIPLE
        )

        # A draft is the security team's alone: not in the catalogue, the API or the course page.
        staff = self.client_for(self.staffer)
        self.assertEqual(staff.get(f"/training/courses/{course.public_id}/").status_code, 404)
        api = staff.get("/api/v1/training/courses/").json()
        self.assertNotIn(str(course.public_id), str(api))

        preview = officer.get(base + "preview/")
        self.assertContains(preview, '<h3 class="govuk-heading-s">Book ahead</h3>', html=False)
        self.assertContains(preview, "<li>who</li><li>when</li>", html=False)
        self.assertContains(preview, "<strong>Report it at once (correct)</strong>", html=False)
        self.assertContains(preview, "Because the security team says so.")

        self.assertRedirects(officer.post(base + "publish/", {"note": ""}), base)
        course.refresh_from_db()
        self.assertEqual(
            (course.is_published, course.version, course.valid_from_version), (True, 1, 1)
        )
        self.assertTrue(
            LedgerEntry.objects.filter(
                action="course.publish_version", actor=self.security
            ).exists()
        )

        officer.post(
            "/training/requirements/new/",
            {
                "name": "Visitors for Office A staff",
                "course": str(course.public_id),
                "roles": [Role.STAFFER],
                "office": str(self.office_a.public_id),
                "every_months": "12",
                "due_within_days": "30",
                "grace_days": "14",
                "starts_on": "1 1 2024",
            },
        )
        sync_all_assignments(actor=WORKER, today=timezone.localdate())
        assignment = Assignment.objects.get(course=course)  # the staffer of office A only
        self.assertEqual(assignment.person, self.staffer.person)

        page = staff.get(f"/training/courses/{course.public_id}/")
        self.assertContains(
            page, "Stay with your visitor <strong>at all times</strong>.", html=False
        )
        started = staff.post(f"/training/courses/{course.public_id}/quiz/")
        attempt = QuizAttempt.objects.get(person=self.staffer.person, course=course)
        self.assertRedirects(started, f"/training/attempts/{attempt.public_id}/")
        answers = {
            qid: [
                str(c.public_id)
                for c in Question.objects.get(public_id=qid).choices.all()
                if c.is_correct
            ]
            for qid in attempt.question_ids
        }
        marked = staff.post(f"/training/attempts/{attempt.public_id}/", answers)
        self.assertEqual(marked.status_code, 302)
        assignment.refresh_from_db()
        self.assertEqual(assignment.status, Assignment.Status.COMPLETED)
        completion = Completion.objects.get(person=self.staffer.person, course=course)
        self.assertEqual((completion.course_version, completion.score), (1, 100))
        self.assertContains(staff.get(marked["Location"]), "Because the security team says so.")

    def test_the_course_page_offers_a_new_version_to_the_security_team_only(self) -> None:
        course = make_course("passes")
        url = f"/training/courses/{course.public_id}/"
        self.assertContains(self.client_for(self.security).get(url), "Publish version 2")
        self.assertNotContains(self.client_for(self.staffer).get(url), "Publish version 2")

    def test_a_second_version_needs_a_note_and_a_substantive_one_asks_everyone_again(self) -> None:
        course = make_course("passes", questions=3, per_attempt=3)
        authoring.add_module(course=course, title="One", body="Text.", actor=self.security)
        with self.assertRaises(authoring.AuthoringError) as refused:
            authoring.publish_course(course=course, substantive=True, note=" ", actor=self.security)
        self.assertEqual(
            (refused.exception.field, str(refused.exception)), ("note", "Enter what changed")
        )
        authoring.publish_course(
            course=course, substantive=True, note="New rules", actor=self.security
        )
        course.refresh_from_db()
        self.assertEqual((course.version, course.valid_from_version), (2, 2))


class BadInputIsRefusedOnItsField(BaseTestCase):
    def _course(self, **changes: Any) -> Course:
        fields: dict[str, Any] = {
            "title": "A course",
            "summary": "Summary.",
            "minutes": 10,
            "pass_mark": 80,
            "questions_per_attempt": 2,
        }
        return authoring.create_course(actor=self.security, **(fields | changes))

    def refused_on(self, field: str, message: str, call: Any, **kwargs: Any) -> None:
        with self.assertRaises(authoring.AuthoringError) as refused:
            call(actor=self.security, **kwargs)
        self.assertEqual((refused.exception.field, str(refused.exception)), (field, message))

    def test_course_details(self) -> None:
        for changes, field, message in [
            ({"title": "  \x00 "}, "title", "Enter the course title"),
            ({"summary": ""}, "summary", "Enter a summary"),
            ({"pass_mark": 0}, "pass_mark", "Pass mark must be a whole number from 1 to 100"),
            (
                {"minutes": None},
                "minutes",
                "Estimated minutes must be a whole number from 1 to 600",
            ),
        ]:
            with self.subTest(field=field):
                with self.assertRaises(authoring.AuthoringError) as refused:
                    self._course(**changes)
                self.assertEqual(
                    (refused.exception.field, str(refused.exception)), (field, message)
                )
        self.assertFalse(Course.objects.exists())

    def test_questions_and_publishing(self) -> None:
        course = self._course()
        ok = "Because."
        self.refused_on(
            "option_1",
            "Enter at least two options",
            authoring.add_question,
            course=course,
            text="Q?",
            explanation=ok,
            options=[("Only", True)],
        )
        self.refused_on(
            "correct",
            "Select which options are correct",
            authoring.add_question,
            course=course,
            text="Q?",
            explanation=ok,
            options=[("A", False), ("B", False)],
        )
        self.refused_on(
            "explanation",
            "Enter an explanation",
            authoring.add_question,
            course=course,
            text="Q?",
            explanation="",
            options=[("A", True), ("B", False)],
        )
        self.refused_on(
            "modules",
            "Add at least one section",
            authoring.publish_course,
            course=course,
            substantive=False,
            note="",
        )
        authoring.add_module(course=course, title="One", body="Text.", actor=self.security)
        authoring.add_question(
            course=course,
            text="Q?",
            explanation=ok,
            options=[("A", True), ("B", False)],
            actor=self.security,
        )
        self.refused_on(
            "questions_per_attempt",
            "Questions per attempt (2) must not be more than the questions in the pool (1)",
            authoring.publish_course,
            course=course,
            substantive=False,
            note="",
        )
        course.refresh_from_db()
        self.assertFalse(course.is_published)

    def test_requirements(self) -> None:
        draft = self._course()
        published = make_course("published")
        good: dict[str, Any] = {
            "name": "Everyone",
            "course": published,
            "roles": [],
            "organisation": None,
            "office": None,
            "min_exposure_tier": None,
            "every_months": None,
            "due_within_days": 30,
            "grace_days": 30,
            "starts_on": date(2026, 1, 1),
        }
        for changes, field, message in [
            ({"course": draft}, "course", "Select a published course"),
            (
                {"organisation": self.other_house, "office": self.office_a},
                "office",
                "Office A is not in Test Upper Chamber: choose one or the other",
            ),
            ({"grace_days": -1}, "grace_days", "Grace must be a whole number from 0 to 365"),
            ({"name": ""}, "name", "Enter a name for the requirement"),
        ]:
            with self.subTest(field=field):
                self.refused_on(field, message, authoring.create_requirement, **(good | changes))
        requirement = authoring.create_requirement(actor=self.security, **good)
        authoring.retire_requirement(requirement=requirement, actor=self.security)
        self.refused_on(
            "name",
            "This requirement has already been retired",
            authoring.retire_requirement,
            requirement=requirement,
        )

    def test_a_page_shows_the_message_beside_its_field(self) -> None:
        course = self._course()
        page = self.client_for(self.security).post(
            f"/training/authoring/{course.public_id}/questions/new/",
            {"text": "Q?", "option_1": "A", "option_2": "B", "explanation": "Because."},
        )
        self.assertEqual(page.status_code, 400)
        self.assertContains(page, "Select which options are correct", status_code=400)
        self.assertContains(page, 'href="#id_correct', status_code=400)
        self.assertFalse(course.questions.exists())


class OnlyTheSecurityTeamWrites(BaseTestCase):
    def test_every_authoring_page_is_refused_to_everyone_else(self) -> None:
        course = make_course("essentials")
        authoring.add_module(course=course, title="One", body="Text.", actor=self.security)
        question = course.questions.first()
        assert question is not None
        requirement = authoring.create_requirement(
            actor=self.security,
            name="All",
            course=course,
            roles=[],
            organisation=None,
            office=None,
            min_exposure_tier=None,
            every_months=None,
            due_within_days=30,
            grace_days=30,
            starts_on=date(2026, 1, 1),
        )
        base = f"/training/authoring/{course.public_id}/"
        pages = [
            "/training/authoring/",
            "/training/authoring/new/",
            base,
            base + "preview/",
            base + "sections/new/",
            base + "sections/1/",
            base + "questions/new/",
            f"{base}questions/{question.public_id}/",
            "/training/requirements/",
            "/training/requirements/new/",
            f"/training/requirements/{requirement.public_id}/",
        ]
        posts = [
            *pages,
            base + "publish/",
            base + "sections/1/remove/",
            f"{base}questions/{question.public_id}/retire/",
            f"/training/requirements/{requirement.public_id}/retire/",
        ]
        officer = self.client_for(self.security)
        for url in pages:
            self.assertEqual(officer.get(url).status_code, 200, url)
        authored = LedgerEntry.objects.filter(
            action__regex=r"^(course|module|question|requirement)\."
        )
        before = authored.count()
        for user in [
            self.member,
            self.staffer,
            self.manager,
            self.gate,
            self.party_officer,
            self.admin,
        ]:
            client = self.client_for(user)
            for url in pages:
                with self.subTest(user=user.email, url=url):
                    self.assertIn(client.get(url).status_code, {403, 404})
            for url in posts:
                with self.subTest(user=user.email, url=url, method="POST"):
                    self.assertIn(
                        client.post(url, {"title": "Taken", "note": "x"}).status_code, {403, 404}
                    )
        course.refresh_from_db()
        requirement.refresh_from_db()
        self.assertEqual(
            (course.version, course.title, requirement.is_active), (1, "Essentials", True)
        )
        self.assertEqual(course.modules.count(), 1)
        self.assertEqual(authored.count(), before)
