"""What the analyser is told about us: the directory, our domains, and simulation links."""

from __future__ import annotations

import re
from collections import defaultdict

from django.conf import settings

from portcullis.accounts.models import PersonEmail

from .analysis import AnalysisContext, DirectoryPerson
from .conf import simulation_host

# Simulation links are /l/<token>/...; the token is what the analyser reports back.
TOKEN_PATTERN = re.compile(r"/l/([A-Za-z0-9_-]{20,64})(?:/|$)")


def analysis_context() -> AnalysisContext:
    """Built per analysis from the directory (a few thousand rows for a legislature).

    Alert observables stay empty until the intel app (security alerts) exists."""
    names: dict[int, str] = {}
    emails: dict[int, list[str]] = defaultdict(list)
    rows = PersonEmail.objects.values_list("person_id", "person__full_name", "address")
    for person_id, name, address in rows:
        names[person_id] = name
        emails[person_id].append(address)
    return AnalysisContext(
        directory=tuple(DirectoryPerson(names[p], tuple(emails[p])) for p in names),
        protected_domains=tuple(settings.PROTECTED_DOMAINS),
        simulation_host=simulation_host() or None,
        simulation_token_pattern=TOKEN_PATTERN,
    )
