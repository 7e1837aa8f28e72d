"""Production settings: refuse to start without secrets; `check --deploy` is clean."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),  # 64 characters
    "DJANGO_ALLOWED_HOSTS": "portcullis.example.org",
    "PORTCULLIS_LEDGER_KEY": secrets.token_urlsafe(32),  # 43 characters
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTCULLIS_"))}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_the_three_documented_settings() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_missing_secret_key_refuses_to_start() -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_missing_allowed_hosts_refuses_to_start() -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_ALLOWED_HOSTS"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def test_a_missing_ledger_key_refuses_to_start() -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "PORTCULLIS_LEDGER_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "PORTCULLIS_LEDGER_KEY must be set" in result.stderr


def test_a_short_ledger_key_refuses_to_start() -> None:
    result = manage("check", env=PRODUCTION | {"PORTCULLIS_LEDGER_KEY": "x" * 31})
    assert result.returncode != 0
    assert "PORTCULLIS_LEDGER_KEY must be at least 32 characters" in result.stderr


def test_the_secret_key_cannot_double_as_the_ledger_key() -> None:
    same = PRODUCTION | {"PORTCULLIS_LEDGER_KEY": PRODUCTION["DJANGO_SECRET_KEY"]}
    result = manage("check", env=same)
    assert result.returncode != 0
    assert "PORTCULLIS_LEDGER_KEY must differ from DJANGO_SECRET_KEY" in result.stderr
