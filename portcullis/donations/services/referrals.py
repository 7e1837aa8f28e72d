"""The party desk: a party refers a prospective donor, candidate or staffer; the security team
screens, consults intel and returns a TLP-marked briefing with a tear-line. Every step is in the
ledger; the party's screening and intel records are the security team's, never the party's."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from portcullis import ledger
from portcullis.accounts.access import SECURITY_TEAM
from portcullis.accounts.mail import mail_party_officers, mail_security_team
from portcullis.accounts.models import Organisation, User
from portcullis.intel import services as intel
from portcullis.intel.extract import Kind, identify
from portcullis.intel.origins import OriginRef
from portcullis.intel.tlp import Tlp
from portcullis.screening import matching
from portcullis.screening import services as screening

from ..mail import site_url
from ..models import Referral


class ReferralError(ValueError):
    pass


@dataclass
class ReferralInput:
    party: Organisation
    subject: str
    name: str
    birth_date: str = ""
    country: str = ""
    organisation: str = ""
    what_party_knows: str = ""


@transaction.atomic
def refer(*, data: ReferralInput, actor: User) -> Referral:
    if data.party.pk not in actor.scope.party_ids:
        raise ReferralError("You can refer people only for your own party.")
    name = " ".join(data.name.split())
    if not name:
        raise ReferralError("Enter the person's full name.")
    referral = Referral.objects.create(
        party=data.party,
        subject=data.subject,
        name=name[:300],
        birth_date=data.birth_date.strip()[:10],
        country=data.country.strip().upper()[:2],
        organisation=data.organisation.strip()[:300],
        what_party_knows=data.what_party_knows.strip(),
        referred_by=actor,
    )
    ledger.record(
        actor=actor, action="referral.refer", target=referral, data={"subject": data.subject}
    )
    transaction.on_commit(
        lambda: mail_security_team(
            subject=f"New party referral {referral.reference}",
            body=f"A party has referred a {referral.get_subject_display().lower()} to the "
            f"security team.\n\n{site_url(referral.get_absolute_url())}\n",
        )
    )
    return referral


def origin_of(referral: Referral) -> OriginRef:
    return OriginRef(
        app="donations",
        kind="referral",
        key=str(referral.pk),
        label=f"Party referral {referral.reference}",
        category="Party referral",
        url=referral.get_absolute_url(),
    )


@transaction.atomic
def screen_referral(*, referral: Referral, actor: User) -> Referral:
    """The security team's screening of the person (kept on its side: no party on the subject)
    and their passage through intel's door."""
    if not SECURITY_TEAM(actor):
        raise ReferralError("Only the security team screens a referral.")
    query = matching.Subject(
        name=referral.name,
        birth_dates=(referral.birth_date,) if referral.birth_date else (),
        countries=(referral.country,) if referral.country else (),
        entity_type=matching.EntityType.PERSON,
    )
    run = screening.screen_subject(
        subject=query, actor=actor, purpose=f"party referral {referral.reference}"
    )
    found = [f for f in (identify(Kind.PERSON, referral.name),) if f]
    if referral.organisation and (org := identify(Kind.ORGANISATION, referral.organisation)):
        found.append(org)
    ingested = intel.ingest(
        origin=origin_of(referral),
        found=found,
        names=[referral.name],
        organisations=[referral.organisation] if referral.organisation else [],
        actor=actor,
    )
    referral.screening, referral.origin = run, ingested.origin
    referral.save(update_fields=["screening", "origin"])
    ledger.record(
        actor=actor,
        action="referral.screen",
        target=referral,
        data={
            "hits": run.hit_count,
            "alerts": sorted({m.alert.reference for m in ingested.matches}),
        },
    )
    return referral


@transaction.atomic
def brief_party(
    *,
    referral: Referral,
    actor: User,
    recommendation: str,
    briefing: str,
    basis: str,
    tlp: str = Tlp.AMBER_STRICT,
) -> Referral:
    """Return the briefing: the recommendation and text above the tear-line for the party, the
    basis below it for the security team only."""
    if not SECURITY_TEAM(actor):
        raise ReferralError("Only the security team briefs a party.")
    if referral.status != Referral.Status.REFERRED:
        raise ReferralError("This referral has already been answered.")
    if recommendation not in Referral.Recommendation.values:
        raise ReferralError("Choose a recommendation.")
    if not briefing.strip():
        raise ReferralError("Enter what the party may read.")
    if tlp not in (Tlp.AMBER_STRICT, Tlp.AMBER, Tlp.RED):
        raise ReferralError("Mark the briefing TLP:RED, TLP:AMBER+STRICT or TLP:AMBER.")
    referral.recommendation, referral.tlp = recommendation, tlp
    referral.briefing, referral.basis = briefing.strip(), basis.strip()
    referral.status, referral.briefed_by = Referral.Status.BRIEFED, actor
    referral.briefed_at = timezone.now()
    referral.save()
    ledger.record(
        actor=actor,
        action="referral.brief",
        target=referral,
        data={"recommendation": recommendation, "tlp": tlp},
    )
    party_id = referral.party_id
    transaction.on_commit(
        lambda: mail_party_officers(
            party_id=party_id,
            subject=f"The security team has answered your referral {referral.reference}",
            body="Sign in to read the briefing (it is not sent by e-mail).\n\n"
            f"{site_url(referral.get_absolute_url())}\n",
        )
    )
    return referral
