"""Every link on every page, as every demo role: none is missing (404) or breaks (500)."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.test import Client, TestCase

from portcullis.accounts.demo import DEMO_USERS
from portcullis.accounts.models import User
from portcullis.lib.testing.crawl import walk
from portcullis.test import sign_in


class EveryLinkOfEveryRole(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_demo", quiet_sign_ins=True, stdout=StringIO())

    def test_no_link_is_missing_or_broken_for_any_demo_role(self) -> None:
        for demo_user in DEMO_USERS:
            with self.subTest(demo_user.email):
                client = sign_in(Client(), User.objects.get(email=demo_user.email))
                result = walk(client)
                self.assertGreater(len(result.pages), 10)
                self.assertEqual(result.broken(), [])
