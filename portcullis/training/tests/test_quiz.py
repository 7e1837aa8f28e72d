"""Quizzes: question pools, pass mark, retakes, completion and certificate."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from portcullis.ledger.actors import WORKER
from portcullis.test import BaseTestCase
from portcullis.training import services
from portcullis.training.models import Assignment, Completion
from portcullis.training.services import start_attempt, submit_attempt

from .builders import make_course, right_answers, wrong_answers

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


class QuizTests(BaseTestCase):
    def setUp(self) -> None:
        self.course = make_course(questions=6, per_attempt=3, pass_mark=60)
        self.person = self.staffer.person

    def start(self, seed: int = 1):  # type: ignore[no-untyped-def]
        return start_attempt(
            person=self.person,
            course=self.course,
            actor=self.staffer,
            now=NOW,
            rng=random.Random(seed),  # noqa: S311
        )

    def test_a_retake_draws_questions_not_asked_last_time(self) -> None:
        first = self.start(1)
        submit_attempt(attempt=first, answers={}, actor=self.staffer, now=NOW)
        second = self.start(1)
        self.assertEqual(len(second.question_ids), 3)
        self.assertFalse(set(first.question_ids) & set(second.question_ids))

    def test_failing_records_no_completion_and_passing_closes_the_assignment(self) -> None:
        services.assign_remedial_training(
            person=self.person, course=self.course, reason="r", due_on=None, actor=WORKER
        )
        failed = self.start()
        submit_attempt(
            attempt=failed, answers=wrong_answers(failed.question_ids), actor=self.staffer, now=NOW
        )
        self.assertEqual((failed.score, failed.passed), (0, False))
        self.assertFalse(Completion.objects.exists())
        passed = self.start()
        submit_attempt(
            attempt=passed, answers=right_answers(passed.question_ids), actor=self.staffer, now=NOW
        )
        self.assertEqual((passed.score, passed.passed), (100, True))
        completion = Completion.objects.get(person=self.person)
        self.assertEqual(completion.course_version, 1)
        self.assertEqual(Assignment.objects.get(person=self.person).status, "completed")

    def test_the_pass_mark_is_inclusive(self) -> None:
        self.course.pass_mark = 67
        self.course.save()
        attempt = self.start()
        answers = right_answers(attempt.question_ids[:2]) | wrong_answers(attempt.question_ids[2:])
        submit_attempt(attempt=attempt, answers=answers, actor=self.staffer, now=NOW)
        self.assertEqual(attempt.score, 67)
        self.assertTrue(attempt.passed)

    def test_a_multiple_choice_question_needs_exactly_the_right_set(self) -> None:
        attempt = self.start()
        answers = right_answers(attempt.question_ids)
        first = attempt.question_ids[0]
        answers[first] = answers[first] + wrong_answers([first])[first]
        submit_attempt(attempt=attempt, answers=answers, actor=self.staffer, now=NOW)
        self.assertEqual(attempt.score, 67)

    def test_an_attempt_cannot_be_marked_twice(self) -> None:
        attempt = self.start()
        submit_attempt(attempt=attempt, answers={}, actor=self.staffer, now=NOW)
        with self.assertRaises(services.TrainingError):
            submit_attempt(attempt=attempt, answers={}, actor=self.staffer, now=NOW)

    def test_attempts_stop_at_the_limit(self) -> None:
        self.course.max_attempts = 2
        self.course.save()
        for _ in range(2):
            submit_attempt(attempt=self.start(), answers={}, actor=self.staffer, now=NOW)
        with self.assertRaises(services.TrainingError):
            self.start()

    def test_the_quiz_page_takes_answers_and_offers_the_certificate(self) -> None:
        client = self.client_for(self.staffer)
        response = client.post(f"/training/courses/{self.course.public_id}/quiz/")
        attempt_url = response["Location"]
        page = client.get(attempt_url)
        self.assertContains(page, "Submit answers")
        attempt = self.person.quiz_attempts.get()
        response = client.post(
            attempt_url, {k: v[0] for k, v in right_answers(attempt.question_ids).items()}
        )
        page = client.get(response["Location"])
        self.assertContains(page, "You passed")
        completion = Completion.objects.get(person=self.person)
        pdf = client.get(f"/training/certificates/{completion.public_id}/")
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        self.assertTrue(pdf.content.startswith(b"%PDF"))

    def test_an_unanswered_question_is_an_error_and_nothing_is_marked(self) -> None:
        client = self.client_for(self.staffer)
        attempt_url = client.post(f"/training/courses/{self.course.public_id}/quiz/")["Location"]
        page = client.post(attempt_url, {})
        self.assertContains(page, "There is a problem")
        self.assertIsNone(self.person.quiz_attempts.get().submitted_at)

    def test_someone_elses_attempt_is_not_found(self) -> None:
        attempt = self.start()
        response = self.client_for(self.outsider).get(f"/training/attempts/{attempt.public_id}/")
        self.assertEqual(response.status_code, 404)
