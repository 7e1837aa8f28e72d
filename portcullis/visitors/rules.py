"""The desk rules of each response level (Normal, Heightened, Exceptional; DOMAIN.md §9.3).

The values are settings, never constants: the House has not published them, and IPAC asks for
photo ID where the House says it is not proportionate. `VISITORS_DESK_RULES` overrides any of
them per level.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from django.conf import settings
from django.db import models


class Level(models.TextChoices):
    NORMAL = "normal", "Normal"
    HEIGHTENED = "heightened", "Heightened"
    EXCEPTIONAL = "exceptional", "Exceptional"


class IdType(models.TextChoices):
    PASSPORT = "passport", "Passport"
    DRIVING_LICENCE = "driving_licence", "Photocard driving licence"
    NATIONAL_ID = "national_id", "National identity card"
    GOVERNMENT_PASS = "government_pass", "Government or parliamentary pass"
    OTHER_PHOTO = "other_photo", "Other photo ID with their name"
    NONE = "none", "No photo ID"


@dataclass(frozen=True)
class DeskRules:
    accepted_ids: frozenset[str]  # photo ID types the desk accepts
    id_required: bool
    walk_ins: bool  # whether walk-ins are considered at all
    min_notice_hours: int  # shorter notice needs a security officer's approval
    max_group: int  # visitors on one invitation

    @property
    def min_notice(self) -> timedelta:
        return timedelta(hours=self.min_notice_hours)

    def id_labels(self) -> list[str]:
        return [str(label) for value, label in IdType.choices if value in self.accepted_ids]


_STRICT = frozenset({IdType.PASSPORT, IdType.DRIVING_LICENCE, IdType.GOVERNMENT_PASS})
DEFAULTS: dict[str, DeskRules] = {
    Level.NORMAL: DeskRules(
        frozenset(_STRICT | {IdType.NATIONAL_ID, IdType.OTHER_PHOTO}), True, True, 24, 16
    ),
    Level.HEIGHTENED: DeskRules(frozenset(_STRICT | {IdType.NATIONAL_ID}), True, True, 48, 10),
    Level.EXCEPTIONAL: DeskRules(frozenset(_STRICT), True, False, 72, 6),
}


def rules_for(level: str) -> DeskRules:
    base = DEFAULTS[level]
    overrides = getattr(settings, "VISITORS_DESK_RULES", {}).get(level, {})
    if "accepted_ids" in overrides:
        overrides = {**overrides, "accepted_ids": frozenset(overrides["accepted_ids"])}
    return replace(base, **overrides)


def max_per_escort() -> int:
    return int(getattr(settings, "VISITORS_MAX_PER_ESCORT", 6))


def escorts_need_clearance() -> bool:
    """Whether an escort must hold a current clearance in `protection` (CTC or above)."""
    return bool(getattr(settings, "VISITORS_ESCORTS_NEED_CLEARANCE", False))


def retention_days() -> int:
    return int(getattr(settings, "VISITORS_RETENTION_DAYS", 365))
