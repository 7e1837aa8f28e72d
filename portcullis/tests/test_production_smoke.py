"""Production mode as deployed: `collectstatic`, then gunicorn with DJANGO_DEBUG=0 serves pages.

The server runs in its own process against the suite's database (on PostgreSQL the test
database itself; on SQLite, whose test database lives in memory, a migrated file). It sits
behind an imagined TLS proxy: requests carry `X-Forwarded-Proto: https`, as the documented
`SECURE_PROXY_SSL_HEADER` expects, so the secure-cookie, HSTS and CSRF origin rules are the real
ones.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db import connection
from django_otp.oath import totp
from pytest_django import DjangoDbBlocker

from portcullis.lib.testing.smtp import free_port

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
PASSWORD = "correct horse battery staple"
TOTP_KEY = secrets.token_hex(20)
# Asks pytest-django for the test database, which the server process then uses.
pytestmark = pytest.mark.django_db

# Runs in the server's environment (DJANGO_DEBUG=0) so the people exist in its database.
MAKE_PEOPLE = f"""
from django_otp.plugins.otp_totp.models import TOTPDevice
from portcullis.accounts.models import Membership, Organisation, Person, PersonEmail, Role, User
team = Organisation.objects.create(name="Smoke Security", short_name="Smoke",
                                   kind=Organisation.Kind.SECURITY_TEAM)
person = Person.objects.create(full_name="Smoke Officer")
PersonEmail.objects.create(person=person, address="officer@smoke.example", is_primary=True)
Membership.objects.create(person=person, organisation=team, role=Role.SECURITY_OFFICER)
user = User.objects.create_user("officer@smoke.example", {PASSWORD!r}, person=person)
TOTPDevice.objects.create(user=user, name="phone", confirmed=True, key={TOTP_KEY!r})
"""


def _database_url(tmp: Path) -> str:
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user, host, port = settings["USER"], settings["HOST"], settings["PORT"] or 5432
        return f"postgres://{user}@{host}:{port}/{settings['NAME']}"
    return f"sqlite:///{tmp / 'smoke.sqlite3'}"


def _production_env(tmp: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTCULLIS_"))}
    return clean | {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
        "PORTCULLIS_LEDGER_KEY": secrets.token_urlsafe(48),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": _database_url(tmp),
        "PORTCULLIS_VAR_DIR": str(tmp),
        "PORTCULLIS_DB_CONN_MAX_AGE": "0",
    }


def _manage(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"manage.py {args[0]} failed:\n{result.stdout}{result.stderr}"


@dataclass
class Browser:
    """Just enough of a browser: cookies (Secure ones too, the proxy speaks TLS) and a Host."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://127.0.0.1:{self.port}"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text

    def get(self, path: str) -> tuple[int, dict[str, str], str]:
        return self.request("GET", path)

    def post_form(self, path: str, page: str, fields: dict[str, str]) -> tuple[int, str]:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "the form carries a CSRF token"
        status, headers, _ = self.request(
            "POST", path, {"csrfmiddlewaretoken": token.group(1), **fields}
        )
        return status, headers.get("location", "")


@pytest.fixture(scope="module")
def production_server(
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[int]:
    tmp = tmp_path_factory.mktemp("production")
    with django_db_blocker.unblock():
        env = _production_env(tmp)
        if connection.vendor != "postgresql":
            _manage(env, "migrate", "--no-input", "-v0")
        _manage(env, "collectstatic", "--no-input", "-v0")
        _manage(env, "shell", "-c", MAKE_PEOPLE)
        port = free_port()
        server = subprocess.Popen(  # noqa: S603
            [
                str(GUNICORN),
                "portcullis.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--access-logfile",
                "-",
                "--error-logfile",
                str(tmp / "error.log"),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        try:
            _wait_for(port, server)
            yield port
        finally:
            server.terminate()
            server.wait(timeout=30)
            if connection.vendor == "postgresql":  # leave the test database empty, as found
                call_command("flush", interactive=False, verbosity=0)


def _wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn exited at start-up"
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=2).connect()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start listening within 60 seconds")


def _stylesheets(page: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)]


def test_the_sign_in_page_and_its_hashed_stylesheets_are_served(production_server: int) -> None:
    browser = Browser(production_server)
    status, headers, page = browser.get("/sign-in/")
    assert status == 200, page[:500]
    assert "Sign in" in page
    assert "strict-transport-security" in headers
    sheets = _stylesheets(page)
    assert any(re.search(r"govuk-frontend\.min\.[0-9a-f]{12}\.css$", s) for s in sheets), sheets
    for sheet in sheets:
        css_status, css_headers, css = browser.get(sheet)
        assert css_status == 200, sheet
        assert css_headers["content-type"].startswith("text/css")
        assert len(css) > 1000


def test_a_security_officer_signs_in_with_password_and_code_and_sees_the_dashboard(
    production_server: int,
) -> None:
    browser = Browser(production_server)
    _, _, page = browser.get("/sign-in/")
    status, location = browser.post_form(
        "/sign-in/", page, {"username": "officer@smoke.example", "password": PASSWORD}
    )
    assert (status, location) == (302, "/mfa/verify/")
    _, _, page = browser.get("/mfa/verify/")
    code = f"{totp(bytes.fromhex(TOTP_KEY)):06d}"
    status, location = browser.post_form("/mfa/verify/", page, {"token": code})
    assert (status, location) == (302, "/")
    status, _, page = browser.get("/")
    assert status == 200, page[:500]
    assert "Smoke Officer" in page or "officer@smoke.example" in page
    assert "Sign out" in page
    assert browser.get(_stylesheets(page)[0])[0] == 200
