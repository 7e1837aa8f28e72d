"""Every page of every demo role on a phone: never wider than the screen at 390 and 320 px, and
axe-core finds nothing serious or critical. One browser; each role's signed-in context reused."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from portcullis.accounts.demo import DEMO_USERS
from portcullis.accounts.models import User
from portcullis.lib.testing.browser import chromium, signed_in_context
from portcullis.lib.testing.crawl import walk
from portcullis.test import sign_in

# Installed by `make axe` (the Makefile pins the version).
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (390, 320)
# Every page whole, the API reference included (it is our own markup, rendered on the server).
SERIOUS = """axe.run(document, {resultTypes: ["violations"]})
  .then((result) => result.violations
  .filter((v) => v.impact === "serious" || v.impact === "critical")
  .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`))"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_page_is_wider_than_a_phone_or_seriously_inaccessible(live_server: Any) -> None:
    call_command("load_demo", quiet_sign_ins=True, stdout=StringIO())
    axe = AXE.read_text()
    problems: list[str] = []
    visited = 0
    with chromium() as browser:
        for demo_user in DEMO_USERS:
            client = sign_in(Client(), User.objects.get(email=demo_user.email))
            context = signed_in_context(browser, live_server.url, client)
            page = context.new_page()
            for url in walk(client, per_shape=1).pages:
                visited += 1
                page.set_viewport_size({"width": WIDTHS[0], "height": 800})
                page.goto(url)
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": 800})
                    wide = page.evaluate("document.documentElement.scrollWidth")
                    if wide > width:
                        problems.append(f"{demo_user.email} {url}: {wide} px wide at {width} px")
                page.evaluate(axe)
                for violation in page.evaluate(SERIOUS):
                    problems.append(f"{demo_user.email} {url}: {violation}")
            context.close()
    assert visited > 100
    assert problems == [], "\n".join(problems)
