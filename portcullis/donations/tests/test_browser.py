"""As a new user would: the demo party's compliance officer records a company's donation whose
director is on the UK sanctions list; it is held with the reasons; they decide the match, return
the donation, and the quarter's export lists it as impermissible and returned. A candidate they
refer comes back as a briefing they can read while its basis stays with the security team."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.utils import timezone
from django_otp.oath import totp

from portcullis.accounts import demo as accounts_demo
from portcullis.approaches.tests.test_browser import sign_in
from portcullis.donations.models import PolicyRule
from portcullis.donations.seed_rules import seed_rules
from portcullis.ledger.actors import DEMO
from portcullis.lib.demo import DEMO_TOTP_KEY_HEX
from portcullis.lib.testing.browser import chromium
from portcullis.screening.imports import import_list, source_for
from portcullis.screening.tests.builders import UK_FILE

DIRECTOR = "Yuriy Valentinovich Kovalchuk"


def code() -> str:
    return f"{totp(bytes.fromhex(DEMO_TOTP_KEY_HEX)):06d}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_donation_held_for_a_sanctioned_director_is_returned_and_reported(
    live_server: Any,
) -> None:
    accounts_demo.load()
    seed_rules(PolicyRule)  # an earlier transactional test's flush took the migration's rows
    import_list(source=source_for(kind="uk-ofsi", name=None, actor=DEMO), path=UK_FILE, actor=DEMO)
    base = live_server.url
    today = timezone.localdate()
    with chromium() as browser:
        page = browser.new_context().new_page()
        sign_in(page, base, "party@demo.test", code=code())
        page.get_by_role("navigation", name="Menu").get_by_role(
            "link", name="Donations and interests"
        ).click()
        page.get_by_role("link", name="Record a donation or loan").click()
        page.get_by_label("Donation", exact=True).check()
        page.get_by_label("Central party").check()
        page.get_by_label("How it was given").select_option(label="Bank transfer")
        page.get_by_label("Value", exact=True).fill("25000")
        page.get_by_label("Date received", exact=True).fill(today.strftime("%d %m %Y"))
        page.get_by_label("Type of donor").select_option(label="UK company")
        page.get_by_label("Donor's full name").fill("Neva Bridge Holdings Ltd")
        page.get_by_label("Company number").fill("11223344")
        page.get_by_label("Incorporated in the UK").check()
        page.get_by_label("Carries on business in the UK").check()
        page.get_by_label("Evidence for the company").fill("Companies House: active")
        page.get_by_label("Directors and beneficial owners").fill(f"{DIRECTOR}\nAlison Reade")
        page.get_by_role("button", name="Record and check").click()

        clock = page.locator("#clock").inner_text()
        assert "Held" in clock and "30 days left" in clock
        reasons = page.locator("#hold-reasons").inner_text()
        assert f"Officer {DIRECTOR} matches" in reasons
        assert "UK OFSI consolidated list" in reasons
        donation_url = page.url

        page.locator("#screenings").get_by_role("link", name=DIRECTOR).click()
        page.get_by_text("Record a decision").first.click()
        page.get_by_label("True match").first.check()
        page.get_by_label("Reason").first.fill("Same full name and patronymic; director since 2019")
        page.get_by_role("button", name="Save decision").first.click()

        page.goto(donation_url)
        page.get_by_label("Return it to the donor (or whoever transferred it)").check()
        page.get_by_label("Date of the decision").fill(today.strftime("%d %m %Y"))
        page.get_by_label("Evidence for the decision").fill("Director is a designated person")
        page.get_by_label("How it was returned or sent").fill("Bank transfer to the paying account")
        page.get_by_role("button", name="Record the decision").click()
        assert "Decision recorded." in page.content()

        quarter = f"Q{(today.month - 1) // 3 + 1} {today.year}"
        page.get_by_role("link", name="Reports").first.click()
        page.locator("#quarters").get_by_role("link", name=quarter).click()
        line = page.locator("#report-lines").inner_text()
        assert "Neva Bridge Holdings Ltd" in line and "Impermissible" in line
        with page.expect_download() as download:
            page.get_by_role(
                "link", name="Download in the Electoral Commission's layout (CSV)"
            ).click()
        text = download.value.path().read_text()
        rows = list(csv.DictReader(io.StringIO(text)))
        assert [
            (r["DonorName"], r["Value"], r["DonorStatus"], r["DonationAction"]) for r in rows
        ] == [("Neva Bridge Holdings Ltd", "25000.00", "impermissibledonor", "Returned")]
        assert rows[0]["CompanyRegistrationNumber"] == "11223344"
        assert rows[0]["ReceivedDate"] == today.strftime("%d/%m/%Y")

        # The party desk: refer a candidate; the security team briefs; the party reads it.
        page.get_by_role("link", name="Party desk").first.click()
        page.get_by_role("link", name="Refer someone").click()
        page.get_by_label("Prospective candidate").check()
        page.get_by_label("Full name").fill(DIRECTOR)
        page.get_by_label("What the party knows").fill("Wants to stand in Fenmoor East")
        page.get_by_role("button", name="Send the referral").click()
        referral_url = page.url
        assert "The security team is looking into this" in page.content()

        desk = browser.new_context().new_page()
        sign_in(desk, base, "security@demo.test", code=code())
        desk.goto(f"{base}/donations/desk/")
        desk.locator("#referrals").get_by_role("link").first.click()
        desk.get_by_role("button", name="Screen and check intelligence").click()
        assert "KOVALCHUK" in desk.locator("#hits").inner_text()
        desk.get_by_label("Do not proceed").check()
        desk.get_by_label("Briefing for the party (above the tear-line)").fill(
            "Do not select this candidate. Speak to the security team before any contact."
        )
        desk.get_by_label("Basis (below the tear-line: stays with the security team)").fill(
            "UK sanctions list entry, Bank Rossiya"
        )
        desk.get_by_role("button", name="Return the briefing").click()
        assert "Bank Rossiya" in desk.locator("#basis").inner_text()

        page.goto(referral_url)
        briefing = page.locator("#briefing").inner_text()
        assert "Recommendation: Do not proceed" in briefing
        assert "TLP:AMBER+STRICT" in briefing
        assert "Do not select this candidate." in briefing
        assert "Bank Rossiya" not in page.content()
        assert page.locator("#basis").count() == 0
