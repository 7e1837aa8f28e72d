import json
import os
from collections import Counter
from pathlib import Path

import pytest

from portcullis.screening.matching import EntityType
from portcullis.screening.sources import (
    SOURCES,
    FtmJsonSource,
    OfsiLegacyCsvSource,
    SourceFormatError,
    UnConsolidatedXmlSource,
)

SANCTIONS = Path(os.environ.get("PORTCULLIS_SHARED_DATA", "/work/shared/data")) / "sanctions"
UN_FILE = SANCTIONS / "un_sc_consolidated_2026-01-28.xml"
UK_FILE = SANCTIONS / "uk_ofsi_conlist_2018-04-13.csv"
ZALA_FILE = SANCTIONS / "opensanctions_ftm" / "zala_cluster.entities.ftm.json"
T1_FILE = SANCTIONS / "opensanctions_ftm" / "t1_sample.entities.ftm.json"

needs_data = pytest.mark.skipif(not SANCTIONS.is_dir(), reason="shared sanctions data not present")


def corrupt(tmp_path: Path, source: Path, old: bytes, new: bytes, count: int = 1) -> Path:
    data = source.read_bytes()
    assert old in data
    target = tmp_path / source.name
    target.write_bytes(data.replace(old, new, count))
    return target


@needs_data
def test_the_un_list_parses_726_individuals_and_273_entities():
    entities = UnConsolidatedXmlSource().load(UN_FILE)
    kinds = Counter(e.entity_type for e in entities)
    assert kinds == {EntityType.PERSON: 726, EntityType.ORGANISATION: 273}
    first = entities[0]
    assert first.entity_id == "un-sc:6907993"
    assert first.names[0] == "ERIC BADEGE"
    assert first.birth_dates == ("1971",)
    assert sum(1 for e in entities if any(not n.isascii() for n in e.names)) >= 300


@needs_data
def test_the_uk_list_parses_2106_groups_with_the_prime_alias_first():
    entities = OfsiLegacyCsvSource().load(UK_FILE)
    assert len(entities) == 2106
    kinds = Counter(e.entity_type for e in entities)
    assert kinds == {EntityType.PERSON: 1426, EntityType.ORGANISATION: 680}
    group = next(e for e in entities if e.entity_id == "uk-ofsi:13349")
    assert group.names[0] == "Nayef Salam Muhammad Ujaym AL-HABABI"
    assert "Sheikh Farooq AL-QAHTANI" in group.names
    assert group.birth_dates == ("1980", "1981")
    assert group.countries == ("Saudi Arabia", "Qatar")


@needs_data
def test_opensanctions_files_keep_people_and_companies_with_topics_and_ids():
    zala = FtmJsonSource().load(ZALA_FILE)
    assert Counter(e.entity_type for e in zala) == {
        EntityType.PERSON: 6,
        EntityType.ORGANISATION: 11,
    }
    person = next(e for e in zala if "Zakharov Nikita" in e.names)
    assert "sanction" in person.topics
    assert any(not n.isascii() for n in person.names)
    assert len(FtmJsonSource().load(T1_FILE)) == 6


@needs_data
def test_a_truncated_un_file_is_rejected_naming_the_line(tmp_path):
    broken = tmp_path / "un.xml"
    broken.write_bytes(UN_FILE.read_bytes()[:50_000])
    with pytest.raises(SourceFormatError, match=r"line \d+, column \d+: malformed XML"):
        UnConsolidatedXmlSource().load(broken)


@needs_data
def test_a_un_record_without_a_dataid_is_rejected_naming_the_record(tmp_path):
    broken = corrupt(tmp_path, UN_FILE, b"<DATAID>6907994</DATAID>", b"<DATAID></DATAID>")
    with pytest.raises(SourceFormatError, match="INDIVIDUAL record 2: DATAID missing"):
        UnConsolidatedXmlSource().load(broken)


def test_xml_entity_expansion_is_refused(tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><CONSOLIDATED_LIST>&b;</CONSOLIDATED_LIST>'
    )
    with pytest.raises(SourceFormatError, match="forbidden XML construct"):
        UnConsolidatedXmlSource().load(bomb)


@needs_data
def test_a_uk_row_with_a_missing_field_is_rejected_naming_the_line(tmp_path):
    lines = UK_FILE.read_bytes().split(b"\n")
    lines[9] = lines[9].rsplit(b",", 1)[0]  # drop the Group ID column of line 10
    broken = tmp_path / "uk.csv"
    broken.write_bytes(b"\n".join(lines))
    with pytest.raises(SourceFormatError, match="line 10: 28 fields, the header has 29"):
        OfsiLegacyCsvSource().load(broken)


@needs_data
def test_a_uk_file_with_bytes_outside_windows_1252_is_rejected_naming_the_line(tmp_path):
    lines = UK_FILE.read_bytes().split(b"\n")
    lines[4] = lines[4] + b"\x81"  # undefined in Windows-1252
    broken = tmp_path / "uk.csv"
    broken.write_bytes(b"\n".join(lines))
    with pytest.raises(SourceFormatError, match="line 5: byte 0x81 is not Windows-1252"):
        OfsiLegacyCsvSource().load(broken)


@needs_data
def test_a_uk_file_without_its_last_updated_line_is_rejected(tmp_path):
    broken = tmp_path / "uk.csv"
    broken.write_bytes(UK_FILE.read_bytes().split(b"\n", 1)[1])
    with pytest.raises(SourceFormatError, match="line 1: expected the 'Last Updated"):
        OfsiLegacyCsvSource().load(broken)


@needs_data
def test_an_ftm_file_with_a_broken_line_is_rejected_naming_the_line(tmp_path):
    lines = ZALA_FILE.read_bytes().splitlines()
    lines[6] = lines[6][:40]
    broken = tmp_path / "entities.ftm.json"
    broken.write_bytes(b"\n".join(lines))
    with pytest.raises(SourceFormatError, match="line 7: not valid JSON"):
        FtmJsonSource().load(broken)


def test_an_ftm_person_without_a_name_is_rejected_naming_the_line(tmp_path):
    path = tmp_path / "one.json"
    good = {"id": "p1", "schema": "Person", "properties": {"name": ["Ivan Petrov"]}}
    bad = {"id": "p2", "schema": "Person", "properties": {"birthDate": ["1970"]}}
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n")
    with pytest.raises(SourceFormatError, match="line 2: Person p2 has no name"):
        FtmJsonSource().load(path)


def test_files_over_the_size_limit_are_refused_before_parsing(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * 2_000)
    with pytest.raises(SourceFormatError, match="over the 1000-byte limit"):
        FtmJsonSource(max_bytes=1_000).load(path)


def test_an_empty_file_is_rejected_rather_than_emptying_a_list(tmp_path):
    path = tmp_path / "empty.json"
    path.write_bytes(b"")
    with pytest.raises(SourceFormatError, match="no entities found"):
        FtmJsonSource().load(path)


def test_sources_are_registered_by_key():
    assert set(SOURCES) == {"opensanctions", "un-sc", "uk-sanctions-list", "uk-ofsi"}


@needs_data
def test_the_shared_files_give_their_publication_dates():
    assert UnConsolidatedXmlSource().published(UN_FILE.read_bytes()).isoformat() == "2026-01-28"
    assert OfsiLegacyCsvSource().published(UK_FILE.read_bytes()).isoformat() == "2018-04-13"
