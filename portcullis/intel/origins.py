"""What an origin app tells intel about the thing it is ingesting (see `services.ingest`).

Intel stores these as plain data in `Origin`, so a new origin (a visitor, a donor, a trip host)
is new data, never a new table or an import from intel into the app it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class OriginRef:
    app: str  # the origin's Django app label: "approaches", "phishing", later "visitors", ...
    kind: str  # what it is inside that app: "report", "email"
    key: str  # the origin object's primary key, as a string
    label: str  # words for people: "Approach report R-1A2B3C4D"
    category: str  # "Approach report", "Reported e-mail"
    url: str = ""  # path of the origin's own page
    office_id: int | None = None
    occurred_at: datetime | None = None
