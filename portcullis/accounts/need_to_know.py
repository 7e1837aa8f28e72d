"""Need-to-know: the one rule for who may read each sensitive field.

Object scoping (`visible_to`) decides which rows someone sees. Some rows a person may see carry a
field that is not theirs to read: why a colleague was given a course, who filed a report that asked
not to name them, what the security team knows about a campaign, what its watchlist says about
someone, the ledger's record of intelligence work. Pages, templates, the API, CSV and STIX exports,
e-mails and the ledger all ask `may_read` (or filter with `readable_q`); none decides for itself.

Decisions written down here, so every reader of a field gets the same answer:
- A **remedial assignment** (a course given after a phishing test or by the security team outside
  any requirement) is between the person and the security team. Even the fact that a course was
  assigned remedially tells an office manager who fell for a test, so office managers, party
  officers and administrators see neither the assignment nor its reason, and office compliance
  figures count requirement assignments only.
- The **reporter of an anonymous report** is known to the security team (as promised to the
  reporter) and to the reporter; nobody else, including administrators reading the ledger.
- A **campaign** (its name, summary and the times of its reports) is the security team's, and so
  are the sightings that say which offices reported an indicator and when: an alert's reader
  reads the alert, and a STIX export of it carries neither its campaign nor its sightings.
- The **internal watchlist's entries and notes** are the security team's; party officers screen
  against the watchlist and see a match's name, never the list or its notes.
- A **party briefing** has a tear-line: the party reads the recommendation and what is written
  above it; the basis (intelligence, screening hits, sources) stays with the security team.
- **Intelligence in the ledger** (reports, alerts, campaigns, screenings, remedial training ...)
  is read by the security team; administrators read platform events only (see `LEDGER_PLATFORM`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Q, TextChoices
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portcullis.lib.audience import NOBODY_ELSE, Viewer

from .access import SECURITY_TEAM
from .models import Person, Role, scope_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User


class Sensitive(StrEnum):
    REMEDIAL = "training.remedial"
    REPORTER = "approaches.reporter"
    CAMPAIGN = "intel.campaign"
    WATCHLIST = "screening.watchlist"
    INTELLIGENCE = "ledger.intelligence"
    BRIEFING_BASIS = "donations.briefing_basis"
    VISITOR_SCREENING = "visitors.screening"


@dataclass(frozen=True)
class Rule:
    what: str  # in words, for README and error messages
    readers: frozenset[str]  # roles that read every instance of the field
    subject_reads: bool  # whether the person the field is about reads their own


SECURITY = frozenset({Role.SECURITY_OFFICER})

RULES: dict[Sensitive, Rule] = {
    Sensitive.REMEDIAL: Rule(
        "that a course was assigned outside any requirement, and why", SECURITY, True
    ),
    Sensitive.REPORTER: Rule("who filed a report that asked not to name them", SECURITY, True),
    Sensitive.CAMPAIGN: Rule(
        "a campaign's name, summary and the times and offices of its reports", SECURITY, False
    ),
    Sensitive.WATCHLIST: Rule("the internal watchlist's entries and notes", SECURITY, False),
    Sensitive.INTELLIGENCE: Rule("the ledger's record of intelligence work", SECURITY, True),
    Sensitive.BRIEFING_BASIS: Rule(
        "the basis of a party briefing (below its tear-line) and the screening behind it",
        SECURITY,
        False,
    ),
    Sensitive.VISITOR_SCREENING: Rule(
        "why a visitor is held: their screening results and alert matches", SECURITY, False
    ),
}


def may_read(
    user: User | AnonymousUser, field: Sensitive, *, about_person_id: int | None = None
) -> bool:
    """Whether `user` may read `field` of something about the person `about_person_id`."""
    rule = RULES[field]
    scope = scope_of(user)
    if scope.has(*rule.readers):
        return True
    return rule.subject_reads and about_person_id is not None and about_person_id == scope.person_id


def readable_q(user: User | AnonymousUser, field: Sensitive, *, person_field: str) -> Q:
    """The rows whose `field` the user may read, as a filter on the row's person."""
    rule = RULES[field]
    scope = scope_of(user)
    if scope.has(*rule.readers):
        return Q(pk__isnull=False)  # not Q(): `x | Q()` is just `x` in Django
    if rule.subject_reads and scope.person_id is not None:
        return Q(**{person_field: scope.person_id})
    return Q(pk__in=[])


# --- the ledger ---------------------------------------------------------------------------------


class Visibility(TextChoices):
    """Who reads a ledger entry; decided by its action (`ledger_visibility`)."""

    PLATFORM = "platform", "platform event"  # the security team and administrators
    SECURITY = "security", "intelligence"  # the security team (and the entry's own actor)


# Platform events an administrator runs the estate with. Anything not listed is intelligence:
# a new kind of entry is closed until someone decides it is a platform event.
# Each entry stores its visibility (for filtering) and the verifier checks it against this list, so
# a change here comes with a data migration that sets the column again (as ledger 0002 does).
LEDGER_PLATFORM = (
    "access_grant.",
    "api_token.",
    "course.",
    "demo.",
    "directory.",
    "ledger.",
    "list_import.",
    "list_source.",
    "list_version.",
    "membership.",
    "mfa.",
    "person.",
    "requirement.",
    "scheduler.",
    "sending_profile.",
    "session.",
    "simulation_template.",
    "training_access.",
    "user.",
)


def ledger_visibility(action: str) -> Visibility:
    return Visibility.PLATFORM if action.startswith(LEDGER_PLATFORM) else Visibility.SECURITY


def readable_ledger_q(user: User | AnonymousUser) -> Q:
    """Ledger entries the user may read: every one for the security team, platform events for
    administrators, their own actions for anyone else."""
    scope = scope_of(user)
    if scope.has(*RULES[Sensitive.INTELLIGENCE].readers):
        return Q(pk__isnull=False)
    own = Q(actor_id=getattr(user, "pk", None)) if user.is_authenticated else Q(pk__in=[])
    if scope.has(Role.ADMINISTRATOR):
        return Q(visibility=Visibility.PLATFORM) | own
    return own


# --- the API ------------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class NeedToKnowField(serializers.Field[Any, Any, Any, Any]):
    """A read-only field that is `null` for a reader who may not read it."""

    def __init__(
        self, *, field: Sensitive, attribute: str, about: str | None = None, **kwargs: Any
    ) -> None:
        self.sensitive, self.attribute, self.about = field, attribute, about
        super().__init__(source="*", read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value: Any) -> Any:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        about = getattr(value, self.about) if self.about else None
        if user is None or not may_read(user, self.sensitive, about_person_id=about):
            return None
        return getattr(value, self.attribute)


# --- audiences ----------------------------------------------------------------------------------


def viewer_of(user: User | AnonymousUser | None) -> Viewer:
    """The reader an `Audience` is checked against; nobody in particular for no user."""
    if user is None or not user.is_authenticated:
        return NOBODY_ELSE
    scope = scope_of(user)
    party_id = None
    if scope.person_id is not None:
        party_id = (
            Person.objects.filter(pk=scope.person_id).values_list("party_id", flat=True).first()
        )
    return Viewer(
        is_security=SECURITY_TEAM(user),
        person_id=scope.person_id,
        office_ids=scope.office_ids,
        party_ids=scope.party_ids,
        member_of_party_id=party_id,
    )
