"""Sending profiles: the SMTP password sealed at rest, used to log in to a real relay, never in
the ledger or on a page; "send a test e-mail" over the profile."""

from __future__ import annotations

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from portcullis.ledger.models import LedgerEntry
from portcullis.lib.sealed import unseal
from portcullis.lib.testing.smtp import free_port
from portcullis.phishing.models import SendingProfile
from portcullis.test import BaseTestCase

SECRET = "relay-password-7f3c1e"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.logins: list[tuple[str, str]] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802 - aiosmtpd's name
        self.messages.append(envelope.original_content)
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        if isinstance(auth_data, LoginPassword):
            login = (auth_data.login.decode(), auth_data.password.decode())
            self.logins.append(login)
            return AuthResult(success=login == ("relay-user", SECRET))
        return AuthResult(success=False)


class SendingProfileTests(BaseTestCase):
    def setUp(self) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.relay = Controller(
            self.inbox,
            hostname="127.0.0.1",
            port=self.port,
            authenticator=self.inbox.authenticate,
            auth_require_tls=False,
        )
        self.relay.start()
        self.addCleanup(self.relay.stop)

    def save(self, **fields: str):
        data = {
            "name": "Relay",
            "host": "127.0.0.1",
            "port": str(self.port),
            "username": "relay-user",
            "password": SECRET,
            "password_env": "",
            "envelope_from": "bounces@simulations.example",
        } | fields
        return self.client_for(self.security).post("/phishing/sending-profiles/", data)

    def test_the_password_is_sealed_at_rest_and_logs_in_to_the_relay(self) -> None:
        self.save()
        profile = SendingProfile.objects.get()
        stored = bytes(profile.password_sealed)
        self.assertNotIn(SECRET.encode(), stored)
        self.assertEqual(unseal(stored), SECRET)
        answer = self.client_for(self.security).post(
            f"/phishing/sending-profiles/{profile.public_id}/test/", follow=True
        )
        self.assertContains(answer, "A test e-mail went to security@test.example")
        self.assertEqual(self.inbox.logins, [("relay-user", SECRET)])
        self.assertEqual(len(self.inbox.messages), 1)
        self.assertIn(b"To: security@test.example", self.inbox.messages[0])

    def test_attack_the_password_is_in_no_page_and_no_ledger_entry(self) -> None:
        self.save()
        profile = SendingProfile.objects.get()
        for url in (
            "/phishing/sending-profiles/",
            f"/phishing/sending-profiles/{profile.public_id}/",
        ):
            with self.subTest(url=url):
                self.assertNotContains(self.client_for(self.security).get(url), SECRET)
        for entry in LedgerEntry.objects.all():
            self.assertNotIn(SECRET, str(entry.data))
        self.assertEqual(
            LedgerEntry.objects.get(action="sending_profile.save").data["password"], "changed"
        )

    def test_saving_again_without_a_password_keeps_it_and_remove_forgets_it(self) -> None:
        self.save()
        profile = SendingProfile.objects.get()
        edit = f"/phishing/sending-profiles/{profile.public_id}/"
        client = self.client_for(self.security)
        base = {
            "name": "Relay",
            "host": "127.0.0.1",
            "port": str(self.port),
            "username": "relay-user",
            "password": "",
            "password_env": "",
            "envelope_from": "bounces@simulations.example",
        }
        client.post(edit, base)
        profile.refresh_from_db()
        self.assertEqual(unseal(bytes(profile.password_sealed)), SECRET)
        client.post(edit, base | {"forget_password": "on"})
        profile.refresh_from_db()
        self.assertEqual(bytes(profile.password_sealed), b"")

    def test_a_wrong_password_is_reported_in_words_not_as_an_error_page(self) -> None:
        self.save(password="wrong")
        profile = SendingProfile.objects.get()
        answer = self.client_for(self.security).post(
            f"/phishing/sending-profiles/{profile.public_id}/test/", follow=True
        )
        self.assertContains(answer, "The test could not be sent over Relay")
        self.assertEqual(self.inbox.messages, [])

    def test_attack_other_roles_cannot_edit_or_test_a_profile(self) -> None:
        self.save()
        profile = SendingProfile.objects.get()
        client = self.client_for(self.manager)
        self.assertEqual(
            client.get(f"/phishing/sending-profiles/{profile.public_id}/").status_code, 403
        )
        answer = client.post(f"/phishing/sending-profiles/{profile.public_id}/test/")
        self.assertEqual(answer.status_code, 403)
        self.assertEqual(self.inbox.messages, [])
