"""TLP 2.0 (FIRST, 2022) and its fixed STIX 2.1 marking definitions (OASIS extension)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import stix2
from django.db import models


class Tlp(models.TextChoices):
    CLEAR = "clear", "TLP:CLEAR"
    GREEN = "green", "TLP:GREEN"
    AMBER = "amber", "TLP:AMBER"
    AMBER_STRICT = "amber+strict", "TLP:AMBER+STRICT"
    RED = "red", "TLP:RED"


MEANING = {
    Tlp.CLEAR: "No limit on disclosure.",
    Tlp.GREEN: "May be shared within the community, not on public channels.",
    Tlp.AMBER: "Your organisation and those it must inform, on a need-to-know basis.",
    Tlp.AMBER_STRICT: "Your organisation only.",
    Tlp.RED: "Named recipients only. Do not forward.",
}

# From oasis-open/cti-stix-common-objects, extension-definition-specifications/tlp-2.0.
# Fixed identifiers: never generate our own.
EXTENSION_ID = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
MARKING_CREATED = "2022-10-01T00:00:00.000Z"
MARKING_IDS = {
    Tlp.CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    Tlp.GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    Tlp.AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    Tlp.AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    Tlp.RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
# TLP 1.0 markings predefined by STIX 2.1 core (in the stix2 library), accepted on import
# (WHITE became CLEAR). OpenCTI marks CLEAR, GREEN, AMBER and RED with these too.
TLP1_IDS = {
    stix2.TLP_WHITE.id: Tlp.CLEAR,
    stix2.TLP_GREEN.id: Tlp.GREEN,
    stix2.TLP_AMBER.id: Tlp.AMBER,
    stix2.TLP_RED.id: Tlp.RED,
}
# Other platforms' fixed ids for levels TLP 1.0 lacks: OpenCTI's TLP:AMBER+STRICT.
OTHER_PLATFORM_IDS = {
    "marking-definition--826578e1-40ad-459f-bc73-ede076f81f37": Tlp.AMBER_STRICT,
}
TLP_BY_MARKING = {v: k for k, v in MARKING_IDS.items()} | TLP1_IDS | OTHER_PLATFORM_IDS

# Tightest last: when objects carry different markings, the tightest one wins.
ORDER = [Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED]


def marking_definition(level: Tlp) -> dict[str, object]:
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": MARKING_IDS[level],
        "created": MARKING_CREATED,
        "name": level.label,
        "extensions": {
            EXTENSION_ID: {"extension_type": "property-extension", "tlp_2_0": level.value}
        },
    }


_LEVEL = re.compile(
    r"^\s*(?:tlp\s*[:_ -]\s*)?(clear|white|green|amber(?:\s*[+_ ]\s*strict)?|red)\s*$", re.I
)
_SAYS_TLP = re.compile(r"^\s*tlp\b", re.I)


def level_of_label(label: object) -> Tlp | None:
    """A TLP level as platforms write it: "TLP:AMBER+STRICT", "amber+strict", "tlp:white"."""
    match = _LEVEL.match(label) if isinstance(label, str) else None
    if match is None:
        return None
    word = re.sub(r"[\s+_]+", "+", match.group(1).lower())
    return Tlp.CLEAR if word == "white" else Tlp(word)


def claims_tlp(definition: Mapping[str, Any]) -> list[object]:
    """What a marking definition says its TLP level is, wherever its platform put it: the OASIS
    TLP 2.0 extension, STIX 2.1's `tlp` definition, OpenCTI's `x_opencti_definition`, MISP's
    `tlp:…` statements, or a name such as "TLP:AMBER+STRICT"."""
    claims: list[object] = []
    extension = (definition.get("extensions") or {}).get(EXTENSION_ID)
    if isinstance(extension, Mapping):
        claims.append(extension.get("tlp_2_0"))
    inner = definition.get("definition")
    inner = inner if isinstance(inner, Mapping) else {}
    kind = str(definition.get("definition_type") or "").lower()
    if kind == "tlp":
        claims.append(inner.get("tlp"))
    if str(definition.get("x_opencti_definition_type") or "").lower() == "tlp":
        claims.append(definition.get("x_opencti_definition"))
    for said in (inner.get("statement"), definition.get("name")):
        if isinstance(said, str) and _SAYS_TLP.match(said):
            claims.append(said)
    return [claim for claim in claims if claim is not None]
