"""`make schemathesis`: serve the demo and run schemathesis against the OpenAPI schema with a
security officer's and a staffer's integration tokens; exit non-zero on any server error.

Runs in the app's venv; schemathesis itself lives in its own (`SCHEMATHESIS`, default
`.venv-schemathesis/bin/schemathesis`). The site is served by gunicorn on `PORT` (default 8105)
from a database of its own (`DATABASE_URL`, default a fresh SQLite file in var/schemathesis/).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
VENV_BIN = Path(sys.executable).parent
SCHEMATHESIS = os.environ.get("SCHEMATHESIS", str(ROOT / ".venv-schemathesis/bin/schemathesis"))
PORT = int(os.environ.get("PORT", "8105"))
VAR = ROOT / "var" / "schemathesis"
MAX_EXAMPLES = os.environ.get("MAX_EXAMPLES", "25")
USERS = {"security officer": "security@demo.test", "staffer": "staff@demo.test"}
# Runs in the site's environment: a real id for every `{public_id}` path of the schema (the
# first row of the view's model), so detail operations reach real objects, not only 404s.
REAL_IDS = """
import json, uuid
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator
ids = {}
for path in SchemaGenerator().get_schema(public=True)["paths"]:
    if "{public_id}" not in path:
        continue
    view = resolve(path.replace("{public_id}", str(uuid.uuid4()))).func.cls
    meta = getattr(getattr(view, "serializer_class", None), "Meta", None)
    model = getattr(view.queryset, "model", None) or getattr(meta, "model", None)
    found = model and model._default_manager.values_list("public_id", flat=True).first()
    if found:
        ids[path] = str(found)
print(json.dumps(ids))
"""


def site_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTCULLIS_"))}
    return env | {
        "DJANGO_DEBUG": "1",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
        "PORTCULLIS_VAR_DIR": str(VAR),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{VAR / 'db.sqlite3'}",
        # Every generated case is a call; the rates are tested elsewhere, not here.
        "PORTCULLIS_API_RATE_INTEGRATION": "1000000/hour",
    }


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603
        [str(VENV_BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout.strip()


def serve(env: dict[str, str]) -> subprocess.Popen[bytes]:
    log = (VAR / "server.log").open("wb")
    # SQLite takes one writer at a time: one worker, one thread, so no "database is locked".
    workers = ["1", "1"] if env["DATABASE_URL"].startswith("sqlite") else ["2", "4"]
    server = subprocess.Popen(  # noqa: S603
        [str(VENV_BIN / "gunicorn"), "portcullis.wsgi", "-b", f"127.0.0.1:{PORT}"]
        + ["--workers", workers[0], "--threads", workers[1], "--timeout", "120"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", PORT), 1).close()
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    sys.exit(f"gunicorn did not start on port {PORT}; see {VAR / 'server.log'}")


def write_config(env: dict[str, str]) -> Path:
    ids = json.loads(manage(env, "shell", "-c", REAL_IDS).splitlines()[-1])
    lines = []
    for path, public_id in sorted(ids.items()):
        lines += [
            "[[operations]]",
            f"include-path = {json.dumps(path)}",
            f'parameters = {{ "path.public_id" = {json.dumps(public_id)} }}',
            "",
        ]
    config = VAR / "schemathesis.toml"
    config.write_text("\n".join(lines))
    return config


def run_schemathesis(label: str, key: str, config: Path) -> tuple[int, str]:
    command = [
        SCHEMATHESIS,
        "--no-color",
        "--config-file",
        str(config),
        "run",
        str(VAR / "schema.yaml"),
        "--url",
        f"http://127.0.0.1:{PORT}",
        "--request-timeout",
        "60",
        "--header",
        f"Authorization: Token {key}",
        "--checks",
        "not_a_server_error",
        "--max-examples",
        MAX_EXAMPLES,
        "--seed",
        "1",
        "--report",
        "junit",
        "--report-dir",
        str(VAR / label.replace(" ", "-")),
    ]
    print(f"\n=== schemathesis as the {label} ===", flush=True)
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    output = done.stdout + done.stderr
    (VAR / f"schemathesis-{label.replace(' ', '-')}.log").write_text(output)
    summary = [line for line in output.splitlines() if re.search(r"(passed|failed|error)", line)]
    print("\n".join(summary[-12:]), flush=True)
    return done.returncode, output


def main() -> None:
    if not Path(SCHEMATHESIS).exists():
        sys.exit(f"{SCHEMATHESIS} is missing: run `make schemathesis`, which installs it")
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    env = site_env()
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "load_demo", "--quiet-sign-ins")
    manage(env, "allow_api_tokens", USERS["security officer"], "--reason", "schemathesis run")
    keys = {
        label: manage(env, "create_api_token", email, "--name", "schemathesis", "--write")
        for label, email in USERS.items()
    }
    # The schema as the site serves it at /api/v1/schema/, written once (it is slow to build).
    manage(env, "spectacular", "--file", str(VAR / "schema.yaml"), "--validate")
    config = write_config(env)
    server = serve(env)
    failed = []
    try:
        for label, key in keys.items():
            code, _ = run_schemathesis(label, key, config)
            if code:
                failed.append(label)
    finally:
        server.terminate()
        server.wait(30)
    if failed:
        sys.exit(f"schemathesis found failures as the {', '.join(failed)}; logs in {VAR}")
    print(f"\nNo server errors. Logs in {VAR}.")


if __name__ == "__main__":
    main()
