"""Issue 15's first acceptance point, as a security officer clicks it: a sending profile over the
local SMTP server, a landing page, a lure imported from a reported .eml and previewed, a test
sent to themself, the target list reviewed and trimmed, the campaign scheduled, paused and
resumed; then the lures are delivered, people open, click, submit and report (through the
services the tracking links and the report mailbox call), and the results page shows the funnel,
fits a phone and passes axe."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from portcullis.accounts.models import Organisation, Role
from portcullis.ledger.actors import WORKER
from portcullis.lib.testing.browser import chromium, signed_in_context
from portcullis.lib.testing.smtp import smtp_server
from portcullis.phishing.models import (
    EmailTemplate,
    Event,
    ReportedEmail,
    SimulationCampaign,
    Target,
)
from portcullis.phishing.services import events, reports, simulations
from portcullis.test import make_office, make_org, make_user, sign_in

from .app_builders import credential_lure

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = """axe.run(document, {resultTypes: ["violations"]})
  .then((result) => result.violations
  .filter((v) => v.impact === "serious" || v.impact === "critical")
  .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`))"""
DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"
LINK = re.compile(r"http://[^\s\"<>]+/l/([\w-]+)/")


def notice(page: Page, words: str) -> None:
    expect(page.get_by_text(words).first, f"{page.url}: no {words!r}").to_be_visible()


def local(day: datetime) -> str:
    return timezone.localtime(day).strftime("%Y-%m-%dT%H:%M")


def write_landing_page(page: Page, base: str) -> None:
    page.goto(f"{base}/phishing/lures/")
    page.click("a:has-text('New landing page')")
    page.fill("#id_name", "Members' portal sign-in")
    page.fill("#id_brand", "Members' Portal")
    page.fill("#id_heading", "Sign in to read the shared document")
    page.fill("#id_continue_label", "Continue to the document")
    page.fill("#id_field_labels", "E-mail address\nPassword")
    page.fill("#id_submit_label", "Sign in")
    page.click("button:has-text('Save landing page')")
    notice(page, "Landing page saved.")
    fields = page.frame_locator("iframe[title='2. The fields']")
    fields.get_by_text("Password").first.wait_for()  # a frame loads after its page
    expect(fields.get_by_text("Password").first).to_be_visible()


def import_lure(page: Page, base: str) -> None:
    page.goto(f"{base}/phishing/lures/new/")
    page.click("text=Start from a reported e-mail")
    reported = credential_lure("colleague@parliament.example", "AbC123")
    page.set_input_files(
        "#id_message",
        files=[{"name": "reported.eml", "mimeType": "message/rfc822", "buffer": reported}],
    )
    page.click("button:has-text('Draft the lure from this e-mail')")
    assert "{{ link }}" in page.input_value("#id_text_body")
    assert 'href="{{ link }}"' in page.input_value("#id_html_body")
    assert "parliarnent" not in page.input_value("#id_text_body")  # the real link is gone
    page.fill("#id_name", "Password expiry (from a report)")
    page.fill("#id_from_address", "servicedesk@parliament-it-support.example")
    page.select_option("#id_landing_page", label="Members' portal sign-in")
    page.fill("#id_signs", "The sender is not the service desk\nThe link leads off the estate")
    page.click("button:has-text('Save lure')")
    notice(page, "Lure saved.")
    # The sealed preview: the lure as a recipient sees it, in a frame that runs nothing.
    preview = page.frame_locator("iframe[title='The lure as a recipient sees it']")
    preview.get_by_text("Your password expires today").first.wait_for()  # frames load later
    expect(preview.get_by_text("Your password expires today").first).to_be_visible()
    page.select_option("#id_profile", label="Local relay")
    page.click("button:has-text('Send a test to me')")
    notice(page, "A test copy went to officer@test.example over Local relay.")


def new_campaign(page: Page, base: str, office_name: str, start: datetime, end: datetime) -> None:
    page.goto(f"{base}/phishing/simulations/")
    page.click("a:has-text('New campaign')")
    page.fill("#id_name", "Winter test")
    page.select_option("#id_template", label="Password expiry (from a report)")
    page.select_option("#id_profile", label="Local relay")
    page.get_by_label(office_name).check()
    page.fill("#id_window_start", local(start))
    page.fill("#id_window_end", local(end))
    page.click("button:has-text('Save and record authorisation')")
    today = timezone.localdate().isoformat()
    page.fill("#id_approver_name", "Dana Whitfield")
    page.fill("#id_approver_position", "Director of Security")
    page.fill("#id_approved_on", today)
    page.fill("#id_scope", "Staff of the office; credential lure.")
    page.fill("#id_valid_from", today)
    page.fill("#id_valid_until", (timezone.localtime(end).date() + timedelta(days=1)).isoformat())
    page.click("button:has-text('Record authorisation')")
    notice(page, "Authorisation recorded.")


def simulate_people(inbox: list[Any], staff_emails: set[str], at: datetime) -> int:
    """Deliver the lures, then four people open them, three click through the confirming
    step, two submit the form and the last two report it: what the tracking endpoints and the
    report mailbox would record, at moments after delivery."""
    run = simulations.send_due_emails(now=at)
    lures = [m for m in inbox if m["To"] in staff_emails]
    assert len(lures) == run.sent
    person = events.Facts(method="GET", user_agent=DESKTOP, ip="192.0.2.10", headers={})
    press = events.Facts(method="POST", user_agent=DESKTOP, ip="192.0.2.10", headers={})
    for i, lure in enumerate(sorted(lures, key=lambda m: str(m["To"]))):
        match = LINK.search(lure.get_body(("plain",)).get_content())
        assert match is not None
        target = Target.objects.get(token=match.group(1))
        later = at + timedelta(minutes=5 + i)
        if i < 4:
            events.record_fetch(target=target, kind=Event.Kind.OPENED, facts=person, now=later)
        if i < 3:
            events.record_link_fetch(target=target, facts=person, now=later)
            events.record_fetch(target=target, kind=Event.Kind.CLICKED, facts=press, now=later)
        if i < 2:
            events.record_submission(target=target, facts=press, now=later)
        if i >= 4:
            reports.file_report(
                raw=lure.as_bytes(),
                actor=WORKER,
                source=ReportedEmail.Source.MAILBOX,
                reporter_address=str(lure["To"]),
                now=later + timedelta(minutes=20),
            )
    return run.sent


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_security_officer_runs_a_simulation_from_a_reported_email_to_its_funnel(
    live_server: Any,
) -> None:
    team = make_org("Security Team", Organisation.Kind.SECURITY_TEAM)
    officer = make_user("officer@test.example", Role.SECURITY_OFFICER, organisation=team)
    office = make_office("Office of Sam Example MP", make_org("Chamber"))
    staff = [make_user(f"staff{n}@test.example", Role.STAFFER, office=office) for n in range(7)]
    trimmed = staff[0]
    base = live_server.url
    tomorrow = timezone.localdate() + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, time(9)))
    end = timezone.make_aware(datetime.combine(tomorrow + timedelta(days=21), time(17)))

    with smtp_server() as inbox, chromium() as browser:
        context = signed_in_context(
            browser, base, sign_in(Client(), officer), accept_downloads=True
        )
        page = context.new_page()

        page.goto(f"{base}/phishing/sending-profiles/")
        page.fill("#id_name", "Local relay")
        page.fill("#id_host", "127.0.0.1")
        page.fill("#id_port", str(settings.EMAIL_PORT))
        page.set_checked("#id_use_tls", False)
        page.fill("#id_envelope_from", "bounces@simulations.example")
        page.click("button:has-text('Save')")
        notice(page, "Sending profile saved.")
        page.click("button:has-text('Send a test e-mail')")
        notice(page, "A test e-mail went to officer@test.example")
        assert inbox[-1]["To"] == "officer@test.example"

        write_landing_page(page, base)
        import_lure(page, base)
        lure_test = inbox[-1]
        assert lure_test["To"] == "officer@test.example"
        assert lure_test["Subject"] == "[Test] Your password expires today"
        assert "servicedesk@parliament-it-support.example" in lure_test["From"]
        new_campaign(page, base, office.name, start, end)

        page.click("button:has-text('Send a test to me')")
        notice(page, "A test copy went to officer@test.example over Local relay.")
        test_copy = inbox[-1]
        assert test_copy["To"] == "officer@test.example"
        assert test_copy["Subject"].startswith("[Test] ")
        assert "servicedesk@parliament-it-support.example" in test_copy["From"]
        assert not Target.objects.exists()  # a test counts nothing

        expect(page.get_by_role("heading", name="Who will receive it (7)")).to_be_visible()
        assert trimmed.person is not None
        page.get_by_label(trimmed.person.full_name).check()
        page.click("button:has-text('Update the list')")
        notice(page, "1 taken off the list, 0 put back.")
        expect(page.get_by_role("heading", name="Who will receive it (6)")).to_be_visible()

        page.click("button:has-text('Schedule for the 6 people below')")
        notice(page, "Scheduled: 6 people will receive the lure.")
        page.click("button:has-text('Pause sending')")
        notice(page, "Paused: nothing more is sent until you resume.")
        campaign = SimulationCampaign.objects.get(name="Winter test")
        assert campaign.status == SimulationCampaign.Status.PAUSED
        assert simulations.send_due_emails(now=end - timedelta(minutes=1)).sent == 0
        page.click("button:has-text('Resume sending')")
        notice(page, "Resumed: the unsent have new times in the hours left.")
        campaign.refresh_from_db()
        assert campaign.status == SimulationCampaign.Status.SCHEDULED
        assert campaign.template == EmailTemplate.objects.get(name__startswith="Password expiry")

        emails = {u.email for u in staff}
        sent = simulate_people(inbox, emails, end - timedelta(minutes=1))
        assert sent == 6
        assert trimmed.email not in {m["To"] for m in inbox}

        page.reload()
        page.click("text=Results per office and house")
        expect(page.get_by_role("heading", name="Winter test", level=1)).to_be_visible()
        assert page.locator("#funnel-sentence").inner_text() == (
            "Of 6 sent: opened 4 (67%), clicked 3 (50%), submitted details 2 (33%), "
            "reported 2 (33%)."
        )
        funnel = page.get_by_role("table", name="What happened to the lure")
        expect(funnel.get_by_role("row", name="Clicked 3")).to_be_visible()
        chart = page.get_by_role("img", name=re.compile("What happened to the lure"))
        expect(chart).to_be_visible()
        office_row = page.locator("#by-office tbody tr").first
        assert office_row.inner_text().split("\t")[:4] == [office.name, "6", "6", "4"]

        with page.expect_download() as download:
            page.click("text=Download these figures (CSV)")
        exported = Path(download.value.path()).read_text(encoding="utf-8-sig")
        assert "All,All,6,6,4,3,2,2,50,33,33," in exported

        page.set_viewport_size({"width": 390, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.evaluate(AXE.read_text())
        assert page.evaluate(SERIOUS) == []
        context.close()
