"""The footer's API link opens interactive docs that work under the site's own CSP."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from portcullis.accounts.models import Organisation, Role
from portcullis.lib.testing.browser import chromium, signed_in_context
from portcullis.test import make_office, make_org, make_user, sign_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_api_docs_render_their_operations_in_the_browser(live_server: Any) -> None:
    office = make_office("Office A", make_org("Chamber", Organisation.Kind.HOUSE))
    staffer = make_user("staff@test.example", Role.STAFFER, office=office)
    client = sign_in(Client(), staffer)
    refused: list[str] = []
    with chromium() as browser:
        page = signed_in_context(browser, live_server.url, client).new_page()
        page.on("console", lambda msg: refused.append(msg.text))
        page.goto("/")
        page.get_by_role("link", name="API", exact=True).click()
        page.wait_for_selector(".opblock-summary-path", timeout=20_000)
        paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/me/" in paths
    assert [text for text in refused if "Content Security Policy" in text] == []
