"""Demo data: the shared sanctions files when present, a fictional internal watchlist, and a few
screenings (one decided, one monitored) and a batch made through the real services."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from portcullis.accounts.models import Organisation, User
from portcullis.ledger.actors import DEMO
from portcullis.lib.demo import demo_loader

from . import matching
from .batch import run_batch, start_batch
from .imports import WatchlistEntry, add_watchlist_entry, create_source, import_list, source_for
from .models import Decision, ListSource, Screening
from .services import monitor_subject, record_decision, screen_subject

SANCTIONS = Path(settings.PORTCULLIS_SHARED_DATA) / "sanctions"
FILES = [  # (file, format, list name)
    ("un_sc_consolidated_2026-01-28.xml", "un-sc", None),
    ("UK_Sanctions_List.xml", "uk-sanctions-list", None),  # FCDO's file name, when present
    ("uk_ofsi_conlist_2018-04-13.csv", "uk-ofsi", None),
    ("opensanctions_ftm/zala_cluster.entities.ftm.json", "opensanctions", None),
    ("opensanctions_ftm/t1_sample.entities.ftm.json", "opensanctions", "OpenSanctions EU sample"),
]
WATCHLIST = "Persons of concern (demo)"
ENTRIES = [  # wholly fictional
    WatchlistEntry(
        name="Oleg Vantorin",
        aliases=("Олег Ванторин", "O. Vantorine"),
        birth_dates=("1975",),
        countries=("RU",),
        entity_type="person",
        note="posed as a think-tank researcher; approached two offices",
    ),
    WatchlistEntry(
        name="Meridian Policy Exchange Ltd",
        entity_type="organisation",
        note="front organisation offering paid trips",
    ),
    WatchlistEntry(
        name="Li Wenqian",
        aliases=("李文倩",),
        birth_dates=("1988-07-14",),
        entity_type="person",
        note="persistent LinkedIn approaches to staff",
    ),
]


@demo_loader("screening", order=20)
def load() -> str:
    parts = [_sanctions(), _watchlist(), _screenings()]
    return "; ".join(p for p in parts if p)


def _sanctions() -> str:
    if not SANCTIONS.is_dir():
        return f"no sanctions files at {SANCTIONS}: skipped (set PORTCULLIS_SHARED_DATA)"
    loaded = 0
    for name, kind, list_name in FILES:
        path = SANCTIONS / name
        if not path.is_file():
            continue
        source = source_for(kind=kind, name=list_name, actor=DEMO)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if source.current_version is None or source.current_version.sha256 != digest:
            import_list(source=source, path=path, actor=DEMO)
        loaded += 1
    return f"{loaded} sanctions files in force"


def _watchlist() -> str:
    source = ListSource.objects.filter(name=WATCHLIST).first() or create_source(
        name=WATCHLIST,
        kind=ListSource.Kind.INTERNAL,
        actor=DEMO,
        description="Fictional entries typed in by the security team.",
    )
    if source.current_version_id is None:
        for entry in ENTRIES:
            add_watchlist_entry(source=source, entry=entry, actor=DEMO)
    return f"watchlist of {len(ENTRIES)}"


def _screenings() -> str:
    security = User.objects.filter(email="security@demo.test").first()
    party_officer = User.objects.filter(email="party@demo.test").first()
    if security is None or party_officer is None or Screening.objects.exists():
        return ""
    visitor = screen_subject(
        subject=matching.Subject(name="Олег Ванторин", entity_type=matching.EntityType.PERSON),
        actor=security,
        purpose="visitor pre-screening",
    )
    monitor_subject(subject=visitor.subject, owner=security, purpose="visitor", actor=security)
    party = party_officer.scope.party_ids
    donor = screen_subject(
        subject=matching.Subject(name="Li Wenqian", countries=("GB",)),
        actor=party_officer,
        purpose="donor permissibility",
        party=Organisation.objects.filter(pk__in=party).first(),
    )
    hit = donor.results.filter(is_match=True).first()
    if hit is not None:
        record_decision(
            result=hit,
            verdict=Decision.Verdict.FALSE_MATCH,
            reason="Donor's passport: born 1991 in Leeds; the watchlist entry was born 1988.",
            actor=party_officer,
        )
    _batch(security)
    return "3 demo screenings and a batch"


DEMO_BATCH = (
    "reference,name,birth_date,country,type\n"
    "V-101,Oleg Vantorin,1975,RU,person\n"
    "V-102,Meridian Policy Exchange,,,organisation\n"
    ",,,,\n"
    "V-104,Jonah Whitcombe,14/07/1988,GB,person\n"
    "V-105,,1990,,\n"
)


def _batch(security: User) -> None:
    """A visitor list screened in a batch, with its hits to review and rows with problems."""
    with transaction.atomic():
        batch = start_batch(
            upload=ContentFile(DEMO_BATCH.encode()),
            file_name="visitors-december.csv",
            purpose="visitor pre-screening",
            party=None,
            actor=security,
        )
    run_batch(batch=batch, actor=security)
