"""As a new user would: the demo staffer signs in, sees what is due, reads a course, fails then
passes the quiz and downloads the certificate; the office manager sees the figure change."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, sync_playwright

from portcullis.accounts import demo as accounts_demo
from portcullis.lib.demo import DEMO_PASSWORD
from portcullis.training import demo as training_demo
from portcullis.training.models import Choice, Course, QuizAttempt

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser() -> Iterator[Any]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


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
    assert page.locator("#todo").get_by_text("Security essentials").is_visible()
    page.click("#todo >> text=Security essentials")
    assert page.get_by_role("heading", name="Why you are a target").is_visible()
    page.click("button:has-text('Start the quiz')")

    first = QuizAttempt.objects.filter(course=course).latest("started_at")
    answer(page, first, correct=False)
    assert page.get_by_role("heading", name="Not passed this time").is_visible()
    page.click("button:has-text('Try again')")

    second = QuizAttempt.objects.filter(course=course).latest("started_at")
    assert second.pk != first.pk
    assert set(second.question_ids) != set(first.question_ids)
    answer(page, second, correct=True)
    assert page.get_by_role("heading", name="You passed").is_visible()
    with page.expect_download() as download:
        page.click("#certificate-link")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    page.click("nav >> text=Training")
    assert page.locator("#completed").get_by_text("Security essentials").is_visible()
    assert completed_in_office(manager) == before + 1
