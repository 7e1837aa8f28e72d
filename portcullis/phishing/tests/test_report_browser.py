"""As a new user would, with the demo: the staffer uploads an e-mail from the demo alert's
persona, written surname first, and is shown the alert's guidance at once; the report is in the
alert's campaign beside the approach reports."""

from __future__ import annotations

from typing import Any

import pytest

from portcullis.accounts import demo as accounts_demo
from portcullis.approaches import demo as approaches_demo
from portcullis.approaches.tests.test_browser import sign_in
from portcullis.intel import demo as intel_demo
from portcullis.lib.testing.browser import chromium
from portcullis.phishing.models import ReportedEmail

from .test_alert_matches import demo_campaign, from_qiu


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_staffer_uploads_an_email_from_the_alerts_persona_and_sees_its_guidance(
    live_server: Any,
) -> None:
    accounts_demo.load()
    intel_demo.load()
    approaches_demo.load()
    base = live_server.url
    with chromium() as browser:
        page = browser.new_page()
        sign_in(page, base, "staff@demo.test")
        # A staffer's one Phishing page is reporting, so the section opens on it.
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Phishing").click()
        heading = page.get_by_role("heading", level=1).inner_text()
        assert heading == "Report a suspicious e-mail"
        page.get_by_label("The suspicious e-mail").set_input_files(
            {"name": "offer.eml", "mimeType": "message/rfc822", "buffer": from_qiu()}
        )
        page.get_by_role("button", name="Check and report").click()

        banner = page.locator("#alert-matches")
        assert "This e-mail matches a security alert" in banner.inner_text()
        assert "MI5 espionage alert" in banner.inner_text()
        assert "Do not engage" in banner.inner_text()
        assert "Thank you. The security team has your report." in page.content()
    report = ReportedEmail.objects.select_related("origin__campaign").get()
    assert report.origin is not None
    assert report.origin.campaign == demo_campaign()
