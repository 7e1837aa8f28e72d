"""What the analyser is told about us: the directory, our domains, and simulation links."""

from __future__ import annotations

import re
import threading
from collections import defaultdict

from django.conf import settings
from django.db.models import Max

from portcullis.accounts.models import Person, PersonEmail
from portcullis.lib.observables import registrable_domain

from .analysis import AnalysisContext, Directory, DirectoryPerson
from .conf import simulation_host
from .models import ReportedEmail
from .models.reports import Verdict

# Simulation links are /l/<token>/...; the token is what the analyser reports back.
TOKEN_PATTERN = re.compile(r"/l/([A-Za-z0-9_-]{20,64})(?:/|$)")

Stamp = tuple[object, ...]
_lock = threading.Lock()
_cached: tuple[Stamp, Directory] | None = None


def analysis_context() -> AnalysisContext:
    return AnalysisContext(
        directory=directory(),
        protected_domains=tuple(settings.PROTECTED_DOMAINS),
        simulation_host=simulation_host() or None,
        simulation_token_pattern=TOKEN_PATTERN,
        known_domains=known_domains(),
    )


def known_domains() -> frozenset[str]:
    """Domains we already deal with besides the directory's: the senders of earlier reports the
    security team found harmless. A domain seen only in reports judged suspicious or worse, or
    not yet judged, stays unknown, so every copy of a cold approach is a first contact."""
    senders = (
        ReportedEmail.objects.filter(override_verdict=Verdict.CLEAN)
        .exclude(sender="")
        .values_list("sender", flat=True)
        .distinct()
    )
    return frozenset(
        registrable_domain(s.rpartition("@")[2]) for s in senders.iterator() if "@" in s
    )


def directory() -> Directory:
    """The directory indexed once per process and rebuilt when it changes: a person or address
    added, removed or edited moves a count or the latest `updated_at` (four indexed queries)."""
    global _cached
    stamp = _stamp()
    cached = _cached
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with _lock:
        if _cached is None or _cached[0] != stamp:
            _cached = (stamp, _build())
        return _cached[1]


def _stamp() -> Stamp:
    # Apart, not in one aggregate: a lone MAX reads the end of the updated_at index.
    return tuple(
        value
        for model in (Person, PersonEmail)
        for value in (model.objects.count(), model.objects.aggregate(m=Max("updated_at"))["m"])
    )


def _build() -> Directory:
    emails: dict[int, list[str]] = defaultdict(list)
    for person_id, address in PersonEmail.objects.values_list("person_id", "address"):
        emails[person_id].append(address)
    people = Person.objects.order_by("pk").values_list("pk", "full_name")
    return Directory(DirectoryPerson(name, tuple(emails[pk])) for pk, name in people)
