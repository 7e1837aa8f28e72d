"""Playwright driving Debian's chromium (Playwright cannot download its own browser here)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections
from playwright.sync_api import Browser, BrowserContext, sync_playwright

CHROMIUM = "/usr/bin/chromium"
# Without these, chromium tries to reach Google's services and the closed network refuses it.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
            # While Playwright's event loop runs, Django keeps a test's queries on a connection
            # of their own (asgiref's storage for async code); nothing else closes it, and the
            # PostgreSQL test database could not be dropped ("being accessed by other users").
            connections.close_all()


def signed_in_context(
    browser: Browser, base_url: str, client: Any, **options: Any
) -> BrowserContext:
    """A browser context carrying the session of a signed-in Django test client (so a test need
    not type a password and a code for every role)."""
    from django.conf import settings

    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(base_url=base_url, **options)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])
    return context
