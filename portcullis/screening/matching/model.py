"""Plain data shapes shared by the matcher, the index and the list parsers.

Nothing here knows about Django: the app layer maps its rows onto these.
Collections are tuples so that entities are cheap, hashable-friendly and
safe to share between an index and its callers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from portcullis.lib import observables
from portcullis.lib.audience import Audience

_NOT_ID_CHARS = re.compile(r"[^0-9A-Z]")


class EntityType(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Identifier:
    """A document or registration number (`kind` is free text: "passport", "inn"), or an e-mail
    address, domain, URL, phone number or handle (`kind` is one of those, as in
    `portcullis.lib.observables.IDENTIFIER_KINDS`)."""

    value: str
    kind: str = ""

    @property
    def key(self) -> str:
        """What two identifiers are compared by: the one canonical form of an e-mail address,
        domain, URL, phone number or handle (`+44 20 7946 0018` is `020 7946 0018`); a
        document number's letters and digits in upper case."""
        if self.kind in observables.CANONICAL:
            return observables.canonical(self.kind, self.value) or ""
        return _NOT_ID_CHARS.sub("", self.value.upper())


@dataclass(frozen=True, slots=True)
class Subject:
    """What we are asked to screen (query by example).

    `birth_dates` are ISO strings: `1961-03-02`, `1961-03`, `1961`, or a
    range `1965..1969`. `countries` are ISO 3166 alpha-2 codes or country
    names; both sides go through the same normalisation.
    """

    name: str
    aliases: tuple[str, ...] = ()
    birth_dates: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    entity_type: EntityType = EntityType.UNKNOWN
    identifiers: tuple[Identifier, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class Entity:
    """One record of a list (sanctions, PEPs, an internal watchlist).

    `entity_id` is stable across versions of the same source (e.g.
    `un-sc:6907993`, `uk-ofsi:13349`), so versions can be diffed on it.
    `names[0]` is the primary name; the rest are aliases and other scripts.
    """

    entity_id: str
    source: str
    names: tuple[str, ...]
    entity_type: EntityType = EntityType.UNKNOWN
    birth_dates: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    topics: tuple[str, ...] = ()
    # (label, text) pairs for display only, e.g. ("regime", "DPRK"); never scored.
    notes: tuple[tuple[str, str], ...] = ()
    # Who may see this entry in results (a security alert's TLP and audience); None: everyone
    # who may screen. Never scored; the app layer filters on it.
    audience: Audience | None = None

    @property
    def caption(self) -> str:
        return self.names[0] if self.names else self.entity_id
