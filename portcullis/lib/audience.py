"""Who may read something shared under a marking, as plain data.

An `Audience` travels with what it governs (a security alert's names in the screening index), so
a layer that must not import the owner of the rule (screening must not import intel) can still
apply it: the owner writes the audience once (`intel.models.Alert.readers`, kept equal to
`Alert.objects.visible_to` by a test) and every reader asks `admits`. The security team reads
everything and is admitted before any audience is asked. Pure: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Viewer:
    """The facts about one reader an audience is checked against (`accounts.need_to_know`
    builds it from a user)."""

    is_security: bool = False
    person_id: int | None = None
    office_ids: frozenset[int] = frozenset()
    party_ids: frozenset[int] = frozenset()  # parties they are an officer of
    member_of_party_id: int | None = None  # the party the person belongs to


NOBODY_ELSE = Viewer()


@dataclass(frozen=True, slots=True)
class Audience:
    label: str = ""  # the marking, for people ("TLP:RED")
    everyone: bool = False
    people: frozenset[int] = frozenset()
    offices: frozenset[int] = frozenset()  # everyone in these offices
    parties: frozenset[int] = frozenset()  # the officers of these parties
    party_members: frozenset[int] = frozenset()  # every member of these parties

    def admits(self, viewer: Viewer) -> bool:
        return (
            viewer.is_security
            or self.everyone
            or (viewer.person_id is not None and viewer.person_id in self.people)
            or bool(self.offices & viewer.office_ids)
            or bool(self.parties & viewer.party_ids)
            or (
                viewer.member_of_party_id is not None
                and viewer.member_of_party_id in self.party_members
            )
        )

    def as_data(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "everyone": self.everyone,
            "people": sorted(self.people),
            "offices": sorted(self.offices),
            "parties": sorted(self.parties),
            "party_members": sorted(self.party_members),
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Audience:
        return cls(
            label=str(data.get("label", "")),
            everyone=bool(data.get("everyone", False)),
            people=frozenset(int(i) for i in data.get("people", ())),
            offices=frozenset(int(i) for i in data.get("offices", ())),
            parties=frozenset(int(i) for i in data.get("parties", ())),
            party_members=frozenset(int(i) for i in data.get("party_members", ())),
        )
