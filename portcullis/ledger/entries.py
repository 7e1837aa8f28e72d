"""What a caller hands the ledger for `record_many` (importable before the apps are loaded)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import models


@dataclass(frozen=True)
class Entry:
    """One change in a bulk operation: what happened, to what, with which facts."""

    action: str
    target: models.Model | None = None
    data: Mapping[str, object] = field(default_factory=dict)
