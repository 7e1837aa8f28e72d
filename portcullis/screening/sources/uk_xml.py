"""UK Sanctions List (FCDO), XML layout: the list in force since OFSI's closed on 28 January 2026.

`<Designations>` holds `<DateGenerated>` (the publication time) and one `<Designation>` per
person, entity or ship, keyed by `UniqueID` (e.g. `RUS0264`). Names are `Name1`..`Name5`
(given names and other parts) and `Name6` (the family name), typed by `NameType`
("Primary Name", "Alias", "Primary Name Variation"); names in other scripts sit under
`NonLatinNames`. Dates are `dd/mm/yyyy`, with `dd` or `mm` standing for an unknown part.

Structure problems (no `UniqueID`, no name, an unknown designation type, a repeated
`UniqueID`) refuse the whole file, naming the designation. A date of birth the list writes
in no known form is kept as a note, not guessed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as StdET  # noqa: S405 - only for the Element type; parsing is defusedxml
from collections.abc import Iterator
from datetime import date

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from ..matching.model import Entity, EntityType, Identifier
from .base import ListSource, clean, unique

NAME_PARTS = ("Name1", "Name2", "Name3", "Name4", "Name5", "Name6")
TYPES = {
    "individual": EntityType.PERSON,
    "entity": EntityType.ORGANISATION,
    "ship": EntityType.UNKNOWN,
}
_DOB = re.compile(r"^(\d{2}|dd)/(\d{2}|mm)/(\d{4})$", re.IGNORECASE)
_ISO_START = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
# Identifier-holding elements anywhere inside a designation: (tag, kind shown with the number).
IDENTIFIERS = (
    ("PassportNumber", "passport"),
    ("NationalIdentifierNumber", "national identifier"),
    ("IMONumber", "IMO number"),
    ("BusinessRegistrationNumber", "registration number"),
)


def _local(tag: str) -> str:
    """`{namespace}Name1` -> `Name1`: later files may declare a default namespace."""
    return tag.rsplit("}", 1)[-1]


def _strip_namespaces(root: StdET.Element) -> StdET.Element:
    for element in root.iter():
        element.tag = _local(element.tag)
    return root


class UkSanctionsListXmlSource(ListSource):
    key = "uk-sanctions-list"
    label = "UK Sanctions List (FCDO) XML"

    def iter_entities(self, data: bytes) -> Iterator[Entity]:
        root = self._parse(data)
        seen: set[str] = set()
        designations = root.findall("Designation")
        for number, record in enumerate(designations, start=1):
            entity = self._entity(record, f"Designation {number}")
            if entity.entity_id in seen:
                raise self.error(f"Designation {number}", f"UniqueID {entity.entity_id} repeats")
            seen.add(entity.entity_id)
            yield entity

    def published(self, data: bytes) -> date | None:
        root = self._parse(data)
        return _iso_date(clean(root.findtext("DateGenerated")))

    def _parse(self, data: bytes) -> StdET.Element:
        try:
            root: StdET.Element = SafeET.fromstring(data, forbid_dtd=True)
        except StdET.ParseError as exc:
            line, column = exc.position
            raise self.error(f"line {line}, column {column}", f"malformed XML ({exc})") from None
        except DefusedXmlException as exc:
            raise self.error("document", f"forbidden XML construct ({exc})") from None
        root = _strip_namespaces(root)
        if root.tag != "Designations":
            raise self.error("root element", f"expected Designations, found {root.tag}")
        return root

    def _entity(self, record: StdET.Element, where: str) -> Entity:
        unique_id = clean(record.findtext("UniqueID"))
        if not unique_id:
            raise self.error(where, "UniqueID is missing")
        where = f"{where} (UniqueID {unique_id})"
        kind = clean(record.findtext("IndividualEntityShip")).lower()
        if kind not in TYPES:
            found = kind or "nothing"
            expected = "Individual, Entity or Ship"
            raise self.error(where, f"IndividualEntityShip is {found}, not {expected}")
        names = self._names(record)
        if not names:
            raise self.error(where, "no name in Names")
        birth_dates, unread = self._birth_dates(record)
        return Entity(
            entity_id=f"{self.key}:{unique_id}",
            source=self.key,
            names=names,
            entity_type=TYPES[kind],
            birth_dates=birth_dates,
            countries=self._countries(record),
            identifiers=self._identifiers(record),
            topics=("sanction",),
            notes=self._notes(record, unique_id, unread),
        )

    def _names(self, record: StdET.Element) -> tuple[str, ...]:
        primary: list[str] = []
        others: list[str] = []
        for name in record.findall("Names/Name"):
            text = clean(" ".join(clean(name.findtext(part)) for part in NAME_PARTS))
            if clean(name.findtext("NameType")).lower() == "primary name":
                primary.append(text)
            else:
                others.append(text)
        scripts = [clean(n.findtext("NameNonLatinScript")) for n in record.iter("NonLatinName")]
        return unique([*primary, *others, *scripts])

    def _birth_dates(self, record: StdET.Element) -> tuple[tuple[str, ...], list[str]]:
        found: list[str] = []
        unread: list[str] = []
        for dob in record.iter("DOB"):
            text = clean(dob.text)
            if not text:
                continue
            iso = _iso_dob(text)
            if iso:
                found.append(iso)
            else:
                unread.append(text)
        return unique(found), unread

    def _countries(self, record: StdET.Element) -> tuple[str, ...]:
        found = [clean(n.text) for n in record.iter("Nationality")]
        found += [clean(c.text) for c in record.iter("AddressCountry")]
        found += [clean(c.text) for c in record.iter("CountryOfBirth")]
        return unique(found)

    def _identifiers(self, record: StdET.Element) -> tuple[Identifier, ...]:
        found: list[Identifier] = []
        for tag, kind in IDENTIFIERS:
            for element in record.iter(tag):
                value = clean(element.text)
                if value:
                    found.append(Identifier(value, kind))
        un_reference = clean(record.findtext("UNReferenceNumber"))
        if un_reference:
            found.append(Identifier(un_reference, "UN reference"))
        return tuple(dict.fromkeys(found))

    def _notes(
        self, record: StdET.Element, unique_id: str, unread: list[str]
    ) -> tuple[tuple[str, str], ...]:
        notes = [("reference", unique_id)]
        for label, tag in (
            ("OFSI group", "OFSIGroupID"),
            ("regime", "RegimeName"),
            ("designated by", "DesignationSource"),
        ):
            value = clean(record.findtext(tag))
            if value:
                notes.append((label, value))
        imposed = [clean(s) for s in clean(record.findtext("SanctionsImposed")).split("|")]
        notes += [("sanction", s) for s in unique(imposed)]
        notes += [("position", p) for p in unique([clean(p.text) for p in record.iter("Position")])]
        designated = _iso_date(clean(record.findtext("DateDesignated")))
        if designated:
            notes.append(("designated on", designated.isoformat()))
        notes += [("date of birth (as published)", text) for text in unread]
        return tuple(notes)


def _iso_dob(text: str) -> str:
    """`07/10/1952` -> `1952-10-07`; `dd/mm/1965` or `00/00/1965` -> `1965`; else ``."""
    found = _DOB.match(text)
    if found is None:
        return ""
    day, month, year = (part.lower() for part in found.groups())
    if month in ("mm", "00"):
        return year
    if day in ("dd", "00"):
        return f"{year}-{month}"
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return ""


def _iso_date(text: str) -> date | None:
    """`2026-11-28T09:15:02` (or a bare date) -> that day; anything else -> None."""
    found = _ISO_START.match(text)
    if found is None:
        return None
    year, month, day = (int(part) for part in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None
