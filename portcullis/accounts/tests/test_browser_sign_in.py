"""A person signs in through a real browser, with the second factor, and reaches the dashboard."""

import io

import pytest
import zxingcpp
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image
from playwright.sync_api import expect

from portcullis.accounts.models import Organisation, Role
from portcullis.lib.testing.browser import chromium
from portcullis.test import PASSWORD, make_org, make_user


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_security_officer_signs_in_with_mfa_and_reaches_the_dashboard(live_server) -> None:  # type: ignore[no-untyped-def]
    team = make_org("Security Team", Organisation.Kind.SECURITY_TEAM)
    officer = make_user(
        "officer@test.example", Role.SECURITY_OFFICER, organisation=team, name="Ada Quartermain"
    )
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)

    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{live_server.url}/")
        assert page.url.endswith("/sign-in/?next=/")
        page.get_by_label("E-mail address").fill("officer@test.example")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/mfa/verify/")
        page.get_by_label("Security code").fill(f"{totp(device.bin_key):06d}")
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(f"{live_server.url}/")
        assert page.get_by_role("heading", level=1).inner_text() == "Hello, Ada Quartermain"
        nav = page.get_by_role("navigation", name="Menu").inner_text()
        assert "Ledger" in nav and "People" in nav
        page.get_by_role("link", name="Open the ledger").click()
        expect(page.get_by_text("session.sign_in").first).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_wrong_password_shows_the_error_summary_in_the_browser(live_server) -> None:  # type: ignore[no-untyped-def]
    house = make_org("Chamber")
    from portcullis.test import make_office

    make_user("staff@test.example", Role.STAFFER, office=make_office("Office A", house))
    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{live_server.url}/sign-in/")
        page.get_by_label("E-mail address").fill("staff@test.example")
        page.get_by_label("Password").fill("not it")
        page.get_by_role("button", name="Sign in").click()
        summary = page.locator(".govuk-error-summary")
        assert "Enter a correct e-mail address and password" in summary.inner_text()
        assert summary.evaluate("el => document.activeElement === el")  # GOV.UK JS focused it


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_enrolment_qr_code_scans_from_the_screen_of_a_phone(live_server) -> None:  # type: ignore[no-untyped-def]
    team = make_org("Security Team", Organisation.Kind.SECURITY_TEAM)
    officer = make_user("officer@test.example", Role.SECURITY_OFFICER, organisation=team)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(f"{live_server.url}/sign-in/")
        page.get_by_label("E-mail address").fill("officer@test.example")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/mfa/setup/")
        shot = page.locator(".pc-qr svg").screenshot()
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    # An authenticator app reads QR codes only; read as every format, the random modules of a
    # QR code now and then also decode as a short linear barcode ('8270').
    found = zxingcpp.read_barcodes(
        Image.open(io.BytesIO(shot)), formats=zxingcpp.BarcodeFormat.QRCode
    )
    assert [code.text for code in found] == [device.config_url]
    assert device.config_url.startswith("otpauth://totp/")
