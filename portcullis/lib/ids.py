"""Public ids (UUIDs) as they arrive in URLs and forms: anything that is not one is dropped."""

from __future__ import annotations

import uuid
from collections.abc import Iterable


def valid_uuids(values: Iterable[str]) -> list[uuid.UUID]:
    """The values that are UUIDs, in order; the rest (typed, tampered or truncated) are left out."""
    found = []
    for value in values:
        try:
            found.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return found
