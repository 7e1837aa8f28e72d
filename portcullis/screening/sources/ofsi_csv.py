"""UK HM Treasury/OFSI Consolidated List, legacy CSV layout (pre-2022).

Windows-1252; line 1 is `Last Updated,dd/mm/yyyy`; line 2 the header; then
one row per name variant (`Alias Type`: Prime Alias, AKA, FKA), grouped into
designations by `Group ID`. The FCDO "UK Sanctions List" that replaced it on
28 January 2026 is `uk_xml.py`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from ..matching.model import Entity, EntityType, Identifier
from .base import ListSource, clean, unique

GIVEN_NAMES = ("Name 1", "Name 2", "Name 3", "Name 4", "Name 5")
REQUIRED = (*GIVEN_NAMES, "Name 6", "DOB", "Nationality", "Group Type", "Alias Type", "Group ID")
GROUP_TYPES = {"Individual": EntityType.PERSON, "Entity": EntityType.ORGANISATION}
_NUMBERED = re.compile(r"\d+\)\s*")
_DOB = re.compile(r"(\d{2})/(\d{2})/(\d{4})")
# Document numbers inside free text: at least five characters, at least one digit.
_DOCUMENT = re.compile(r"\b(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{4,}\b")


@dataclass
class _Group:
    entity_type: EntityType
    names: list[str] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)
    regimes: list[str] = field(default_factory=list)


class OfsiLegacyCsvSource(ListSource):
    key = "uk-ofsi"
    label = "UK OFSI consolidated list CSV"

    def iter_entities(self, data: bytes) -> Iterator[Entity]:
        reader = csv.reader(io.StringIO(self._decode(data), newline=""))
        self._check_preamble(reader)
        header = self._header(reader)
        groups: dict[str, _Group] = {}
        for row in reader:
            self._add_row(groups, self._as_record(row, header, reader.line_num), reader.line_num)
        for group_id, group in groups.items():
            yield self._entity(group_id, group)

    def published(self, data: bytes) -> date | None:
        first = data[:200].split(b"\n", 1)[0].decode("cp1252", "replace").split(",")
        found = _DOB.search(first[1]) if len(first) > 1 else None
        if found is None:
            return None
        day, month, year = found.groups()
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            return None

    def _decode(self, data: bytes) -> str:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            problem = f"byte {data[exc.start]:#04x} is not Windows-1252"
            raise self.error(f"line {line}", problem) from None

    def _check_preamble(self, reader: Iterator[list[str]]) -> None:
        first = next(reader, [])
        if not first or clean(first[0]) != "Last Updated":
            raise self.error("line 1", "expected the 'Last Updated,dd/mm/yyyy' line")

    def _header(self, reader: Iterator[list[str]]) -> list[str]:
        header = [clean(h) for h in next(reader, [])]
        missing = [column for column in REQUIRED if column not in header]
        if missing:
            raise self.error("line 2 (header)", f"missing columns: {', '.join(missing)}")
        return header

    def _as_record(self, row: list[str], header: list[str], line: int) -> dict[str, str]:
        if len(row) != len(header):
            raise self.error(f"line {line}", f"{len(row)} fields, the header has {len(header)}")
        return {name: clean(value) for name, value in zip(header, row, strict=True)}

    def _add_row(self, groups: dict[str, _Group], record: dict[str, str], line: int) -> None:
        group_id, kind = record["Group ID"], record["Group Type"]
        if not group_id.isdigit():
            raise self.error(f"line {line}", f"Group ID {group_id!r} is not a number")
        if kind not in GROUP_TYPES:
            raise self.error(f"line {line}", f"Group Type {kind!r} is not Individual/Entity")
        group = groups.setdefault(group_id, _Group(GROUP_TYPES[kind]))
        if group.entity_type is not GROUP_TYPES[kind]:
            raise self.error(f"line {line}", f"Group {group_id} changes type to {kind}")
        name = clean(" ".join([*(record[n] for n in GIVEN_NAMES), record["Name 6"]]))
        if not name:
            raise self.error(f"line {line}", f"Group {group_id} row has no name")
        # The Prime Alias is the primary name: put it first whatever the row order.
        if record["Alias Type"] == "Prime Alias":
            group.names.insert(0, name)
        else:
            group.names.append(name)
        group.birth_dates.append(_iso_dob(record["DOB"]))
        group.countries += [clean(c) for c in _NUMBERED.split(record["Nationality"])]
        documents = f"{record.get('Passport Details', '')} {record.get('NI Number', '')}"
        group.identifiers += _DOCUMENT.findall(documents.upper())
        group.regimes.append(record.get("Regime", ""))

    def _entity(self, group_id: str, group: _Group) -> Entity:
        return Entity(
            entity_id=f"{self.key}:{group_id}",
            source=self.key,
            names=unique(group.names),
            entity_type=group.entity_type,
            birth_dates=unique(group.birth_dates),
            countries=unique(group.countries),
            identifiers=tuple(Identifier(value, "document") for value in unique(group.identifiers)),
            topics=("sanction",),
            notes=tuple(("regime", regime) for regime in unique(group.regimes)),
        )


def _iso_dob(text: str) -> str:
    """`17/08/1957` -> `1957-08-17`; `00/00/1980` -> `1980`; anything else -> ``."""
    found = _DOB.search(text)
    if found is None:
        return ""
    day, month, year = found.groups()
    if month == "00":
        return year
    return f"{year}-{month}" if day == "00" else f"{year}-{month}-{day}"
