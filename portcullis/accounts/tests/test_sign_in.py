from __future__ import annotations

import re

from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portcullis.ledger.models import LedgerEntry
from portcullis.lib.testing.smtp import smtp_server
from portcullis.test import PASSWORD, BaseTestCase


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, t0=device.t0 - offset * device.step):06d}"


class PasswordSignIn(BaseTestCase):
    def sign_in(self, client: Client, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
        return client.post("/sign-in/", {"username": email, "password": password})

    def test_a_staffer_signs_in_with_a_password_and_reaches_the_dashboard(self) -> None:
        client = Client()
        response = self.sign_in(client, "staffer@test.example")
        self.assertRedirects(response, "/")
        page = client.get("/").content.decode()
        self.assertIn("Hello, Staffer", page)
        self.assertIn("Office A", page)

    def test_every_sign_in_and_failure_is_recorded(self) -> None:
        self.sign_in(Client(), "staffer@test.example")
        self.sign_in(Client(), "staffer@test.example", "wrong password")
        self.sign_in(Client(), "nobody@test.example", "wrong password")
        ok = LedgerEntry.objects.get(action="session.sign_in")
        self.assertEqual(ok.actor, self.staffer)
        failures = LedgerEntry.objects.filter(action="session.sign_in_failed")
        self.assertEqual(
            sorted(f.data["email"] for f in failures),
            ["nobody@test.example", "staffer@test.example"],
        )

    def test_a_wrong_password_gets_an_error_summary(self) -> None:
        response = self.sign_in(Client(), "staffer@test.example", "nope")
        self.assertContains(response, "govuk-error-summary")
        self.assertContains(response, "Enter a correct e-mail address and password")

    def test_five_failures_lock_the_account_even_with_the_right_password(self) -> None:
        for _ in range(5):
            self.sign_in(Client(), "staffer@test.example", "guess")
        response = self.sign_in(Client(), "staffer@test.example")
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Sign-in is locked", status_code=429)
        self.assertFalse(Client().get("/").wsgi_request.user.is_authenticated)

    def test_a_lockout_of_one_account_leaves_others_alone(self) -> None:
        for _ in range(5):
            self.sign_in(Client(), "staffer@test.example", "guess")
        self.assertRedirects(self.sign_in(Client(), "member@test.example"), "/")

    def test_sign_out_ends_the_session(self) -> None:
        client = self.client_for(self.staffer)
        client.post("/sign-out/")
        self.assertEqual(client.get("/").status_code, 302)
        self.assertTrue(LedgerEntry.objects.filter(action="session.sign_out").exists())

    @override_settings(SESSION_IDLE_SECONDS=-1)
    def test_an_idle_session_is_signed_out(self) -> None:
        client = self.client_for(self.staffer)
        response = client.get("/")
        self.assertRedirects(response, "/sign-in/", fetch_redirect_response=False)
        self.assertFalse(client.get("/account/").wsgi_request.user.is_authenticated)
        self.assertContains(client.get("/sign-in/"), "had not used Portcullis for a while")

    def test_sessions_end_with_the_browser(self) -> None:
        response = self.sign_in(Client(), "staffer@test.example")
        cookie = response.cookies["sessionid"]
        self.assertEqual(cookie["expires"], "")
        self.assertTrue(cookie["httponly"])

    def test_an_open_redirect_after_sign_in_is_refused(self) -> None:
        client = Client()
        response = client.post(
            "/sign-in/?next=https://evil.example/",
            {"username": "staffer@test.example", "password": PASSWORD},
        )
        self.assertRedirects(response, "/")


class SecondFactor(BaseTestCase):
    def test_a_security_officer_without_an_app_must_enrol_before_anything_else(self) -> None:
        client = Client()
        client.post("/sign-in/", {"username": "security@test.example", "password": PASSWORD})
        for url in ("/", "/people/", "/ledger/"):
            self.assertRedirects(client.get(url), "/mfa/setup/", fetch_redirect_response=False)
        self.assertEqual(client.get("/api/v1/people/").status_code, 403)

    def test_enrolment_shows_a_qr_code_and_issues_recovery_codes(self) -> None:
        client = Client()
        client.post("/sign-in/", {"username": "security@test.example", "password": PASSWORD})
        page = client.get("/mfa/setup/")
        self.assertContains(page, "<svg")
        device = TOTPDevice.objects.get(user=self.security, confirmed=False)
        wrong = client.post("/mfa/setup/", {"token": "000000"})
        self.assertContains(wrong, "govuk-error-summary")
        done = client.post("/mfa/setup/", {"token": code_for(device)})
        codes = re.findall(r"<li>([0-9a-f]{6}-[0-9a-f]{6})</li>", done.content.decode())
        self.assertEqual(len(codes), 10)
        self.assertEqual(client.get("/").status_code, 200)
        self.assertTrue(LedgerEntry.objects.filter(action="mfa.enrol").exists())

    def test_an_enrolled_officer_needs_the_code_after_the_password(self) -> None:
        device = TOTPDevice.objects.create(user=self.security, name="app", confirmed=True)
        client = Client()
        response = client.post(
            "/sign-in/", {"username": "security@test.example", "password": PASSWORD}
        )
        self.assertRedirects(response, "/mfa/verify/")
        self.assertEqual(client.get("/").status_code, 302)  # not signed in yet
        bad = client.post("/mfa/verify/", {"token": "123456"})
        self.assertContains(bad, "The code is wrong")
        good = client.post("/mfa/verify/", {"token": code_for(device)})
        self.assertRedirects(good, "/")
        entry = LedgerEntry.objects.filter(action="session.sign_in").latest("seq")
        self.assertEqual(entry.data["second_factor"], "totp")

    def test_guessing_codes_is_slowed_after_a_few_wrong_ones(self) -> None:
        device = TOTPDevice.objects.create(user=self.security, name="app", confirmed=True)
        client = Client()
        client.post("/sign-in/", {"username": "security@test.example", "password": PASSWORD})
        for guess in ("111111", "222222", "333333", "444444"):
            self.assertContains(client.post("/mfa/verify/", {"token": guess}), "The code is wrong")
        throttled = client.post("/mfa/verify/", {"token": code_for(device)})
        self.assertContains(throttled, "Too many wrong codes")
        self.assertEqual(client.get("/").status_code, 302)

    def test_the_code_page_has_a_way_back_to_sign_in(self) -> None:
        TOTPDevice.objects.create(user=self.security, name="app", confirmed=True)
        client = Client()
        client.post("/sign-in/", {"username": "security@test.example", "password": PASSWORD})
        self.assertContains(client.get("/mfa/verify/"), 'href="/sign-in/"')
        self.assertEqual(client.get("/sign-in/").status_code, 200)
        self.assertRedirects(client.get("/mfa/verify/"), "/sign-in/")

    def test_staff_turning_it_on_are_told_it_is_optional_and_may_go_back(self) -> None:
        page = self.client_for(self.staffer).get("/mfa/setup/")
        self.assertNotContains(page, "access to other people")
        self.assertContains(page, "It is optional for your role")
        self.assertContains(page, 'href="/account/"')
        required = Client()
        required.post("/sign-in/", {"username": "security@test.example", "password": PASSWORD})
        page = required.get("/mfa/setup/")
        self.assertContains(page, "access to other people")
        self.assertContains(page, 'action="/sign-out/"')

    def test_a_totp_code_cannot_be_replayed(self) -> None:
        device = TOTPDevice.objects.create(user=self.security, name="app", confirmed=True)
        code = code_for(device)
        first = Client()
        first.post("/sign-in/", {"username": "security@test.example", "password": PASSWORD})
        self.assertRedirects(first.post("/mfa/verify/", {"token": code}), "/")
        second = Client()
        second.post("/sign-in/", {"username": "security@test.example", "password": PASSWORD})
        self.assertContains(second.post("/mfa/verify/", {"token": code}), "The code is wrong")

    def test_a_recovery_code_works_once(self) -> None:
        TOTPDevice.objects.create(user=self.security, name="app", confirmed=True)
        client = self.client_for(self.security)
        page = client.post("/mfa/recovery-codes/").content.decode()
        code = re.findall(r"<li>([0-9a-f]{6}-[0-9a-f]{6})</li>", page)[0]
        for expected_ok in (True, False):
            fresh = Client()
            fresh.post("/sign-in/", {"username": "security@test.example", "password": PASSWORD})
            response = fresh.post("/mfa/verify/", {"token": code})
            self.assertEqual(response.status_code == 302, expected_ok)
        self.assertFalse(StaticToken.objects.filter(token=code).exists())

    def test_staff_may_sign_in_without_a_second_factor(self) -> None:
        self.assertFalse(self.staffer.requires_mfa)
        for user in (self.security, self.gate, self.party_officer, self.admin):
            self.assertTrue(user.requires_mfa, user.email)


class PasswordReset(BaseTestCase):
    def test_a_reset_link_arrives_over_smtp_and_sets_a_new_password(self) -> None:
        with smtp_server() as inbox:
            response = Client().post("/password/reset/", {"email": "staffer@test.example"})
            self.assertRedirects(response, "/password/reset/sent/")
        self.assertEqual(len(inbox), 1)
        self.assertEqual(inbox[0]["To"], "staffer@test.example")
        link = re.search(r"http://testserver(/password/reset/\S+/)", inbox[0].get_content())
        assert link is not None
        client = Client()
        form_page = client.get(link.group(1), follow=True)
        new = "a brand new passphrase 42"
        done = client.post(
            form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
        )
        self.assertRedirects(done, "/password/reset/complete/")
        signed_in = Client().post(
            "/sign-in/", {"username": "staffer@test.example", "password": new}
        )
        self.assertRedirects(signed_in, "/")
        self.assertTrue(LedgerEntry.objects.filter(action="user.password_reset").exists())

    def test_an_unknown_address_gets_the_same_answer_and_no_mail(self) -> None:
        with smtp_server() as inbox:
            response = Client().post("/password/reset/", {"email": "stranger@test.example"})
            self.assertRedirects(response, "/password/reset/sent/")
        self.assertEqual(inbox, [])
