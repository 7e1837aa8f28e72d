"""OpenSanctions FollowTheMoney entities, one JSON object per line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..matching.model import Entity, EntityType, Identifier
from .base import ListSource, unique

SCHEMA_TYPES = {
    "Person": EntityType.PERSON,
    "Company": EntityType.ORGANISATION,
    "Organization": EntityType.ORGANISATION,
    "LegalEntity": EntityType.UNKNOWN,
}
NAME_PROPS = ("name", "alias", "previousName")
COUNTRY_PROPS = ("nationality", "citizenship", "country", "jurisdiction")
ID_PROPS = (
    "idNumber",
    "passportNumber",
    "registrationNumber",
    "innCode",
    "ogrnCode",
    "taxNumber",
    "leiCode",
    "imoNumber",
)


class FtmJsonSource(ListSource):
    key = "opensanctions"
    label = "OpenSanctions FtM JSON lines"

    def iter_entities(self, data: bytes) -> Iterator[Entity]:
        for number, line in enumerate(data.splitlines(), start=1):
            if not line.strip():
                continue
            record = self._decode(line, number)
            schema = record.get("schema")
            if schema in SCHEMA_TYPES:
                yield self._entity(record, schema, f"line {number}")

    def _decode(self, line: bytes, number: int) -> dict[str, Any]:
        try:
            record = json.loads(line)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise self.error(f"line {number}", f"not valid JSON ({exc})") from None
        if not isinstance(record, dict):
            raise self.error(f"line {number}", "expected a JSON object")
        for field, kind in (("id", str), ("schema", str), ("properties", dict)):
            if not isinstance(record.get(field), kind):
                raise self.error(f"line {number}", f"missing or malformed {field!r}")
        return record

    def _entity(self, record: dict[str, Any], schema: str, where: str) -> Entity:
        props = record["properties"]

        def values(*names: str) -> list[str]:
            found: list[str] = []
            for name in names:
                value = props.get(name, [])
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise self.error(where, f"property {name!r} must be a list of strings")
                found += [v.strip() for v in value]
            return found

        names = unique(values(*NAME_PROPS))
        if not names:
            raise self.error(where, f"{schema} {record['id']} has no name")
        identifiers = tuple(
            Identifier(value, prop) for prop in ID_PROPS for value in unique(values(prop))
        )
        return Entity(
            entity_id=f"{self.key}:{record['id']}",
            source=self.key,
            names=names,
            entity_type=SCHEMA_TYPES[schema],
            birth_dates=unique(values("birthDate")),
            countries=unique(values(*COUNTRY_PROPS)),
            identifiers=identifiers,
            topics=unique(values("topics")),
        )
