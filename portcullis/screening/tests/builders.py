"""Builders for the screening app's tests: the shared list files, small watchlists, subjects."""

from __future__ import annotations

import os
from pathlib import Path

from portcullis.ledger.actors import WORKER
from portcullis.screening import matching
from portcullis.screening.imports import WatchlistEntry, add_watchlist_entry, create_source
from portcullis.screening.models import ListSource

SANCTIONS = Path(os.environ.get("PORTCULLIS_SHARED_DATA", "/work/shared/data")) / "sanctions"
UN_FILE = SANCTIONS / "un_sc_consolidated_2026-01-28.xml"
UK_FILE = SANCTIONS / "uk_ofsi_conlist_2018-04-13.csv"
ZALA_FILE = SANCTIONS / "opensanctions_ftm" / "zala_cluster.entities.ftm.json"
T1_FILE = SANCTIONS / "opensanctions_ftm" / "t1_sample.entities.ftm.json"
# Every file in the shared folder with the format it is in. A new file there fails the test that
# compares this with the folder's contents, so none is silently left out.
SHARED_FILES = {
    UN_FILE: "un-sc",
    UK_FILE: "uk-ofsi",
    ZALA_FILE: "opensanctions",
    T1_FILE: "opensanctions",
}


def shared_files() -> dict[Path, str]:
    """The shared list files; a missing folder is an error, never a skip."""
    if not SANCTIONS.is_dir():
        raise AssertionError(
            f"The shared sanctions data is missing: {SANCTIONS} (set PORTCULLIS_SHARED_DATA)."
        )
    return SHARED_FILES


def watchlist(name: str, *entries: WatchlistEntry) -> ListSource:
    source = create_source(name=name, kind=ListSource.Kind.INTERNAL, actor=WORKER)
    for entry in entries:
        add_watchlist_entry(source=source, entry=entry, actor=WORKER)
    source.refresh_from_db()
    return source


def person(name: str, *, dob: str = "", country: str = "") -> WatchlistEntry:
    return WatchlistEntry(
        name=name,
        birth_dates=(dob,) if dob else (),
        countries=(country,) if country else (),
        entity_type="person",
    )


def query(name: str, *, dob: str = "", country: str = "") -> matching.Subject:
    return matching.Subject(
        name=name,
        birth_dates=(dob,) if dob else (),
        countries=(country,) if country else (),
        entity_type=matching.EntityType.PERSON,
    )


# The screening form as a security officer fills it in for the fictional watchlist person.
SCREEN = {
    "name": "Viktor Grebenshchikov",
    "aliases": "",
    "birth_date": "1961-03-02",
    "country": "RU",
    "entity_type": "person",
    "purpose": "donor check",
}
