"""The acceptance paths as people click them, in chromium: a staffer invites and the gate admits
after an ID check; the alert persona in another script is held and only the security officer sees
why; a seventh visitor for one escort is refused; a roll call shared by two marshals reports the
one left unaccounted."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page

from portcullis.accounts import demo as accounts_demo
from portcullis.accounts.models import Organisation, Role, User
from portcullis.intel import demo as intel_demo
from portcullis.lib.testing.browser import chromium, signed_in_context
from portcullis.test import make_user, sign_in
from portcullis.visitors import demo as visitors_demo
from portcullis.visitors import notify
from portcullis.visitors.models import Area, RollCall, Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@contextmanager
def people(base: str, *emails: str) -> Iterator[list[Page]]:
    """A signed-in page for each e-mail address (the session of a test client, MFA verified)."""
    with chromium() as browser:
        contexts: list[BrowserContext] = []
        for email in emails:
            client = sign_in(Client(), User.objects.get(email=email))
            contexts.append(signed_in_context(browser, base, client))
        yield [context.new_page() for context in contexts]


def _demo(*, visitors: bool = True) -> None:
    """The demo legislature and alert; with `visitors`, the demo's visitors (six on site with
    the staffer, at their limit), else only its areas."""
    accounts_demo.load()
    intel_demo.load()
    if visitors:
        visitors_demo.load()
    for name, escort_required in visitors_demo.AREAS:
        Area.objects.get_or_create(name=name, defaults={"escort_required": escort_required})


def _invite(page: Page, base: str, name: str) -> None:
    page.goto(f"{base}/visitors/")
    page.get_by_role("link", name="Invite a visitor").first.click()
    page.get_by_label("Day of the visit").fill(timezone.localdate().strftime("%d %m %Y"))
    now = timezone.localtime()
    start = max(now - timedelta(minutes=10), now.replace(hour=0, minute=0))
    end = min(now + timedelta(hours=2), now.replace(hour=23, minute=59))
    page.get_by_label("Arrives at").fill(start.strftime("%H:%M"))
    page.get_by_label("Leaves by").fill(end.strftime("%H:%M"))
    page.get_by_label("Area or office visited").select_option(label="Committee Room 14")
    page.get_by_label("Purpose of the visit").fill("Evidence for the inquiry")
    page.get_by_label("Visitor's name, as on their photo ID").fill(name)
    page.get_by_label("Their e-mail address").fill("guest@example.org")
    page.get_by_role("button", name="Send invitation").click()


def test_a_staffer_invites_and_the_gate_admits_after_an_id_check(live_server: Any) -> None:
    _demo(visitors=False)
    base = live_server.url
    with people(base, "staff@demo.test", "security@demo.test", "gate@demo.test") as pages:
        staff, security, gate = pages
        staff.goto(f"{base}/visitors/")
        staff.get_by_role("button", name="I am on the estate").click()
        _invite(staff, base, "Rosalind Achterberg")
        assert (
            "security team must approve" in staff.locator(".govuk-notification-banner").inner_text()
        )
        invitation_url = staff.url
        security.goto(invitation_url)
        security.get_by_label("Approve").check()
        security.get_by_role("button", name="Record decision").click()
        visit = Visit.objects.get(name="Rosalind Achterberg")

        visitor = staff.context.browser.new_context().new_page()  # type: ignore[union-attr]
        visitor.goto(f"{base}/visitors/confirm/{notify.confirm_token(visit)}/")
        visitor.get_by_label("I confirm these details and agree to the security checks").check()
        visitor.get_by_role("button", name="Confirm").click()
        assert "Your details are confirmed" in visitor.content()

        gate.goto(f"{base}/visitors/gate/")
        gate.get_by_label("Scan the QR code or type a name").fill(visit.qr_text)
        gate.keyboard.press("Enter")
        gate.get_by_label("Passport").check()
        gate.get_by_role(
            "group", name="Does the name on the ID match the invitation?"
        ).get_by_label("Yes").check()
        expiry = timezone.localdate() + timedelta(days=700)
        gate.get_by_label("ID expiry date").fill(expiry.strftime("%d %m %Y"))
        gate.get_by_label("Escort").select_option(label="Tomasz Achebe")
        gate.get_by_role("button", name="Admit and issue the pass").click()
        assert "Must be escorted at all times" in gate.locator("#visitor-pass").inner_text()
        visit.refresh_from_db()
        assert visit.status == Visit.Status.ON_SITE


def test_the_alert_persona_in_another_script_is_held_and_only_security_sees_why(
    live_server: Any,
) -> None:
    _demo(visitors=False)
    base = live_server.url
    with people(base, "staff@demo.test", "gate@demo.test", "security@demo.test") as pages:
        staff, gate, security = pages
        _invite(staff, base, "邱 Amanda")
        held = Visit.objects.filter(name="邱 Amanda").latest("pk")
        staff.goto(f"{base}{held.get_absolute_url()}")
        assert "Held for a security check" in staff.content()
        assert "Amanda Qiu" not in staff.content()
        gate.goto(f"{base}{held.get_absolute_url()}")
        assert "Held for a security check" in gate.content()
        assert "Amanda Qiu" not in gate.content()
        security.goto(f"{base}{held.get_absolute_url()}")
        assert "Amanda Qiu" in security.locator("#hold-reasons").inner_text()


def test_a_seventh_visitor_for_one_escort_is_refused(live_server: Any) -> None:
    _demo()
    base = live_server.url
    seventh = Visit.objects.get(name="Gina Rossi")
    with people(base, "gate@demo.test") as (gate,):
        gate.goto(f"{base}/visitors/on-site/")
        assert "6 visitors on site" in gate.locator("#on-site-count").inner_text()
        gate.goto(f"{base}/visitors/gate/")
        gate.get_by_label("Scan the QR code or type a name").fill("Gina")
        gate.keyboard.press("Enter")
        gate.locator("#gate-results").get_by_role("link", name="Gina Rossi").click()
        gate.get_by_label("Passport").check()
        gate.get_by_role(
            "group", name="Does the name on the ID match the invitation?"
        ).get_by_label("Yes").check()
        expiry = timezone.localdate() + timedelta(days=700)
        gate.get_by_label("ID expiry date").fill(expiry.strftime("%d %m %Y"))
        gate.get_by_label("Escort").select_option(label="Tomasz Achebe")
        gate.get_by_role("button", name="Admit and issue the pass").click()
        summary = gate.locator(".govuk-error-summary").inner_text()
        assert "already escorts 6 visitors" in summary
    seventh.refresh_from_db()
    assert seventh.status == Visit.Status.EXPECTED


def test_a_roll_call_shared_by_two_marshals_reports_the_one_unaccounted(
    live_server: Any,
) -> None:
    _demo()
    psd = Organisation.objects.get(kind=Organisation.Kind.SECURITY_TEAM)
    make_user("marshal@demo.test", Role.GATE_OFFICER, organisation=psd, name="Marta Marshal")
    base = live_server.url
    emails = ("security@demo.test", "gate@demo.test", "marshal@demo.test")
    with people(base, *emails) as (security, gate, marshal):
        security.goto(f"{base}/visitors/roll-calls/")
        security.get_by_role("button", name="Start a roll call").click()
        assert "0 of 6 located" in security.locator("#roll-call-count").inner_text()
        roll_call = RollCall.objects.get(ended_at=None)
        names = list(roll_call.entries.order_by("name").values_list("name", flat=True))
        for page, mine in ((gate, names[:3]), (marshal, names[3:5])):
            page.goto(f"{base}{roll_call.get_absolute_url()}")
            for name in mine:
                page.get_by_role("button", name=f"Located {name}").click()
        assert "5 of 6 located" in marshal.locator("#roll-call-count").inner_text()
        security.goto(f"{base}{roll_call.get_absolute_url()}")
        security.get_by_role("button", name="End the roll call").click()
        missing = security.locator("#missing").inner_text()
        assert names[5] in missing
        assert all(name not in missing for name in names[:5])
        snapshot = security.request.get(
            f"{base}/visitors/roll-calls/{roll_call.public_id}/snapshot.pdf"
        )
        assert snapshot.body().startswith(b"%PDF")
