"""As a new user would: the demo staffer signs in, sees what is due, reads a course, fails then
passes the quiz and downloads the certificate; the office manager sees the figure change."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from portcullis.accounts import demo as accounts_demo
from portcullis.accounts.models import Membership, Role, User
from portcullis.ledger.actors import SCHEDULER
from portcullis.lib.demo import DEMO_PASSWORD
from portcullis.lib.testing.browser import chromium, signed_in_context
from portcullis.test import sign_in as client_sign_in
from portcullis.training import demo as training_demo
from portcullis.training.models import Assignment, Choice, Course, QuizAttempt
from portcullis.training.services import sync_all_assignments


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{base}/")


def answer(page: Page, attempt: QuizAttempt, *, correct: bool) -> None:
    for qid in attempt.question_ids:
        choices = Choice.objects.filter(question__public_id=qid, is_correct=correct)
        for choice in choices[: None if correct else 1]:
            page.check(f"input[value='{choice.public_id}']")
    page.click("button:has-text('Submit answers')")


def completed_in_office(page: Page) -> int:
    page.reload()
    return int(page.locator("#office-figures tbody td").nth(2).inner_text())


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_staffer_fails_then_passes_and_the_manager_sees_it(
    live_server: Any, browser: Any
) -> None:
    accounts_demo.load()
    training_demo.load()
    base = live_server.url
    course = Course.objects.get(slug="security-essentials")

    manager = browser.new_context().new_page()
    sign_in(manager, base, "manager@demo.test")
    manager.click("nav >> text=Training")
    manager.click("nav[aria-label=Training] >> text=Compliance")
    manager.click("#office-table >> text=Office of Eleanor Hartwell MP")
    before = completed_in_office(manager)

    page = browser.new_context(accept_downloads=True).new_page()
    sign_in(page, base, "staff@demo.test")
    page.click("nav >> text=Training")
    expect(page.locator("#todo").get_by_text("Security essentials")).to_be_visible()
    page.click("#todo >> text=Security essentials")
    expect(page.get_by_role("heading", name="Why you are a target")).to_be_visible()
    page.click("button:has-text('Start the quiz')")

    first = QuizAttempt.objects.filter(course=course).latest("started_at")
    answer(page, first, correct=False)
    expect(page.get_by_role("heading", name="Not passed this time")).to_be_visible()
    page.click("button:has-text('Try again')")

    second = QuizAttempt.objects.filter(course=course).latest("started_at")
    assert second.pk != first.pk
    assert set(second.question_ids) != set(first.question_ids)
    answer(page, second, correct=True)
    expect(page.get_by_role("heading", name="You passed")).to_be_visible()
    with page.expect_download() as download:
        page.click("#certificate-link")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    page.click("nav >> text=Training")
    expect(page.locator("#completed").get_by_text("Security essentials")).to_be_visible()
    assert completed_in_office(manager) == before + 1


def _fits_a_phone(page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url}: {width} px wide at 390 px"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_security_officer_writes_a_course_and_a_staffer_takes_it(
    live_server: Any, browser: Any
) -> None:
    """Issue 15's acceptance: two sections and four questions written in the app, previewed,
    published, required of the office's staff; the staffer is assigned by the sync and passes."""
    accounts_demo.load()
    training_demo.load()
    base = live_server.url
    officer_user = User.objects.get(email="security@demo.test")
    officer = signed_in_context(browser, base, client_sign_in(Client(), officer_user)).new_page()
    officer.goto(f"{base}/training/courses/")
    officer.click("nav[aria-label=Training] >> text=Write courses")
    _fits_a_phone(officer)
    officer.click("text=Write a course")
    officer.fill("#id_title", "Hosting visitors")
    officer.fill("#id_summary", "How to bring a guest onto the estate safely.")
    officer.fill("#id_minutes", "10")
    officer.fill("#id_pass_mark", "75")
    officer.fill("#id_questions_per_attempt", "4")
    officer.click("button:has-text('Save draft')")
    expect(officer.get_by_role("heading", name="Hosting visitors", level=1)).to_be_visible()
    _fits_a_phone(officer)
    for title, body in [
        ("Before they arrive", "## Book ahead\nTell the pass office:\n- who is coming\n- when"),
        ("On the estate", "Stay with your visitor **at all times**."),
    ]:
        officer.click("text=Add a section")
        officer.fill("#id_title", title)
        officer.fill("#id_body", body)
        officer.click("button:has-text('Save section')")
    questions = [
        ("Who books a visitor's pass?", ["The host", "The visitor"], ["1"]),
        (
            "Which are the host's duties?",
            ["Meet them", "Escort them", "Lend them a pass"],
            ["1", "2"],
        ),
        ("May a visitor wander alone?", ["No", "Yes"], ["1"]),
        ("Whom do you tell about a lost visitor?", ["The security team", "Nobody"], ["1"]),
    ]
    officer.click("text=Add a question")
    officer.fill("#id_text", "A question without a right answer")
    officer.fill("#id_option_1", "Yes")
    officer.fill("#id_option_2", "No")
    officer.fill("#id_explanation", "None.")
    officer.click("button:has-text('Save question')")
    refused = officer.locator(".govuk-error-message", has_text="Select which options are correct")
    expect(refused).to_be_visible()
    draft = Course.objects.get(title="Hosting visitors")
    assert not draft.questions.exists()
    officer.goto(f"{base}/training/authoring/{draft.public_id}/")
    for text, options, correct in questions:
        officer.click("text=Add a question")
        officer.fill("#id_text", text)
        for n, option in enumerate(options, start=1):
            officer.fill(f"#id_option_{n}", option)
        for n in correct:
            officer.check(f"input[name=correct][value='{n}']")
        officer.fill("#id_explanation", f"Explained: {text}")
        officer.click("button:has-text('Save question')")
    officer.click("text=Preview the course")
    expect(officer.get_by_role("heading", name="Book ahead")).to_be_visible()
    expect(officer.get_by_text("Escort them (correct)")).to_be_visible()
    _fits_a_phone(officer)
    officer.click("text=Back to writing")
    officer.click("button:has-text('Publish version 1')")
    expect(officer.get_by_text("Version 1 published.")).to_be_visible()
    course = Course.objects.get(title="Hosting visitors")
    assert (course.is_published, course.version) == (True, 1)

    officer.goto(f"{base}/training/requirements/")
    _fits_a_phone(officer)
    officer.click("text=Add a requirement")
    officer.fill("#id_name", "Hosting visitors for caseworkers")
    officer.select_option("#id_course", label="Hosting visitors")
    officer.check(f"input[name=roles][value='{Role.STAFFER}']")
    staffer_user = User.objects.get(email="staff@demo.test")
    office = Membership.objects.active().get(person=staffer_user.person).office
    assert office is not None
    officer.select_option("#id_office", label=str(office))
    officer.fill("#id_every_months", "12")
    officer.fill("#id_starts_on", "1 1 2024")
    _fits_a_phone(officer)
    officer.click("button:has-text('Save requirement')")
    expect(officer.get_by_role("heading", name="Hosting visitors for caseworkers")).to_be_visible()

    sync_all_assignments(actor=SCHEDULER, today=timezone.localdate())  # the periodic sync

    staff = signed_in_context(browser, base, client_sign_in(Client(), staffer_user)).new_page()
    staff.goto(f"{base}/training/")
    staff.click("#todo >> text=Hosting visitors")
    expect(staff.get_by_text("at all times")).to_be_visible()
    staff.click("button:has-text('Start the quiz')")
    attempt = QuizAttempt.objects.get(course=course)
    answer(staff, attempt, correct=True)
    expect(staff.get_by_role("heading", name="You passed")).to_be_visible()
    assert Assignment.objects.get(course=course, person=staffer_user.person).status == "completed"
