"""UN Security Council Consolidated List, XML (scsanctions.un.org)."""

from __future__ import annotations

import xml.etree.ElementTree as StdET  # noqa: S405 - only for the Element type; parsing is defusedxml
from collections.abc import Iterator
from datetime import date

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from ..matching.model import Entity, EntityType, Identifier
from .base import ListSource, clean, unique

NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
KINDS = (("INDIVIDUALS", "INDIVIDUAL"), ("ENTITIES", "ENTITY"))


class UnConsolidatedXmlSource(ListSource):
    key = "un-sc"
    label = "UN SC consolidated list XML"

    def iter_entities(self, data: bytes) -> Iterator[Entity]:
        root = self._parse(data)
        for group, tag in KINDS:
            section = root.find(group)
            if section is None:
                raise self.error(f"<{group}>", "section missing")
            for number, record in enumerate(section.findall(tag), start=1):
                yield self._entity(record, tag, f"{tag} record {number}")

    def published(self, data: bytes) -> date | None:
        stamp = self._parse(data).get("dateGenerated", "")
        try:
            return date.fromisoformat(stamp[:10])
        except ValueError:
            return None

    def _parse(self, data: bytes) -> StdET.Element:
        try:
            root: StdET.Element = SafeET.fromstring(data, forbid_dtd=True)
        except StdET.ParseError as exc:
            line, column = exc.position
            raise self.error(f"line {line}, column {column}", f"malformed XML ({exc})") from None
        except DefusedXmlException as exc:
            raise self.error("document", f"forbidden XML construct ({exc})") from None
        if root.tag != "CONSOLIDATED_LIST":
            raise self.error("root element", f"expected CONSOLIDATED_LIST, found {root.tag}")
        return root

    def _entity(self, record: StdET.Element, tag: str, where: str) -> Entity:
        data_id = clean(record.findtext("DATAID"))
        if not data_id.isdigit():
            raise self.error(where, f"DATAID missing or not a number ({data_id!r})")
        primary = " ".join(clean(record.findtext(part)) for part in NAME_PARTS).strip()
        primary = clean(primary)
        if not primary:
            raise self.error(f"{where} (DATAID {data_id})", "FIRST_NAME is empty")
        aliases = [clean(a.findtext("ALIAS_NAME")) for a in record.findall(f"{tag}_ALIAS")]
        aliases.append(clean(record.findtext("NAME_ORIGINAL_SCRIPT")))
        person = tag == "INDIVIDUAL"
        return Entity(
            entity_id=f"{self.key}:{data_id}",
            source=self.key,
            names=unique([primary, *aliases]),
            entity_type=EntityType.PERSON if person else EntityType.ORGANISATION,
            birth_dates=self._birth_dates(record),
            countries=self._countries(record, tag),
            identifiers=self._documents(record),
            topics=("sanction",),
            notes=(
                ("reference", clean(record.findtext("REFERENCE_NUMBER"))),
                ("regime", clean(record.findtext("UN_LIST_TYPE"))),
            ),
        )

    def _birth_dates(self, record: StdET.Element) -> tuple[str, ...]:
        found: list[str] = []
        for dob in record.findall("INDIVIDUAL_DATE_OF_BIRTH"):
            date, year = clean(dob.findtext("DATE")), clean(dob.findtext("YEAR"))
            low, high = clean(dob.findtext("FROM_YEAR")), clean(dob.findtext("TO_YEAR"))
            found.append(date[:10] or year or (f"{low}..{high}" if low and high else ""))
        return unique(found)

    def _countries(self, record: StdET.Element, tag: str) -> tuple[str, ...]:
        found = [clean(v.text) for v in record.findall("NATIONALITY/VALUE")]
        found += [clean(c.text) for c in record.findall(f"{tag}_ADDRESS/COUNTRY")]
        return unique(found)

    def _documents(self, record: StdET.Element) -> tuple[Identifier, ...]:
        found = []
        for document in record.findall("INDIVIDUAL_DOCUMENT"):
            number = clean(document.findtext("NUMBER"))
            if number:
                found.append(Identifier(number, clean(document.findtext("TYPE_OF_DOCUMENT"))))
        return tuple(found)
