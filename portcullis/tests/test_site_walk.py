"""As every demo role, through every page: no link is missing (404) or breaks (500), and every
form sent empty says which field is wrong."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from io import StringIO

from django import forms
from django.core import validators
from django.core.management import call_command
from django.db import models
from django.test import Client, TestCase

from portcullis.accounts.demo import DEMO_USERS
from portcullis.accounts.models import User
from portcullis.lib.testing.crawl import post_forms, walk
from portcullis.test import sign_in


def _django_generic_messages() -> list[re.Pattern[str]]:
    """Every message Django's own form fields, model fields and validators give: none names a
    field, so none may reach a person."""
    texts: set[str] = set()
    for module in (forms, models):
        for klass in vars(module).values():
            if isinstance(klass, type):
                texts |= {str(m) for m in getattr(klass, "default_error_messages", {}).values()}
    for validator in vars(validators).values():
        if isinstance(validator, type) and isinstance(getattr(validator, "message", None), str):
            texts.add(str(validator.message))
    patterns = []
    for text in texts:
        pattern = re.escape(text)
        pattern = re.sub(r"%\\\((\w+)\\\)[sdr]", ".*", pattern)
        pattern = re.sub(r"\\{\w+\\}", ".*", pattern)
        patterns.append(re.compile(f"^{pattern}$"))
    return patterns


class _ErrorMessages(HTMLParser):
    """The text of each field's error message and each link in the error summary."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []
        self._depth = 0
        self._in_summary = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self._depth:
            self._depth += 1
        elif "govuk-error-message" in classes or (tag == "a" and self._in_summary):
            self._depth = 1
            self.messages.append("")
        if "govuk-error-summary__list" in classes:
            self._in_summary = True

    def handle_endtag(self, tag: str) -> None:
        if self._depth:
            self._depth -= 1
        if tag == "ul":
            self._in_summary = False

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.messages[-1] += data


def error_messages(html: str) -> list[str]:
    parser = _ErrorMessages()
    parser.feed(html)
    return [" ".join(m.replace("Error:", "").split()) for m in parser.messages if m.strip()]


class EveryPageOfEveryRole(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_demo", quiet_sign_ins=True, stdout=StringIO())

    def signed_in(self, email: str) -> Client:
        return sign_in(Client(), User.objects.get(email=email))

    def test_no_link_is_missing_or_broken_for_any_demo_role(self) -> None:
        for demo_user in DEMO_USERS:
            with self.subTest(demo_user.email):
                result = walk(self.signed_in(demo_user.email))
                self.assertGreater(len(result.pages), 10)
                self.assertEqual(result.broken(), [])

    def test_every_form_sent_empty_names_the_fields_that_are_wrong(self) -> None:
        generic = _django_generic_messages()
        for demo_user in DEMO_USERS:
            client = self.signed_in(demo_user.email)
            sent: set[str] = set()
            for page in walk(client).pages:
                for form in post_forms(client.get(page).content.decode(), page):
                    if form.action in sent:
                        continue
                    sent.add(form.action)
                    with self.subTest(demo_user.email, form=form.action, page=page):
                        response = client.post(form.action, form.hidden)
                        self.assertLess(response.status_code, 500)
                        messages = error_messages(response.content.decode())
                        unnamed = [m for m in messages if any(p.match(m) for p in generic)]
                        self.assertEqual(unnamed, [])
