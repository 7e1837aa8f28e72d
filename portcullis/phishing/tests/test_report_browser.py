"""As a new user would, with the demo: the staffer uploads an e-mail from the demo alert's
persona, written surname first, and is shown the alert's guidance at once; the report is in the
alert's campaign beside the approach reports. On a phone the verdict's warning signs stack, so a
long link in the evidence has the screen's width."""

from __future__ import annotations

from typing import Any

import pytest

from portcullis.accounts import demo as accounts_demo
from portcullis.approaches import demo as approaches_demo
from portcullis.approaches.tests.test_browser import sign_in
from portcullis.intel import demo as intel_demo
from portcullis.lib.testing.browser import chromium
from portcullis.phishing.models import ReportedEmail

from .app_builders import credential_lure
from .test_alert_matches import demo_campaign, from_qiu
from .test_workbench_browser import AXE, SERIOUS


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


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_each_warning_sign_is_a_block_whose_evidence_has_the_full_width(
    live_server: Any,
) -> None:
    accounts_demo.load()
    token = "r-" + "7f3a9c" * 12  # a per-recipient token as long as real kits make them
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        sign_in(page, live_server.url, "staff@demo.test")
        page.goto(f"{live_server.url}/phishing/report/")
        page.get_by_label("The suspicious e-mail").set_input_files(
            {
                "name": "lure.eml",
                "mimeType": "message/rfc822",
                "buffer": credential_lure("staff@demo.test", token),
            }
        )
        page.get_by_role("button", name="Check and report").click()
        table = page.locator("#indicators")
        assert "{#" not in page.content() and "{%" not in page.content()  # no template text leaks
        table_width = table.bounding_box()["width"]  # type: ignore[index]
        long_evidence = table.locator("tbody td", has_text=token).first
        # The cell with the link is as wide as the table (it was a third of it), and its column's
        # name is shown above it for a sighted reader.
        assert long_evidence.bounding_box()["width"] >= 0.9 * table_width  # type: ignore[index]
        assert long_evidence.locator(".pc-stack__label").inner_text() == "What we found"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        # Screen readers still get a table with its column headers: Chromium's own accessibility
        # tree, not Playwright's reading of the roles.
        cdp = page.context.new_cdp_session(page)
        tree = cdp.send("Accessibility.getFullAXTree")["nodes"]
        roles = [n.get("role", {}).get("value") for n in tree if not n.get("ignored")]
        assert roles.count("table") == 1
        headers = [
            n.get("name", {}).get("value")
            for n in tree
            if n.get("role", {}).get("value") == "columnheader" and not n.get("ignored")
        ]
        assert headers == ["Warning sign", "What we found", "Weight"]
        page.evaluate(AXE.read_text())
        assert page.evaluate(SERIOUS) == []
        # At desktop width it is an ordinary three-column table again.
        page.set_viewport_size({"width": 1200, "height": 900})
        sign, evidence, weight = (
            c.bounding_box() for c in long_evidence.locator("xpath=..").locator("td").all()
        )
        assert sign and evidence and weight
        assert sign["y"] == evidence["y"] == weight["y"]
        assert sign["x"] < evidence["x"] < weight["x"]
        assert not long_evidence.locator(".pc-stack__label").is_visible()
        # Each weight ("High (+5)") stays on one line beside a long link.
        lines = page.evaluate(
            """[...document.querySelectorAll('#indicators tbody td:nth-child(3)')].map(td => {
                const range = document.createRange(); range.selectNodeContents(td);
                return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size; })"""
        )
        assert lines and set(lines) == {1}, lines
