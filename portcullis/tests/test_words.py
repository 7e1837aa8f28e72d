"""People read words, not Python values, action codes or enum codes."""

from __future__ import annotations

from django.db import transaction
from django.test import Client, override_settings

from portcullis import ledger
from portcullis.accounts.models import Role
from portcullis.ledger.templatetags.ledger import action_words, details_in_words
from portcullis.test import PASSWORD, BaseTestCase


class WordsTests(BaseTestCase):
    def test_ledger_details_read_as_words(self) -> None:
        words = details_in_words({"alerts": [], "campaign": None, "sent": True, "to": ["a", "b"]})
        self.assertEqual(words, "alerts: none; campaign: none; sent: yes; to: a, b")
        self.assertEqual(action_words("session.sign_in"), "Signed in")
        self.assertEqual(action_words("alert.publish"), "Alert: publish")

    def test_the_ledger_page_shows_no_python_values(self) -> None:
        with transaction.atomic():
            ledger.record(
                actor=self.security,
                action="report.triage",
                data={"alerts": [], "campaign": None},
            )
        page = self.client_for(self.security).get("/ledger/").content.decode()
        self.assertIn("alerts: none; campaign: none", page)
        self.assertNotIn("None", page.split("<tbody")[1].split("</tbody>")[0])

    def test_the_account_page_says_signed_in_not_the_action_code(self) -> None:
        client = Client()
        client.post("/sign-in/", {"username": "staffer@test.example", "password": PASSWORD})
        page = client.get("/account/")
        self.assertContains(page, "Signed in")
        self.assertNotContains(page, "session.sign_in")

    @override_settings(PORTCULLIS_REPORT_ADDRESS="phishing@parliament.example")
    def test_the_report_page_gives_the_report_mailbox_address(self) -> None:
        page = self.client_for(self.staffer).get("/phishing/report/")
        self.assertContains(page, 'href="mailto:phishing@parliament.example"')

    def test_roles_read_as_words(self) -> None:
        from portcullis.accounts.templatetags.people import role_names

        self.assertEqual(role_names([Role.OFFICE_MANAGER, Role.STAFFER]), "Office manager, Staffer")
