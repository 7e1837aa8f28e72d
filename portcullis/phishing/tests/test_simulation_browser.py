"""A person clicks through a simulation landing page in a real browser."""

from __future__ import annotations

import pytest

from portcullis.accounts.models import Organisation, Role
from portcullis.lib.testing.browser import chromium
from portcullis.phishing.models import Event, Target
from portcullis.phishing.services import simulations
from portcullis.test import make_office, make_org, make_user
from portcullis.training.models import Assignment

from .app_builders import MONDAY, at, draft_campaign

SECRET = "browser-secret-Zq81!"
DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_person_clicks_through_the_landing_page_and_learns_it_was_a_test(live_server) -> None:  # type: ignore[no-untyped-def]
    team = make_org("Security Team", Organisation.Kind.SECURITY_TEAM)
    officer = make_user("officer@test.example", Role.SECURITY_OFFICER, organisation=team)
    office = make_office("Office A", make_org("Chamber"))
    staffer = make_user("staff@test.example", Role.STAFFER, office=office)
    campaign = draft_campaign(officer, [office])
    simulations.schedule_campaign(campaign=campaign, actor=officer, now=at(MONDAY, 8))
    target = Target.objects.get()
    Target.objects.filter(pk=target.pk).update(sent_at=at(MONDAY, 10))

    with chromium() as browser:
        # Headless chromium announces itself ("HeadlessChrome") and would be discounted as a
        # scanner; a person's browser does not.
        page = browser.new_page(user_agent=DESKTOP)
        page.goto(f"{live_server.url}/l/{target.token}/")
        assert page.get_by_role("heading", level=1).inner_text() == "Sign in to continue"
        page.get_by_role("button", name="Continue to sign in").click()
        page.get_by_label("E-mail address").fill("staff@test.example")
        page.get_by_label("Password").fill(SECRET)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"**/l/{target.token}/done/")
        assert page.get_by_role("heading", level=1).inner_text() == "This was a phishing test"
        assert "IT service desk never asks" in page.inner_text("main")

    target.refresh_from_db()
    assert target.clicked_at is not None and target.submitted_at is not None
    kinds = list(target.events.filter(counted=True).values_list("kind", flat=True))
    assert kinds == [Event.Kind.CLICKED, Event.Kind.SUBMITTED]
    assert Assignment.objects.filter(person=staffer.person, source="remedial").exists()
    assert not Event.objects.filter(note__contains=SECRET).exists()
