# ruff: noqa: E402 - the imports follow the path fix below
"""Platform benchmark: one legislature on one machine.

    .venv/bin/python benchmarks/platform.py [--people 15000] [--offices 1500] [--users 50]
        [--duration 120] [--seed 11] [--port 8107] [--queue-rows 100000] [--visitors 2000]
        [--setup-only]
        [--database postgres://postgres@127.0.0.1:5432/portcullis_bench]

Generates a seeded legislature (people across offices in two houses, eight parties, the security
team), imports its directory **from the page** (the background import with its training sync),
adds realistic volumes of approach reports, alerts, screenings, reported e-mails, completions,
clearances and devices, then serves it on PostgreSQL with gunicorn in production mode (three sync
workers, `DJANGO_DEBUG=0`, collectstatic, behind an imagined TLS proxy) plus the task worker, and
drives signed-in users of mixed roles (each signed in through the real form, with their TOTP
code where the role needs one) through the main pages and API for the duration. Each user waits
a think time of 1-3 s between requests, as a person reading a page does.

The database named by --database is DROPPED and re-created. Prints one JSON object on stdout:
setup figures (the import from the page and its training sync, re-syncs with nothing changed,
the e-mail analyser against the directory), each page alone, and per
endpoint under load: count, p50/p95/p99 in milliseconds, errors. After the load, the approach
reports and reported e-mails are topped up to --queue-rows each (0: skip) and the analysts'
queues (first page, search, sort, a deep page) are timed alone. Each party with a compliance
officer among the users gets a year of 5,000 donations; each quarter's report is generated and
timed in-process, and the officer's donation pages are timed alone and under load (11 users
or more include a party officer). Then --visitors visitors are expected today (0: skip) and a
gate officer's search by name, scan of a QR code and check-in are timed alone, beside the people
search as the peer measured the same way.

The load client is threads over `http.client` (one thread and connection per user, the GIL is
released while waiting on sockets), so no load-tool dependency is needed.
"""

from __future__ import annotations

import sys

# This file is named like the standard library's `platform`, which libraries import: its folder
# must not stand first on the path, or they would import this script instead.
sys.path = [p for p in sys.path if p not in ("", __file__.rsplit("/", 1)[0])]

import argparse
import http.client
import json
import logging
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GUNICORN = Path(sys.executable).with_name("gunicorn")
PASSWORD = "benchmark password, not a secret"  # noqa: S105
SCREENINGS = 1000  # through the screening service, each against the watchlist
SECURITY_TEAM = "Parliamentary Security Department"
HOUSES = ("House of Commons", "House of Lords")
PARTIES = (
    "Progressive Union",
    "National Alliance",
    "Green Future",
    "Liberal Reform",
    "Scottish Voice",
    "Welsh League",
    "Independent Group",
    "Northern Party",
)


def _names(text: str) -> list[str]:
    return text.split()


FIRST = _names(
    "Alex Amara Ben Carys Dana Eli Fatima Gareth Hana Ian Jun Kofi Lena Marek Nia Omar Priya "
    "Quinn Rhys Sana Tomas Uma Viktor Wen Yusuf Zoe Aled Beatriz Chidi Dev Elin Farah Goran "
    "Hollis Ines Jago Kiran Lowri Mateo Nadia Osian Petra Rafael Siobhan Teodor Una Vivek "
)
LAST = _names(
    "Morgan Okafor Lindqvist Hartwell Shaw Li Ray Tan Evans Patel Nowak Kowalski Byrne Ahmed "
    "Jones Davies Murphy Walsh Singh Khan Hughes Price Lloyd Novak Costa Silva Rossi Fischer "
    "Weber Dubois Martin Bernard Jansen Visser Berg Nilsen Horvat Popescu Ivanova Sato Chen "
    "Wong Kim Park Nguyen Haddad Mensah Owusu Adeyemi Banda Mwangi Reyes Cruz Flores "
)


@dataclass
class Plan:
    """Who is in the directory, by CSV line."""

    rows: list[dict[str, str]] = field(default_factory=list)
    offices: list[tuple[str, str]] = field(default_factory=list)  # (name, house)


def plan_legislature(people: int, offices: int, rng: random.Random) -> Plan:
    plan = Plan()
    team = [("security_officer", 40), ("gate_officer", 200), ("administrator", 2)]
    team_size = sum(n for _, n in team) + len(PARTIES)
    per_office = max(3, (people - team_size) // offices)
    left = people - team_size - per_office * offices
    for i in range(offices):
        house = HOUSES[0] if i < offices * 0.43 else HOUSES[1]
        member = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        office = f"Office of {member} {'MP' if house == HOUSES[0] else '(Lords)'} #{i + 1}"
        plan.offices.append((office, house))
        size = per_office + (1 if i < left else 0)
        party = PARTIES[i % len(PARTIES)]
        for k in range(size):
            role = "member" if k == 0 else "office_manager" if k == 1 else "staffer"
            name = member if k == 0 else f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            plan.rows.append(_row(name, len(plan.rows), office, role, party if k == 0 else ""))
    for role, count in team:
        for _ in range(count):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            plan.rows.append(_row(name, len(plan.rows), SECURITY_TEAM, role))
    for party in PARTIES:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        plan.rows.append(_row(name, len(plan.rows), party, "party_compliance_officer"))
    return plan


def _row(name: str, n: int, place: str, role: str, party: str = "") -> dict[str, str]:
    local = re.sub(r"[^a-z]+", ".", name.lower()).strip(".")
    emails = f"{local}.{n}@parliament.example"
    if n % 7 == 0:
        emails += f";{local}{n}@gmail.example"
    return {"name": name, "emails": emails, "office": place, "role": role, "party": party}


def directory_csv(plan: Plan) -> bytes:
    lines = ["name,emails,office,role,party"]
    lines += [
        f"{r['name']},{r['emails']},{r['office']},{r['role']},{r['party']}" for r in plan.rows
    ]
    return ("\n".join(lines) + "\n").encode()


# --- the database and the processes -------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def production_env(database: str, var: Path, smtp_port: int) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTCULLIS_"))}
    return clean | {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
        "PORTCULLIS_LEDGER_KEY": secrets.token_urlsafe(48),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database,
        "PORTCULLIS_VAR_DIR": str(var),
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_PORT": str(smtp_port),
        "PORTCULLIS_SHARED_DATA": str(var / "no-shared-data"),
    }


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def start(env: dict[str, str], port: int, var: Path) -> list[subprocess.Popen[bytes]]:
    server = subprocess.Popen(
        [
            str(GUNICORN),
            "portcullis.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
            "--worker-class",
            "sync",
            "--timeout",
            "30",
            "--error-logfile",
            str(var / "gunicorn-error.log"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "1", "--no-reload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(var / "worker.log", "wb"),  # noqa: SIM115
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=2).connect()
            return [server, worker]
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


# --- a browser: cookies, CSRF, sign-in ----------------------------------------------------------


class Browser:
    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        content_type: str = "",
        extra: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        headers = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = content_type
            headers["Origin"] = f"https://127.0.0.1:{self.port}"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        headers |= extra or {}
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def form(self, path: str, fields: dict[str, str]) -> tuple[int, str]:
        _, _, page = self.request("GET", path)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, f"{path} has a CSRF token"
        body = urlencode({"csrfmiddlewaretoken": token.group(1).decode(), **fields}).encode()
        status, headers, _ = self.request("POST", path, body, "application/x-www-form-urlencoded")
        return status, headers.get("location", "")

    def sign_in(self, email: str, totp_key: str | None) -> None:
        from django_otp.oath import totp

        status, location = self.form("/sign-in/", {"username": email, "password": PASSWORD})
        if totp_key:
            assert location == "/mfa/verify/", (email, status, location)
            for _attempt in range(2):
                status, location = self.form(
                    "/mfa/verify/", {"token": f"{totp(bytes.fromhex(totp_key)):06d}"}
                )
                if status == 302:
                    break
                # A code is accepted once: the same user signed in earlier in this time step
                # (the pages-alone phase, then the load) must wait for the next code.
                time.sleep(31 - time.time() % 30)
        assert (status, location) == (302, "/"), (email, status, location)

    def upload(self, path: str, name: str, data: bytes) -> str:
        _, _, page = self.request("GET", path)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token
        boundary = secrets.token_hex(12)
        body = (
            (
                f"--{boundary}\r\n"
                'Content-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
                f"{token.group(1).decode()}\r\n--{boundary}\r\n"
                f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
                "Content-Type: text/csv\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        status, headers, _ = self.request(
            "POST", path, body, f"multipart/form-data; boundary={boundary}"
        )
        assert status == 302, status
        return headers["location"]


# --- generating the legislature (in this process, against the same database) -------------------


def django_setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portcullis.settings")
    import django

    django.setup()


def seed_structure(plan: Plan, today: date) -> dict[str, Any]:
    """Organisations, offices, the course catalogue and requirements, and the importer."""
    from portcullis.accounts.models import Membership, Office, Organisation, Person, Role, User
    from portcullis.training import catalogue
    from portcullis.training.demo import _course, _requirements

    houses = {h: Organisation.objects.create(name=h, short_name=h[9:] or h) for h in HOUSES}
    for party in PARTIES:
        Organisation.objects.create(
            name=party, short_name=party.split()[0], kind=Organisation.Kind.PARTY
        )
    team = Organisation.objects.create(
        name=SECURITY_TEAM, short_name="PSD", kind=Organisation.Kind.SECURITY_TEAM
    )
    Office.objects.bulk_create(
        Office(name=name, organisation=houses[house]) for name, house in plan.offices
    )
    for spec in catalogue.COURSES:
        _course(spec)
    _requirements(today - timedelta(days=400))
    person = Person.objects.create(full_name="Benchmark Importer")
    Membership.objects.create(person=person, organisation=team, role=Role.SECURITY_OFFICER)
    user = User.objects.create_user("importer@bench.example", PASSWORD, person=person)
    return {"importer": user.email, "importer_key": make_totp(user)}


def make_totp(user: Any) -> str:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    key = secrets.token_hex(20)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True, key=key)
    return key


def seed_volumes(rng: random.Random, today: date) -> dict[str, Any]:
    """History and casework: completions, vetting, devices, reports, alerts, screenings, e-mails."""
    figures: dict[str, Any] = {}

    def timed(name: str, step: Any, *args: Any) -> Any:
        started = time.monotonic()
        found = step(*args)
        figures[name] = found if isinstance(found, int) else len(found)
        figures[f"{name} seconds"] = round(time.monotonic() - started, 1)
        return found

    timed("completions", _completions, rng, today)
    timed("clearances and devices", _vetting, rng, today)
    reporters = timed("casework logins", _users_for_casework, rng)
    officer = _casework_officer()
    timed("approach reports", _reports, rng, reporters, today)
    timed("alerts", _alerts, rng, officer)
    timed("screenings", _screenings, rng, officer)
    timed("reported e-mails", _emails, rng, reporters)
    return figures


def _completions(rng: random.Random, today: date) -> int:
    """Most open assignments were completed some time before they fell due."""
    from django.db import transaction

    from portcullis.training import summary
    from portcullis.training.models import Assignment, Completion

    done = []
    chosen = []
    for a in Assignment.objects.open().select_related("course").iterator(chunk_size=5000):
        if rng.random() < 0.7:
            on = min(today, a.due_on - timedelta(days=rng.randint(0, 25)))
            done.append(
                Completion(
                    person_id=a.person_id,
                    course_id=a.course_id,
                    course_version=a.course.version,
                    completed_on=on,
                    score=100,
                )
            )
            chosen.append(a)
    with transaction.atomic():
        Completion.objects.bulk_create(done, batch_size=2000)
        for a, c in zip(chosen, done, strict=True):
            a.status, a.completion, a.completed_on = Assignment.Status.COMPLETED, c, c.completed_on
        Assignment.objects.bulk_update(
            chosen, ["status", "completion", "completed_on"], batch_size=2000
        )
        summary.rebuild(today=today)  # these rows were written outside the services
    return len(done)


def _vetting(rng: random.Random, today: date) -> int:
    from portcullis.accounts.models import Membership, Role
    from portcullis.protection.models import Clearance, SosDevice

    staff = Membership.objects.active().filter(role__in=[Role.STAFFER, Role.OFFICE_MANAGER])
    clearances = []
    for person_id in staff.values_list("person_id", flat=True):
        if rng.random() < 0.8:
            granted = today - timedelta(days=rng.randint(30, 2000))
            clearances.append(
                Clearance(
                    person_id=person_id,
                    level=rng.choice(["CTC", "SC", "SC", "DV"]),
                    status="cleared",
                    applied_on=granted - timedelta(days=60),
                    granted_on=granted,
                    expires_on=granted + timedelta(days=365 * 5),
                )
            )
    Clearance.objects.bulk_create(clearances, batch_size=2000)  # the SOS devices below
    members = Membership.objects.active().filter(role=Role.MEMBER)
    devices = [
        SosDevice(
            person_id=pid,
            serial=f"SOS-{pid}",
            issued_on=today - timedelta(days=rng.randint(10, 700)),
            last_tested_on=today - timedelta(days=rng.randint(0, 200)),
        )
        for pid in members.values_list("person_id", flat=True)
        if rng.random() < 0.85
    ]
    SosDevice.objects.bulk_create(devices, batch_size=2000)
    return len(clearances) + len(devices)


def _users_for_casework(rng: random.Random) -> list[Any]:
    """Logins for a sample of office people (reporters of approaches and e-mails)."""
    from django.contrib.auth.hashers import make_password

    from portcullis.accounts.models import Membership, Person, User

    office_people = list(
        Membership.objects.active()
        .filter(office__isnull=False)
        .values_list("person_id", flat=True)
        .distinct()
    )
    chosen = rng.sample(office_people, 400)
    hashed = make_password(PASSWORD)
    emails = dict(
        Person.objects.filter(pk__in=chosen, emails__is_primary=True).values_list(
            "pk", "emails__address"
        )
    )
    User.objects.bulk_create(
        User(email=emails[pid], person_id=pid, password=hashed) for pid in chosen if pid in emails
    )
    return list(User.objects.filter(person_id__in=chosen).select_related("person"))


def _casework_officer() -> Any:
    from portcullis.accounts.models import User

    return User.objects.get(email="importer@bench.example")


def _reports(rng: random.Random, reporters: list[Any], today: date) -> int:
    """Approach reports: some through the service (observables, matches, campaigns), the rest
    as rows, as years of reporting leave them."""
    from portcullis.accounts.models import Office
    from portcullis.approaches.models import Channel, Persona, Report
    from portcullis.approaches.services import ReportInput, submit_report

    personas = [p.value for p in Persona]
    channels = [c.value for c in Channel]
    made = 0
    for n in range(150):
        user = rng.choice(reporters)
        office = Office.objects.filter(pk__in=user.scope.office_ids).first()
        submit_report(
            data=ReportInput(
                channel=rng.choice(channels),
                persona=rng.choice(personas),
                occurred_on=today - timedelta(days=rng.randint(0, 700)),
                office=office,
                approacher_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                approacher_organisation=f"Consultancy {n % 40}",
                approacher_contact=f"contact{n % 60}@recruiter{n % 25}.example",
                account="Offered paid consultancy for non-public insights.",
            ),
            actor=user,
        )
        made += 1
    rows = []
    for n in range(1850):
        user = rng.choice(reporters)
        offices = sorted(user.scope.office_ids)
        rows.append(
            Report(
                reporter=user,
                reporter_person=user.person,
                office_id=offices[0] if offices else None,
                channel=rng.choice(channels),
                persona=rng.choice(personas),
                occurred_on=today - timedelta(days=rng.randint(0, 1400)),
                approacher_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                approacher_contact=f"someone{n}@elsewhere{n % 90}.example",
                account="Asked about committee timetables over coffee.",
                status=rng.choice(["new", "triaged", "investigating", "closed", "closed"]),
            )
        )
    Report.objects.bulk_create(rows, batch_size=1000)
    return made + len(rows)


def _alerts(rng: random.Random, actor: Any) -> int:
    from portcullis.accounts.models import Office
    from portcullis.intel.extract import Kind
    from portcullis.intel.models import Alert
    from portcullis.intel.services import AlertInput, IndicatorInput, create_alert, publish_alert
    from portcullis.intel.tlp import Tlp

    offices = list(Office.objects.values_list("pk", flat=True))
    for n in range(60):
        chosen = Office.objects.filter(pk__in=rng.sample(offices, rng.randint(2, 8)))
        alert = create_alert(
            data=AlertInput(
                title=f"Approaches from recruiter network {n}",
                summary="Profiles seeking non-public insights, offering paid consultancy.",
                guidance="Do not engage. Report the approach.",
                tlp=Tlp.GREEN if n % 3 else Tlp.AMBER,
                audience=Alert.Audience.OFFICES,
                offices=list(chosen),
                indicators=[
                    IndicatorInput(Kind.EMAIL, f"contact{n}@recruiter{n % 25}.example"),
                    IndicatorInput(Kind.PERSON, f"{rng.choice(FIRST)} {rng.choice(LAST)}"),
                ],
            ),
            actor=actor,
        )
        publish_alert(alert=alert, actor=actor)
    return 60


def _screenings(rng: random.Random, actor: Any) -> int:
    from portcullis.screening import matching
    from portcullis.screening.imports import WatchlistEntry, create_source, publish_version
    from portcullis.screening.models import ListSource
    from portcullis.screening.services import screen_subject

    source = create_source(name="Benchmark watchlist", kind=ListSource.Kind.INTERNAL, actor=actor)
    entries = [
        WatchlistEntry(
            name=f"{rng.choice(FIRST)} {rng.choice(LAST)}", entity_type="person"
        ).as_entity(f"internal:bench{n}", source)
        for n in range(300)
    ]
    publish_version(source=source, entities=entries, actor=actor, note="benchmark")
    for _ in range(SCREENINGS):
        screen_subject(
            subject=matching.Subject(
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                entity_type=matching.EntityType.PERSON,
            ),
            actor=actor,
            purpose=rng.choice(["donor check", "visitor check", "contractor"]),
        )
    return SCREENINGS


def _emails(rng: random.Random, reporters: list[Any]) -> int:
    """Reported e-mails: a few analysed through the service, the rest as copies of them."""
    from email.message import EmailMessage

    from portcullis.phishing.models import ReportedEmail
    from portcullis.phishing.services.reports import file_report, refresh_groups

    filed = []
    for n in range(12):
        msg = EmailMessage()
        msg["From"] = f'"IT Service Desk" <desk{n}@parliarnent.example>'
        msg["To"] = reporters[n].email
        msg["Subject"] = f"Your password expires today ({n})"
        msg.set_content(f"Keep your password: http://login.parliarnent.example/verify/{n}")
        user = rng.choice(reporters)
        filed.append(file_report(raw=msg.as_bytes(), actor=user, source="upload"))
    copies = []
    for n in range(500):
        model = filed[n % len(filed)]
        user = rng.choice(reporters)
        copies.append(
            ReportedEmail(
                source="upload",
                reporter=user.person,
                reporter_address=user.email,
                submitted_by=user,
                raw=model.raw,
                raw_size=model.raw_size,
                sha256=f"{n:064x}",
                fingerprint=model.fingerprint,
                subject=model.subject,
                sender=model.sender,
                analysis=model.analysis,
                verdict=model.verdict,
                score=model.score,
            )
        )
    ReportedEmail.objects.bulk_create(copies, batch_size=500)
    refresh_groups(r.fingerprint for r in filed)  # as filing each copy would have
    return len(filed) + len(copies)


@dataclass
class LoadUser:
    role: str
    email: str
    totp_key: str | None
    office: str = ""  # public id of an office they work in (office roles)
    party: str = ""  # public id of their party (party compliance officers)
    donation: str = ""  # public id of one of their party's donations


def load_users(count: int, rng: random.Random) -> list[LoadUser]:
    """Signed-in people of mixed roles: mostly office people, some of the security team."""
    from django.contrib.auth.hashers import make_password

    from portcullis.accounts.models import MFA_ROLES, Membership, Role, User

    mix = {
        Role.STAFFER: 0.36,
        Role.MEMBER: 0.18,
        Role.OFFICE_MANAGER: 0.2,
        Role.SECURITY_OFFICER: 0.16,
        Role.PARTY_COMPLIANCE_OFFICER: 0.06,
        Role.ADMINISTRATOR: 0.04,
    }
    hashed = make_password(PASSWORD)
    users = []
    taken = set(User.objects.values_list("person_id", flat=True))
    for role, share in mix.items():
        wanted = max(1, round(count * share))
        posts = list(
            Membership.objects.active()
            .filter(role=role)
            .exclude(person_id__in=taken)
            .select_related("office")
            .values_list("person_id", "office__public_id")[:5000]
        )
        for person_id, office in rng.sample(posts, min(wanted, len(posts))):
            email = f"load.{role}.{person_id}@bench.example"
            user = User.objects.create(email=email, person_id=person_id, password=hashed)
            key = make_totp(user) if role in MFA_ROLES else None
            users.append(LoadUser(role, email, key, str(office or "")))
    return users[:count]


# --- what each role does -----------------------------------------------------------------------

# A party officer's donation pages; {party} and {donation} are theirs.
DONATION_PAGES = [
    ("donations", "GET", "/donations/", 3),
    ("donations pending", "GET", "/donations/?status=pending", 1),
    ("donations page 50", "GET", "/donations/?page=50", 1),
    ("donation", "GET", "/donations/{donation}/", 2),
    ("donation reports", "GET", "/donations/reports/", 1),
    ("quarterly report", "GET", "/donations/reports/{party}/quarter/{quarter}/", 2),
    ("quarterly report csv", "GET", "/donations/reports/{party}/quarter/{quarter}/?format=csv", 1),
    ("party desk", "GET", "/donations/desk/", 1),
    ("api donations", "GET", "/api/v1/donations/", 1),
]
# (name, method, path, weight); {office} is the user's own office, {any_office} any office.
OFFICE_PAGES = [
    ("dashboard", "GET", "/", 5),
    ("my training", "GET", "/training/", 3),
    ("courses", "GET", "/training/courses/", 1),
    ("my reports", "GET", "/approaches/", 1),
    ("report form", "GET", "/approaches/report/", 1),
    ("alerts", "GET", "/intel/alerts/", 2),
    ("report e-mail form", "GET", "/phishing/report/", 1),
    ("people", "GET", "/people/", 1),
    ("office", "GET", "/offices/{office}/", 1),
    ("api me", "GET", "/api/v1/me/", 1),
    ("api assignments", "GET", "/api/v1/training/assignments/", 1),
]
MIX: dict[str, list[tuple[str, str, str, int]]] = {
    "staffer": OFFICE_PAGES,
    "member": OFFICE_PAGES,
    "office_manager": [
        *OFFICE_PAGES,
        ("compliance", "GET", "/training/compliance/", 3),
        ("compliance office", "GET", "/training/compliance/offices/{office}/", 2),
        ("api compliance", "GET", "/api/v1/training/compliance/", 1),
    ],
    "security_officer": [
        ("dashboard", "GET", "/", 4),
        ("compliance", "GET", "/training/compliance/", 3),
        ("compliance page 7", "GET", "/training/compliance/?page=7", 1),
        ("compliance office", "GET", "/training/compliance/offices/{any_office}/", 2),
        ("people", "GET", "/people/", 2),
        ("people search", "GET", "/people/?q=morgan", 2),
        ("offices", "GET", "/offices/", 1),
        ("approach queue", "GET", "/approaches/triage/", 3),
        ("alerts", "GET", "/intel/alerts/", 2),
        ("campaigns", "GET", "/intel/campaigns/", 1),
        ("screenings", "GET", "/screening/screenings/", 2),
        ("phishing queue", "GET", "/phishing/reports/", 2),
        ("ledger", "GET", "/ledger/", 1),
        ("api people", "GET", "/api/v1/people/", 1),
        ("api approaches", "GET", "/api/v1/approaches/", 2),
        ("api alerts", "GET", "/api/v1/alerts/", 1),
        ("api assignments", "GET", "/api/v1/training/assignments/", 1),
        ("api phishing reports", "GET", "/api/v1/phishing/reports/", 1),
        ("api screen", "POST", "/api/v1/screening/match", 2),
    ],
    "party_compliance_officer": [
        ("dashboard", "GET", "/", 3),
        ("screen form", "GET", "/screening/", 2),
        ("screenings", "GET", "/screening/screenings/", 2),
        ("people", "GET", "/people/", 1),
        ("api screen", "POST", "/api/v1/screening/match", 2),
        *DONATION_PAGES,
    ],
    "administrator": [
        ("dashboard", "GET", "/", 3),
        ("ledger", "GET", "/ledger/", 2),
        ("people", "GET", "/people/", 2),
        ("directory import", "GET", "/people/import/", 1),
        ("api ledger", "GET", "/api/v1/ledger/", 1),
    ],
}
SCREEN_BODY = {
    "subjects": [
        {"name": "Viktor Grebenshchikov", "birth_dates": ["1961"], "countries": ["RU"]},
        {"name": "Amanda Qiu"},
    ],
    "purpose": "donor check",
}


def user_loop(
    user: LoadUser,
    port: int,
    until: float,
    offices: list[str],
    seed: int,
    results: dict[str, list[float]],
    errors: dict[str, list[str]],
    lock: threading.Lock,
) -> None:
    rng = random.Random(seed)
    browser = Browser(port)
    browser.sign_in(user.email, user.totp_key)
    browser.request("GET", "/")  # the csrftoken cookie, for the API's POSTs
    mix = MIX[user.role]
    weights = [w for *_, w in mix]
    while time.monotonic() < until:
        name, method, path, _ = rng.choices(mix, weights)[0]
        path = path.format(
            office=user.office,
            any_office=rng.choice(offices),
            party=user.party,
            donation=user.donation,
            quarter=REPORTED_QUARTER,
        )
        body = json.dumps(SCREEN_BODY).encode() if method == "POST" else None
        started = time.monotonic()
        try:
            status, headers, _ = browser.request(method, path, body, "application/json")
            problem = "" if status in (200, 201) else f"{status} {headers.get('location', '')}"
        except (OSError, http.client.HTTPException) as exc:
            problem = type(exc).__name__
        elapsed = (time.monotonic() - started) * 1000
        with lock:
            results[name].append(elapsed)
            if problem:
                errors[name].append(problem)
        time.sleep(rng.uniform(1.0, 3.0))


def summarise(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)

    def at(share: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)

    return {"p50": at(0.5), "p95": at(0.95), "p99": at(0.99), "max": round(ordered[-1], 1)}


def alone(port: int, user: LoadUser, paths: dict[str, str]) -> dict[str, dict[str, float]]:
    """Each page by itself, nothing else running: the median of five after one warm-up."""
    browser = Browser(port)
    browser.sign_in(user.email, user.totp_key)
    found = {}
    for name, path in paths.items():
        timings = []
        for _ in range(6):
            started = time.monotonic()
            status, _, body = browser.request("GET", path)
            timings.append((time.monotonic() - started) * 1000)
            assert status == 200, (path, status)
        found[name] = {"median_ms": round(statistics.median(timings[1:]), 1), "bytes": len(body)}
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=15000)
    parser.add_argument("--offices", type=int, default=1500)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=120)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--queue-rows", type=int, default=100_000)
    parser.add_argument("--visitors", type=int, default=2000)
    parser.add_argument("--port", type=int, default=8107)
    parser.add_argument(
        "--setup-only", action="store_true", help="the import, syncs and analyser; no load"
    )
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/portcullis_bench")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    var = Path(tempfile.mkdtemp(prefix="portcullis-bench-"))
    smtp_port = free_port()
    out: dict[str, Any] = {"load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
    with smtp_sink(smtp_port):
        env = production_env(args.database, var, smtp_port)
        recreate_database(args.database)
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "collectstatic", "--no-input", "-v0")
        django_setup(env)
        from django.utils import timezone

        today = timezone.localdate()
        plan = plan_legislature(args.people, args.offices, rng)
        importer = seed_structure(plan, today)
        processes = start(env, args.port, var)
        try:
            out["setup"] = run_setup(args, plan, importer, today, rng)
            if not args.setup_only:
                measure_pages(args, out, rng)
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=30)
    out["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(out, indent=2))


# --- the gate with 2,000 visitors expected today ----------------------------------------------

GATE_CHECKS = 100  # searches, scans and check-ins timed


def seed_visitors(rng: random.Random, count: int) -> int:
    """`count` confirmed, screened visitors expected today on invitations of one to four, hosted
    by office people; written in bulk (their screening is measured by benchmarks/screening.py)."""
    from django.db import connection
    from django.utils import timezone

    from portcullis.accounts.models import OFFICE_ROLES, User
    from portcullis.visitors.models import Area, Invitation, Visit

    lobby, _ = Area.objects.get_or_create(name="Central Lobby", defaults={"escort_required": False})
    hosts = list(
        User.objects.filter(
            person__memberships__role__in=OFFICE_ROLES, person__memberships__ended_on=None
        ).values_list("pk", "person__memberships__office_id")[:300]
    )
    now = timezone.localtime()
    start = max(now - timedelta(hours=1), now.replace(hour=0, minute=0, second=0))
    end = min(now + timedelta(hours=4), now.replace(hour=23, minute=59, second=0))
    made = 0
    while made < count:
        host, office = rng.choice(hosts)
        invitation = Invitation.objects.create(
            office_id=office,
            host_id=host,
            area=lobby,
            purpose="Meeting",
            starts_at=start,
            ends_at=end,
            created_by_id=host,
        )
        size = min(count - made, rng.randint(1, 4))
        Visit.objects.bulk_create(
            Visit(
                invitation=invitation,
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                organisation=f"{rng.choice(LAST)} {rng.choice(ORG_KINDS)}",
                confirmed_at=now,
                clearance=Visit.Clearance.CLEAR,
                screened_at=now,
            )
            for _ in range(size)
        )
        made += size
    with connection.cursor() as cursor:  # as autovacuum would soon after a bulk load
        cursor.execute("ANALYZE visitors_invitation")
        cursor.execute("ANALYZE visitors_visit")
    return Visit.objects.expected_on(now.date()).count()


def gate_officer() -> LoadUser:
    from django.contrib.auth.hashers import make_password

    from portcullis.accounts.models import Membership, Organisation, Person, Role, User

    team = Organisation.objects.get(name=SECURITY_TEAM)
    person = Person.objects.create(full_name="Bench Gate Officer")
    Membership.objects.create(person=person, organisation=team, role=Role.GATE_OFFICER)
    user = User.objects.create(
        email="gate@bench.example", person=person, password=make_password(PASSWORD)
    )
    return LoadUser("gate_officer", user.email, make_totp(user))


def gate_figures(
    port: int, gate: LoadUser, peer: LoadUser, rng: random.Random
) -> dict[str, dict[str, float]]:
    """The gate alone: search by a surname, a scanned code (redirected to the visit), the
    check-in form sent (admitted, redirected to the pass); the people search as the peer."""
    from django.utils import timezone

    from portcullis.visitors.models import Visit

    browser, other = Browser(port), Browser(port)
    browser.sign_in(gate.email, gate.totp_key)
    other.sign_in(peer.email, peer.totp_key)
    visits = list(
        Visit.objects.expected_on(timezone.localdate()).values_list("public_id", "code", "name")
    )
    chosen = rng.sample(visits, min(GATE_CHECKS, len(visits)))
    expiry = (timezone.localdate() + timedelta(days=700)).strftime("%d %m %Y")
    timings: dict[str, list[float]] = defaultdict(list)

    def timed(
        name: str,
        client: Browser,
        method: str,
        path: str,
        body: bytes | None = None,
        expect: int = 200,
    ) -> bytes:
        started = time.monotonic()
        kind = "application/x-www-form-urlencoded"
        status, _, page = client.request(method, path, body, kind if body else "")
        timings[name].append((time.monotonic() - started) * 1000)
        assert status == expect, (name, path, status)
        return page

    for public_id, code, name in chosen:
        surname = name.split()[-1]
        timed("gate search by name", browser, "GET", f"/visitors/gate/?q={surname}")
        timed("gate scan of a QR code", browser, "GET", f"/visitors/gate/?q={code}", expect=302)
        page = timed("gate check page", browser, "GET", f"/visitors/gate/{public_id}/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "the check page has a CSRF token"
        form = {
            "csrfmiddlewaretoken": token.group(1).decode(),
            "id_type": "passport",
            "name_matches": "yes",
            "expires_on": expiry,
            "escort": "",
        }
        body = urlencode(form).encode()
        timed("gate check-in", browser, "POST", f"/visitors/gate/{public_id}/", body, expect=302)
        timed("peer: people search", other, "GET", "/people/?q=morgan")
    return {name: {"count": len(values)} | summarise(values) for name, values in timings.items()}


def measure_pages(args: argparse.Namespace, out: dict[str, Any], rng: random.Random) -> None:
    """Each page alone, then the users under load, then the queues and the gate at their rows."""
    from django.utils import timezone

    users = load_users(args.users, rng)
    out["setup"]["load_users"] = dict(_count_roles(users))
    out["donations"] = seed_donations(rng, users, timezone.localdate())
    offices = _office_ids()
    security = next(u for u in users if u.role == "security_officer")
    out["alone"] = alone(
        args.port,
        security,
        {
            "security dashboard": "/",
            "compliance": "/training/compliance/",
            "approach queue": "/approaches/triage/",
            "people": "/people/",
        },
    )
    party_officer = next((u for u in users if u.role == "party_compliance_officer"), None)
    if party_officer is not None:
        out["donations"]["alone"] = alone(
            args.port,
            party_officer,
            {
                name: path.format(
                    party=party_officer.party,
                    donation=party_officer.donation,
                    quarter=REPORTED_QUARTER,
                )
                for name, method, path, _ in DONATION_PAGES
            },
        )
    out["load"] = run_load(args, users, offices)
    if args.queue_rows:
        out["queues"] = {"rows": seed_queue_rows(rng, args.queue_rows)}
        out["queues"]["alone"] = queue_figures(args.port, security)
    if args.visitors:
        out["gate"] = {"visitors_today": seed_visitors(rng, args.visitors)}
        out["gate"]["alone"] = gate_figures(args.port, gate_officer(), security, rng)


# --- a party's year of donations -----------------------------------------------------------------

DONATIONS_A_YEAR = 5000
REPORTED_QUARTER = ""  # the first day of the quarter the report pages show, set by seeding


def seed_donations(rng: random.Random, users: list[LoadUser], today: date) -> dict[str, Any]:
    """A year of donations for the party of each party officer among the users: bulk-written as
    decided history (recording through the services, with screening and intel, is what the
    tests cover); some donors give often, to the centre and to accounting units; a few were
    returned as impermissible and the last weeks' are still pending. Then each quarter's report
    is generated in-process and timed."""
    global REPORTED_QUARTER
    from decimal import Decimal

    from portcullis.accounts.models import Organisation, User
    from portcullis.donations import reporting
    from portcullis.donations.models import Donation, DonorType, Method, Recipient

    officers = [u for u in users if u.role == "party_compliance_officer"]
    parties: dict[int, Organisation] = {}
    for user in officers:
        party_id = min(User.objects.get(email=user.email).scope.party_ids)
        parties.setdefault(party_id, Organisation.objects.get(pk=party_id))
    year_start = date(today.year, 1, 1)
    span = max(1, (today - year_start).days - 1)
    donors = [(f"{rng.choice(FIRST)} {rng.choice(LAST)}", "") for _ in range(700)]
    donors += [(f"{rng.choice(LAST)} {rng.choice(ORG_KINDS)} Ltd", f"{n:08d}") for n in range(150)]
    units = [f"{rng.choice(LAST)} local party" for _ in range(30)]
    started = time.monotonic()
    for party in parties.values():
        batch = []
        for _ in range(DONATIONS_A_YEAR):
            name, number = rng.choice(donors[:60]) if rng.random() < 0.4 else rng.choice(donors)
            received = year_start + timedelta(days=rng.randrange(span))
            status = Donation.Status.ACCEPTED
            if rng.random() < 0.03:
                status = Donation.Status.RETURNED
            elif (today - received).days < 30 and rng.random() < 0.5:
                status = Donation.Status.PENDING
            unit = rng.choice(units) if rng.random() < 0.35 else ""
            batch.append(
                Donation(
                    party=party,
                    recipient=Recipient.UNIT if unit else Recipient.CENTRAL,
                    accounting_unit=unit,
                    method=rng.choice([Method.BANK_TRANSFER, Method.CARD, Method.CHEQUE]),
                    value=Decimal(rng.choice([600, 750, 1000, 1500, 2500, 5000, 12000])),
                    received_on=received,
                    donor_type=DonorType.COMPANY if number else DonorType.INDIVIDUAL,
                    donor_name=name,
                    company_number=number,
                    permissible=status != Donation.Status.RETURNED,
                    status=status,
                    decision_due_on=received + timedelta(days=30),
                    decided_on=None
                    if status == Donation.Status.PENDING
                    else min(today, received + timedelta(days=rng.randrange(1, 20))),
                    decision_evidence="Checked",
                    checks=[{"check": "category", "passed": True, "reason": "Benchmark"}],
                )
            )
        Donation.objects.bulk_create(batch, batch_size=1000)
    seeded = time.monotonic() - started
    for user in officers:
        party_id = min(User.objects.get(email=user.email).scope.party_ids)
        user.party = str(parties[party_id].public_id)
        user.donation = str(
            Donation.objects.filter(party_id=party_id).values_list("public_id", flat=True)[0]
        )
    figures: dict[str, Any] = {
        "parties": len(parties),
        "donations_per_party": DONATIONS_A_YEAR,
        "seed_seconds": round(seeded, 1),
        "report_seconds": {},
    }
    quarters = [q for q in range(1, 5) if date(today.year, 3 * q - 2, 1) <= today]
    REPORTED_QUARTER = date(today.year, 3 * quarters[-1] - 2, 1).isoformat()
    if not parties:
        return figures
    party = next(iter(parties.values()))
    for number in quarters:
        period = reporting.quarter(today.year, number)
        timer = time.monotonic()
        lines = reporting.quarter_lines(party, period)
        text = reporting.export_csv(reporting.iter_rows(lines, period, party, None))
        figures["report_seconds"][period.name] = {
            "seconds": round(time.monotonic() - timer, 2),
            "lines": len(lines),
            "csv_bytes": len(text),
        }
    return figures


# --- the analysts' queues at 100,000 rows --------------------------------------------------------

ORG_KINDS = ("Partners", "Insights", "Executive Search", "Institute", "Consulting", "Media")
QUEUE_SEARCHES = {
    "approach queue: first page": "/approaches/triage/",
    "approach queue: search a name": "/approaches/triage/?q=lindqvist&status=all",
    "approach queue: search a word": "/approaches/triage/?q=committee",
    "approach queue: search two words": "/approaches/triage/?q=paid+consultancy&status=all",
    "approach queue: search a rare phrase": "/approaches/triage/?q=delegation+phone&status=all",
    "approach queue: search a word in most": "/approaches/triage/?q=example&status=all",
    "approach queue: oldest first": "/approaches/triage/?sort=received&status=all",
    "approach queue: sort by office": "/approaches/triage/?sort=office&status=all",
    "approach queue: sort by channel": "/approaches/triage/?sort=-channel",
    "approach queue: sort by name": "/approaches/triage/?sort=name&status=all",
    "approach queue: sort by status": "/approaches/triage/?sort=status&status=all",
    "approach queue: sort by assignee": "/approaches/triage/?sort=assigned",
    "approach queue: page 40": "/approaches/triage/?status=all&page=40",
    "approach queue: last page": "/approaches/triage/?status=all&page=200",
    "approach queue: name sort, page 40": "/approaches/triage/?sort=-name&page=40",
    "approach API: first page": "/api/v1/approaches/",
    "approach API: offset 5000": "/api/v1/approaches/?offset=5000",
    "e-mail queue: first page": "/phishing/reports/",
    "e-mail queue: all, by copies": "/phishing/reports/?show=all&sort=-copies",
    "e-mail queue: search": "/phishing/reports/?show=all&q=invoice",
    "e-mail queue: search two words": "/phishing/reports/?show=all&q=parcel+waiting",
    "e-mail queue: sort by subject": "/phishing/reports/?show=all&sort=subject",
    "e-mail queue: sort by sender": "/phishing/reports/?sort=-sender",
    "e-mail queue: sort by verdict": "/phishing/reports/?sort=-verdict",
    "e-mail queue: sort by first report": "/phishing/reports/?show=all&sort=first",
    "e-mail queue: page 40": "/phishing/reports/?show=all&page=40",
    "e-mail queue: matches an alert": "/phishing/reports/?show=all&matched=on",
    "e-mail API: first page": "/api/v1/phishing/reports/",
    "e-mail API: offset 5000": "/api/v1/phishing/reports/?offset=5000",
    "screening queue: first page": "/screening/screenings/",
    "screening queue: search": "/screening/screenings/?q=donor",
    "screening queue: sort by subject": "/screening/screenings/?sort=subject",
    "screening queue: page 10": "/screening/screenings/?page=10",
}


def seed_queue_rows(rng: random.Random, rows: int) -> dict[str, int]:
    """Top the approach reports and reported e-mails up to `rows` each, as years of reporting
    leave them: varied names, organisations and accounts; e-mails in a few thousand distinct
    messages with their copies."""
    from portcullis.accounts.models import User
    from portcullis.approaches.models import Channel, Persona, Report
    from portcullis.phishing.models import MessageGroup, ReportedEmail
    from portcullis.phishing.services.reports import refresh_groups

    reporters = list(User.objects.filter(person__isnull=False).select_related("person")[:2000])
    offices = {u.pk: sorted(u.scope.office_ids) for u in reporters[:300]}
    personas, channels = [p.value for p in Persona], [c.value for c in Channel]
    # Accounts of a few sentences each, from a pool: any one word is in a minority of reports.
    sentences = [
        f"{verb} {thing} {place}."
        for verb in ("Offered", "Asked about", "Mentioned", "Pressed for", "Sent", "Promised")
        for thing in (
            "paid consultancy",
            "the committee timetable",
            "an all-expenses trip",
            "insights not yet public",
            "a research fee",
            "a speaking slot",
            "dinner with a delegation",
            "moving to Signal",
        )
        for place in ("over coffee", "on LinkedIn", "by e-mail", "at a conference", "by phone")
    ]
    missing = max(0, rows - Report.objects.count())
    for start in range(0, missing, 5000):
        batch = []
        for n in range(start, min(missing, start + 5000)):
            user = reporters[n % len(reporters)]
            office_ids = offices.get(user.pk) or []
            batch.append(
                Report(
                    reporter=user,
                    reporter_person=user.person,
                    office_id=office_ids[0] if office_ids else None,
                    channel=rng.choice(channels),
                    persona=rng.choice(personas),
                    occurred_on=date(2022, 1, 1) + timedelta(days=n % 1700),
                    approacher_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    approacher_organisation=f"{rng.choice(LAST)} {rng.choice(ORG_KINDS)}",
                    approacher_contact=f"someone{n}@elsewhere{n % 900}.example",
                    account=" ".join(rng.sample(sentences, 3)),
                    status=rng.choice(["new", "triaged", "investigating", "closed", "closed"]),
                )
            )
        Report.objects.bulk_create(batch, batch_size=1000)
    models = list(ReportedEmail.objects.order_by("pk")[:12])
    subjects = ("Invoice", "Password expiry", "Parcel waiting", "Your paper", "Speaking invite")
    missing = max(0, rows - ReportedEmail.objects.count())
    for start in range(0, missing, 5000):
        batch = []
        for n in range(start, min(missing, start + 5000)):
            model, user = models[n % len(models)], reporters[n % len(reporters)]
            message = n % 3000
            batch.append(
                ReportedEmail(
                    source="upload",
                    reporter=user.person,
                    reporter_address=user.email,
                    submitted_by=user,
                    raw=model.raw,
                    raw_size=model.raw_size,
                    sha256=f"q{n:063x}",
                    fingerprint=f"m{message:063x}",
                    subject=f"{subjects[message % len(subjects)]} {message}",
                    sender=f"sender{message}@bulk{message % 70}.example",
                    analysis=model.analysis,
                    verdict=model.verdict,
                    score=model.score,
                )
            )
        ReportedEmail.objects.bulk_create(batch, batch_size=1000)
    # Each message's summary row, as filing each copy would have kept it.
    refresh_groups(
        ReportedEmail.objects.order_by().values_list("fingerprint", flat=True).distinct()
    )
    from django.db import connection

    # As autovacuum soon would after a bulk load of this size: statistics, and the visibility
    # map that lets the queue's id-first pages read their indexes without visiting the table.
    with connection.cursor() as cursor:
        for model in (Report, ReportedEmail, MessageGroup):
            cursor.execute(f"VACUUM (ANALYZE) {model._meta.db_table}")
        cursor.execute("ANALYZE")
    return {
        "approach_reports": Report.objects.count(),
        "reported_emails": ReportedEmail.objects.count(),
    }


def queue_figures(port: int, user: LoadUser, repeat: int = 20) -> dict[str, dict[str, float]]:
    """Each queue view alone, `repeat` times after a warm-up: p50 and p95 in milliseconds."""
    browser = Browser(port)
    browser.sign_in(user.email, user.totp_key)
    found = {}
    for name, path in QUEUE_SEARCHES.items():
        timings = []
        for n in range(repeat + 1):
            started = time.monotonic()
            status, _, _ = browser.request("GET", path)
            if n:
                timings.append((time.monotonic() - started) * 1000)
            assert status == 200, (path, status)
        found[name] = summarise(timings)
    return found


class _Sink:
    """Accepts and drops every message: the platform's e-mails go somewhere, and nowhere else."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        return "250 OK"


@contextmanager
def smtp_sink(port: int) -> Iterator[None]:
    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    controller = Controller(_Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield
    finally:
        controller.stop()


def run_setup(
    args: argparse.Namespace, plan: Plan, importer: dict[str, Any], today: date, rng: Any
) -> dict[str, Any]:
    from django.db import connection

    from portcullis.accounts.models import Membership, Office, Person
    from portcullis.ledger.actors import COMMAND
    from portcullis.ledger.models import LedgerEntry
    from portcullis.training.models import Assignment
    from portcullis.training.services import sync_all_assignments

    browser = Browser(args.port)
    browser.sign_in(importer["importer"], importer["importer_key"])
    started = time.monotonic()
    job = browser.upload("/people/import/", "directory.csv", directory_csv(plan))
    stages: dict[str, float] = {}  # the stage the page shows → seconds after the upload when
    while True:  # first seen, polled every half second as the page's own poll would
        _, _, page = browser.request("GET", job, extra={"HX-Request": "true"})
        state = re.search(rb"<strong>([^<]+)</strong>", page)
        if state:
            stages.setdefault(state.group(1).decode(), round(time.monotonic() - started, 1))
        if b"Directory updated" in page or b"Nothing was imported" in page:
            break
        assert time.monotonic() - started < 1200, "the import did not finish in 20 minutes"
        time.sleep(0.5)
    assert b"Directory updated" in page, page[:2000]
    imported = time.monotonic() - started
    training_from = stages.get("Updating training", imported)
    timer = time.monotonic()
    again = sync_all_assignments(actor=COMMAND, today=today)
    resync = time.monotonic() - timer
    volumes = seed_volumes(rng, today)
    with connection.cursor() as cursor:  # as autovacuum would soon after a bulk load
        cursor.execute("ANALYZE")
    timer = time.monotonic()  # the six-hourly sync, with the history in place
    later = sync_all_assignments(actor=COMMAND, today=today)
    resync_later = time.monotonic() - timer
    return {
        "people": Person.objects.count(),
        "offices": Office.objects.count(),
        "memberships": Membership.objects.count(),
        "assignments": Assignment.objects.count(),
        "ledger_entries": LedgerEntry.objects.count(),
        "import_from_page_seconds": round(imported, 1),
        "import_stages_first_seen_seconds": stages,
        "import_without_training_seconds": round(training_from, 1),
        "training_sync_after_import_seconds": round(imported - training_from, 1),
        "resync_nothing_changed_seconds": round(resync, 2),
        "resync_changes": len(again.created) + len(again.retired),
        "resync_with_history_seconds": round(resync_later, 2),
        "resync_with_history_changes": len(later.created) + len(later.retired),
        "volumes": volumes,
        "analyser": analyser_figures(rng),
    }


def analyser_figures(rng: random.Random) -> dict[str, Any]:
    """A reported e-mail against the 15,000-person directory in the database: the directory
    built once (as each process does), then per message `analyse` alone and with
    `analysis_context()` (the per-report check that the directory is unchanged). Messages: the
    shared phishing samples when they are beside the repository, impersonations of people in
    the directory, and the benchmark's own password lures."""
    sys.path.append(str(Path(__file__).resolve().parent))  # after the standard library's
    from email_directory import DEFAULT_DATA, impersonation, impersonations, load_messages
    from email_directory import timed as timed_each

    from portcullis.accounts.models import Person
    from portcullis.phishing import context
    from portcullis.phishing.analysis import DirectoryPerson, analyse
    from portcullis.phishing.models import ReportedEmail

    chosen = rng.sample(sorted(Person.objects.values_list("pk", flat=True)), 200)
    sample = [
        DirectoryPerson(p.full_name, tuple(e.address for e in p.emails.all()))
        for p in Person.objects.filter(pk__in=chosen).order_by("pk").prefetch_related("emails")
    ]
    fakes = [impersonation(rng.choice(sample), n) for n in range(30)]
    raws = [bytes(r) for r in ReportedEmail.objects.values_list("raw", flat=True)[:12]]
    if DEFAULT_DATA.is_dir():
        raws += load_messages(DEFAULT_DATA, 100, sample)[:100]  # without its impersonations
    raws += fakes
    started = time.perf_counter()
    built = context.analysis_context()
    build_ms = (time.perf_counter() - started) * 1000
    alone, results = timed_each(lambda raw: analyse(raw, built), raws)
    with_context, _ = timed_each(lambda raw: analyse(raw, context.analysis_context()), raws)
    return {
        "directory_people": Person.objects.count(),
        "shared_samples": DEFAULT_DATA.is_dir(),
        "directory_build_ms": round(build_ms, 1),
        "analyse_alone": alone,
        "context_and_analyse": with_context,
        "impersonations_found": f"{impersonations(results[-len(fakes) :])} of {len(fakes)}",
    }


def _count_roles(users: list[LoadUser]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for user in users:
        counts[user.role] += 1
    return counts


def _office_ids() -> list[str]:
    from portcullis.accounts.models import Office

    return [str(u) for u in Office.objects.values_list("public_id", flat=True)]


def run_load(args: argparse.Namespace, users: list[LoadUser], offices: list[str]) -> dict[str, Any]:
    results: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    lock = threading.Lock()
    ramp = 20  # users arrive (and sign in) over the first 20 seconds
    until = time.monotonic() + ramp + args.duration
    threads = [
        threading.Thread(
            target=user_loop,
            args=(user, args.port, until, offices, args.seed * 1000 + n, results, errors, lock),
            daemon=True,
        )
        for n, user in enumerate(users)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
        time.sleep(ramp / len(threads))
    for thread in threads:
        thread.join()
    took = time.monotonic() - started
    everything = [v for values in results.values() for v in values]
    return {
        "users": len(users),
        "seconds": round(took, 1),
        "requests": len(everything),
        "requests_per_second": round(len(everything) / took, 1),
        "overall": summarise(everything) | {"errors": sum(len(e) for e in errors.values())},
        "endpoints": {
            name: {"count": len(values)}
            | summarise(values)
            | {"errors": len(errors[name]), "error_samples": sorted(set(errors[name]))[:3]}
            for name, values in sorted(results.items())
        },
    }


if __name__ == "__main__":
    main()
