"""As a new user would, on a phone: the demo staffer reports a LinkedIn message that names the
recruiter in another order than the alert does, and sees the alert at once; the security officer
then finds the report in the triage queue and inside the campaign."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page

from portcullis.accounts import demo as accounts_demo
from portcullis.approaches import demo as approaches_demo
from portcullis.approaches.models import Report
from portcullis.intel import demo as intel_demo
from portcullis.lib.demo import DEMO_PASSWORD, DEMO_TOTP_KEY_HEX
from portcullis.lib.testing.browser import chromium

MESSAGE = (
    "Good afternoon! I am QIU Amanda, chief executive at a Beijing executive search firm. "
    "Your insight into policy is exceptional and my client would pay well for a short "
    "consultancy report. Shall we continue on WhatsApp?"
)


def sign_in(page: Page, base: str, email: str, *, code: str = "") -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if code:
        page.wait_for_url("**/mfa/verify/")
        page.get_by_label("Security code").fill(code)
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{base}/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_staffer_reports_a_recruiter_and_security_sees_it_in_the_campaign(
    live_server: Any,
) -> None:
    accounts_demo.load()
    intel_demo.load()
    approaches_demo.load()
    base = live_server.url
    with chromium() as browser:
        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        page = phone.new_page()
        sign_in(page, base, "staff@demo.test")
        page.get_by_role("link", name="Report an approach").first.click()
        page.get_by_label("LinkedIn or another professional or social network").check()
        page.get_by_label("Recruiter or headhunter").check()
        page.get_by_label("Paid consultancy").check()
        page.get_by_label("Flattery").check()
        page.get_by_label("What happened").fill(MESSAGE)
        page.get_by_role("button", name="Send report").click()

        banner = page.locator("#alert-matches")
        assert "This matches a security alert" in banner.inner_text()
        assert "MI5 espionage alert" in banner.inner_text()
        assert "Do not engage" in banner.inner_text()
        assert "“QIU Amanda”" in banner.inner_text()
        assert "“Amanda Qiu”" in banner.inner_text()
        reference = page.locator("#report-sent strong").inner_text()
        report = Report.objects.get(reporter__email="staff@demo.test")
        assert reference == report.reference

        desk = browser.new_context().new_page()
        sign_in(
            desk, base, "security@demo.test", code=f"{totp(bytes.fromhex(DEMO_TOTP_KEY_HEX)):06d}"
        )
        desk.get_by_role("navigation", name="Menu").get_by_role("link", name="Approaches").click()
        desk.get_by_role("navigation", name="Approaches").get_by_role("link", name="Triage").click()
        desk.locator("#queue").get_by_role("link", name=reference).click()
        assert "Office of Eleanor Hartwell MP" in desk.locator("#report-facts").inner_text()
        assert "A-2025-11" in desk.locator("#triage-matches").inner_text()
        desk.locator("#report-campaign a").click()
        assert desk.get_by_role("heading", level=1).inner_text() == "Approaches naming Amanda Qiu"
        timeline = desk.locator("#campaign-reports").inner_text()
        assert reference in timeline
        offices = desk.locator("#campaign-offices").inner_text()
        assert "Office of Eleanor Hartwell MP" in offices
        assert len(offices.splitlines()) >= 5  # the demo's four offices and the staffer's
