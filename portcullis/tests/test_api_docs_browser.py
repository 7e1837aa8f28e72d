"""The footer's API link opens a reference of every operation that works under the site's own
CSP, passes axe-core whole, and whose curl lines work as printed."""

from __future__ import annotations

import json
import os
import subprocess
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from portcullis.accounts.models import Organisation, Role
from portcullis.lib.apidocs import METHODS
from portcullis.lib.testing.browser import chromium, signed_in_context
from portcullis.test import make_office, make_org, make_user, sign_in
from portcullis.tests.test_phones import AXE, SERIOUS


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_api_reference_renders_every_operation_accessibly_and_its_curl_works(
    live_server: Any,
) -> None:
    office = make_office("Office A", make_org("Chamber", Organisation.Kind.HOUSE))
    staffer = make_user("staff@test.example", Role.STAFFER, office=office)
    client = sign_in(Client(), staffer)
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = {
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        for method in METHODS
        if method in item
    }
    refused: list[str] = []
    with chromium() as browser:
        page = signed_in_context(browser, live_server.url, client).new_page()
        page.on("console", lambda msg: refused.append(msg.text))
        page.goto("/")
        page.get_by_role("link", name="API", exact=True).click()
        shown = {
            " ".join(text.split()[-2:])
            for text in page.locator("h3.pc-api-op__heading").all_inner_texts()
        }
        me = page.locator("#op-me_retrieve ~ pre").first.inner_text()
        page.evaluate(AXE.read_text())
        violations = page.evaluate(SERIOUS)
    assert shown == operations
    assert len(operations) > 40
    assert violations == []
    assert [text for text in refused if "Content Security Policy" in text] == []
    # The printed line, run by a shell with a real token, answers as the API does.
    token = StringIO()
    call_command("create_api_token", staffer.email, stdout=token)
    answer = subprocess.run(  # noqa: S603 (the line our own page printed, for a test)
        ["/bin/bash", "-c", me],
        env={**os.environ, "PORTCULLIS_TOKEN": token.getvalue().strip()},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert me.startswith("curl")
    assert json.loads(answer.stdout)["email"] == "staff@test.example"
