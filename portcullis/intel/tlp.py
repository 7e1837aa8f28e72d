"""TLP 2.0 (FIRST, 2022) and its fixed STIX 2.1 marking definitions (OASIS extension)."""

from __future__ import annotations

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
# TLP 1.0 markings predefined by STIX 2.1 core, accepted on import (WHITE became CLEAR).
TLP1_IDS = {
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": Tlp.CLEAR,
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": Tlp.GREEN,
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": Tlp.AMBER,
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": Tlp.RED,
}
TLP_BY_MARKING = {v: k for k, v in MARKING_IDS.items()} | TLP1_IDS

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
