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
    "PORTCULLIS_CACHE_URL": "redis://127.0.0.1:6379/1",
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


def test_check_deploy_is_clean_with_the_four_documented_settings() -> None:
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


def test_check_deploy_warns_that_a_cache_per_process_multiplies_the_api_rates() -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "PORTCULLIS_CACHE_URL"}
    result = manage("check", "--deploy", env=env)
    assert "portcullis.W002" in result.stderr, result.stdout + result.stderr
    assert "PORTCULLIS_CACHE_URL" in result.stderr


def test_a_cache_url_that_is_not_redis_refuses_to_start() -> None:
    result = manage("check", env=PRODUCTION | {"PORTCULLIS_CACHE_URL": "memcached://x:11211"})
    assert result.returncode != 0
    assert "PORTCULLIS_CACHE_URL must be a redis://" in result.stderr


def test_two_processes_share_one_cache_in_redis() -> None:
    """What one process counts (a caller's API requests), another sees: the real Redis."""
    key, value = f"shared-{secrets.token_hex(8)}", secrets.token_hex(8)
    env = {"DJANGO_DEBUG": "1", "PORTCULLIS_CACHE_URL": "redis://127.0.0.1:6379/15"}
    code = "from django.core.cache import cache; "
    written = manage(
        "shell", "--no-imports", "-c", code + f"cache.set({key!r}, {value!r}, 60)", env=env
    )
    assert written.returncode == 0, written.stderr
    read = manage("shell", "--no-imports", "-c", code + f"print(cache.get({key!r}))", env=env)
    assert read.stdout.strip() == value, read.stdout + read.stderr
    alone = manage(
        "shell",
        "--no-imports",
        "-c",
        code + f"print(cache.get({key!r}))",
        env={"DJANGO_DEBUG": "1"},
    )
    assert alone.stdout.strip() == "None"  # without it, each process has its own
