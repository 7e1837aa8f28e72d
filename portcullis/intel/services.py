"""The only writers of intel data: `ingest` (the one door for everything that names someone:
its sightings, alert matches and campaign link), campaigns, alerts and their delivery. Each
takes keyword arguments and an actor, and records the change in the ledger."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from portcullis import ledger
from portcullis.accounts.access import SECURITY_TEAM
from portcullis.accounts.models import Office, Organisation, Person, User
from portcullis.ledger.actors import Actor, user_of
from portcullis.lib.tasks import enqueue_on_commit
from portcullis.screening import matching as screening
from portcullis.screening.imports import (
    ALERTS_WATCHLIST,
    WatchlistEntry,
    upsert_alert_watchlist_entries,
)
from portcullis.screening.live import current_index

from .extract import NAME_KINDS, Found, Kind, identify, is_cjk
from .models import (
    Alert,
    AlertDelivery,
    Campaign,
    Indicator,
    Match,
    Observable,
    Origin,
    Sighting,
)
from .origins import OriginRef
from .tlp import Tlp

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class AlertError(Exception):
    pass


@dataclass(frozen=True)
class IndicatorInput:
    kind: str
    value: str
    aliases: tuple[str, ...] = ()


@dataclass
class AlertInput:
    title: str
    summary: str
    guidance: str
    tlp: str = Tlp.AMBER
    audience: str = Alert.Audience.EVERYONE
    offices: Sequence[Office] = ()
    parties: Sequence[Organisation] = ()
    recipients: Sequence[Person] = ()
    indicators: Sequence[IndicatorInput] = field(default_factory=list)
    severity: str = Alert.Severity.MODERATE
    review_on: datetime.date | None = None
    expires_on: datetime.date | None = None


def observable_for(found: Found) -> Observable:
    observable, _ = Observable.objects.get_or_create(
        kind=found.kind, value=found.value, defaults={"display": found.display[:500]}
    )
    return observable


# --- the door: everything that names someone comes in here -------------------------------------


@dataclass(frozen=True)
class Ingested:
    """What `ingest` did: the stored origin, every alert match (whatever its TLP), the campaign."""

    origin: Origin
    matches: tuple[Match, ...]
    campaign: Campaign | None

    def matches_visible_to(self, user: User | AnonymousUser) -> list[Match]:
        """The matches whose alert this user may read; the others are the security team's."""
        return list(
            Match.objects.visible_to(user)
            .filter(origin=self.origin)
            .select_related("alert", "indicator")
        )


@transaction.atomic
def ingest(
    *,
    origin: OriginRef,
    found: Sequence[Found],
    names: Sequence[str] = (),
    organisations: Sequence[str] = (),
    actor: Actor,
) -> Ingested:
    """Record what an origin names, match it against every published alert, and link it into the
    campaign of the earlier origins it shares an observable with. `found` are identifiers and
    typed names (their `where` says which field); `names` are free text that may name a person,
    `organisations` text that names an organisation. Safe to call again for the same origin."""
    stored, _ = Origin.objects.update_or_create(
        app=origin.app,
        kind=origin.kind,
        key=origin.key,
        defaults={
            "label": origin.label[:200],
            "category": origin.category[:100],
            "url": origin.url[:500],
            "office_id": origin.office_id,
            "occurred_at": origin.occurred_at or timezone.now(),
        },
    )
    _record_sightings(stored, found)
    hits = _match(found, [n for n in names if n.strip()], organisations)
    matches = []
    for hit in hits:
        match, _ = Match.objects.get_or_create(
            origin=stored,
            indicator=hit.indicator,
            defaults={
                "alert": hit.indicator.alert,
                "how": hit.how,
                "score": hit.score,
                "matched_text": hit.matched_text,
                "explanation": _explain(hit),
            },
        )
        matches.append(match)
    # A name matched in another spelling still links the origin to the alert's own name, so
    # reports of `QIU Amanda` and `邱 Amanda` meet in one campaign.
    _record_sightings(
        stored,
        [
            Found(
                Kind(h.indicator.kind),
                h.indicator.observable.value,
                h.indicator.display,
                where="alert match",
            )
            for h in hits
            if h.how == "name"
        ],
    )
    campaign = _link(stored, actor)
    ledger.record(
        actor=actor,
        action="intel.ingest",
        target=stored,
        data={
            "origin": f"{stored.app}.{stored.kind}",
            "observables": stored.sightings.count(),
            "alerts": sorted({m.alert.reference for m in matches}),
            "campaign": str(campaign.public_id) if campaign else None,
        },
    )
    return Ingested(origin=stored, matches=tuple(matches), campaign=campaign)


@dataclass(frozen=True)
class _Hit:
    indicator: Indicator
    how: str  # Match.How
    score: float
    matched_text: str


def _match(
    found: Sequence[Found], names: Sequence[str], organisations: Sequence[str]
) -> list[_Hit]:
    """Every indicator of an alert in force (published, not expired) that the origin names,
    best first: identifiers exactly on their canonical form; names of people and organisations
    through the screening index's alert entries, in any order, spelling or script, at the
    engine's `certain` score."""
    hits = {h.indicator.pk: h for h in _match_names(names, organisations)}
    for item in found:
        if item.kind in NAME_KINDS:
            continue
        for indicator in Indicator.objects.filter(
            alert__in=Alert.objects.in_force(timezone.localdate()).values("pk"),
            observable__kind=item.kind,
            observable__value=item.value,
        ).select_related("alert", "observable"):
            hits[indicator.pk] = _Hit(indicator, Match.How.EXACT, 1.0, item.display[:500])
    return sorted(hits.values(), key=lambda h: (-h.score, h.indicator.pk))


def _worth_screening(name: str) -> bool:
    # One Latin word ("Amanda") is too little to tell anyone "this is the person in the alert".
    return len(name.split()) >= 2 or any(is_cjk(c) for c in name)


def _match_names(names: Sequence[str], organisations: Sequence[str]) -> list[_Hit]:
    """`names` need two words or CJK script to be screened; `organisations` (a field that says
    it holds an organisation's name, like `InternshipUnion`) are screened even as one word."""
    subjects = [screening.Subject(name=n) for n in names if _worth_screening(n)]
    subjects += [
        screening.Subject(name=o, entity_type=screening.EntityType.ORGANISATION)
        for o in organisations
        if o.strip()
    ]
    if not subjects:
        return []
    index = current_index().index
    scorer = screening.get_algorithm()
    slug = ALERTS_WATCHLIST[1]
    best: dict[tuple[str, str], tuple[float, str]] = {}
    for subject in subjects:
        for found in screening.screen(
            index,
            subject,
            min_score=scorer.certain,
            limit=5,
            where=lambda source, audience: source == slug,
        ):
            # entity ids are "alert:<reference>:<observable public id>"
            _, reference, observable = found.entity.entity_id.split(":", 2)
            if (
                subject.entity_type == screening.EntityType.ORGANISATION
                and found.entity.entity_type != screening.EntityType.ORGANISATION
            ):
                continue
            key = (reference, observable)
            if key not in best or best[key][0] < found.score:
                best[key] = (found.score, subject.name[:500])
    if not best:
        return []
    indicators = Indicator.objects.filter(
        alert__in=Alert.objects.in_force(timezone.localdate()).values("pk"),
        alert__reference__in={r for r, _ in best},
        observable__public_id__in={o for _, o in best},
    ).select_related("alert", "observable")
    hits = []
    for indicator in indicators:
        key = (indicator.alert.reference, str(indicator.observable.public_id))
        if key in best:
            score, text = best[key]
            hits.append(_Hit(indicator, Match.How.NAME, score, text))
    return hits


def _explain(hit: _Hit) -> str:
    if hit.how == Match.How.EXACT:
        return f"“{hit.matched_text}” is the alert's {hit.indicator.get_kind_display().lower()}."
    return (
        f"“{hit.matched_text}” is similar to “{hit.indicator.display}” (score {hit.score:.2f})."
    )[:500]


def _record_sightings(origin: Origin, found: Sequence[Found]) -> None:
    for item in found:
        Sighting.objects.get_or_create(
            observable=observable_for(item),
            origin=origin,
            defaults={
                "office_id": origin.office_id,
                "field": (item.where or "text")[:40],
                "seen_at": origin.occurred_at or timezone.now(),
            },
        )


# --- campaigns ---------------------------------------------------------------------------------


def _live(campaign: Campaign) -> Campaign:
    seen = set()
    while campaign.merged_into_id and campaign.pk not in seen:
        seen.add(campaign.pk)
        campaign = campaign.merged_into  # type: ignore[assignment]
    return campaign


def _link(origin: Origin, actor: Actor) -> Campaign | None:
    """Put the origin in the campaign of the earlier origins it shares an observable with,
    starting a campaign if none of them has one yet."""
    shared = Sighting.objects.filter(origin=origin).values("observable_id")
    others = list(
        Origin.objects.filter(sightings__observable_id__in=shared)
        .exclude(pk=origin.pk)
        .select_related("campaign")
        .distinct()
        .order_by("occurred_at", "pk")
    )
    if not others:
        return _live(origin.campaign) if origin.campaign else None
    campaigns = sorted(
        {_live(o.campaign) for o in [origin, *others] if o.campaign}, key=lambda c: c.created_at
    )
    campaign = campaigns[0] if campaigns else _new_campaign(origin, others)
    joined = [o for o in [origin, *others] if o.campaign_id is None]
    if not joined:
        return campaign
    Origin.objects.filter(pk__in=[o.pk for o in joined]).update(campaign=campaign)
    for o in joined:
        o.campaign = campaign
    ledger.record(
        actor=actor,
        action="campaign.link",
        target=campaign,
        data={"origins": [o.label for o in joined]},
    )
    return campaign


_LABEL_RANK = {Kind.PERSON: 0, Kind.ORGANISATION: 1, Kind.URL: 2, Kind.EMAIL: 3, Kind.HANDLE: 4}


def _new_campaign(origin: Origin, others: list[Origin]) -> Campaign:
    shared = (
        Observable.objects.filter(sightings__origin=origin)
        .filter(sightings__origin__in=others)
        .distinct()
    )
    ranked = sorted(shared, key=lambda o: (_LABEL_RANK.get(Kind(o.kind), 9), o.pk))
    label = ranked[0].display if ranked else "a shared identifier"
    return Campaign.objects.create(name=f"Approaches naming {label}"[:200])


@transaction.atomic
def update_campaign(
    *, campaign: Campaign, actor: User, status: str, owner: User | None, summary: str
) -> Campaign:
    """The security team's own account of a campaign: open or closed, who follows it, and what
    it is. A merged campaign stays merged."""
    if campaign.status == Campaign.Status.MERGED:
        raise AlertError("A merged campaign cannot be changed; change the one it joined.")
    if status not in (Campaign.Status.ACTIVE, Campaign.Status.CLOSED):
        raise AlertError("A campaign is active or closed.")
    if owner is not None and not SECURITY_TEAM(owner):
        raise AlertError("The owner must be in the security team.")
    changed = sorted(
        name
        for name, value in (("status", status), ("owner", owner), ("summary", summary))
        if getattr(campaign, name) != value
    )
    campaign.status, campaign.owner, campaign.summary = status, owner, summary
    campaign.save(update_fields=["status", "owner", "summary"])
    ledger.record(
        actor=actor,
        action="campaign.update",
        target=campaign,
        data={"changed": changed, "status": status},
    )
    return campaign


@transaction.atomic
def merge_campaigns(*, source: Campaign, target: Campaign, actor: User) -> Campaign:
    if source.pk == target.pk:
        raise AlertError("A campaign cannot be merged into itself.")
    moved = list(source.origins.values_list("label", flat=True))
    source.origins.update(campaign=target)
    source.alerts.update(campaign=target)
    source.status, source.merged_into = Campaign.Status.MERGED, target
    source.save(update_fields=["status", "merged_into"])
    ledger.record(
        actor=actor,
        action="campaign.merge",
        target=target,
        data={"from": str(source.public_id), "origins": moved},
    )
    return target


@transaction.atomic
def split_campaign(
    *, campaign: Campaign, origins: Sequence[Origin], name: str, actor: User
) -> Campaign:
    if not origins:
        raise AlertError("Choose the reports to move to the new campaign.")
    new = Campaign.objects.create(name=name[:200] or f"Split from {campaign.name}"[:200])
    campaign.origins.filter(pk__in=[o.pk for o in origins]).update(campaign=new)
    ledger.record(
        actor=actor,
        action="campaign.split",
        target=new,
        data={"from": str(campaign.public_id), "origins": [o.label for o in origins]},
    )
    return new


# --- alerts ------------------------------------------------------------------------------------


def problems(alert: Alert) -> list[str]:
    """What stops an alert being published as it stands."""
    found = []
    if alert.tlp == Tlp.RED and alert.audience != Alert.Audience.PEOPLE:
        found.append("A TLP:RED alert goes to named people only: choose 'Named people'.")
    if alert.tlp == Tlp.AMBER_STRICT and alert.audience == Alert.Audience.EVERYONE:
        found.append("TLP:AMBER+STRICT stays in one organisation: choose offices or parties.")
    needs = {
        Alert.Audience.OFFICES: (alert.offices, "Choose at least one office."),
        Alert.Audience.PARTIES: (alert.parties, "Choose at least one party."),
        Alert.Audience.PEOPLE: (alert.recipients, "Name at least one recipient."),
    }.get(Alert.Audience(alert.audience))
    if needs and not needs[0].exists():
        found.append(needs[1])
    if not alert.title.strip() or not alert.guidance.strip():
        found.append("An alert needs a title and guidance.")
    return found


def _next_reference() -> str:
    year = timezone.localdate().year
    prefix = f"A-{year}-"
    taken = Alert.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
    numbers = [int(r[len(prefix) :]) for r in taken if r[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:02d}"


def parse_indicator(item: IndicatorInput) -> tuple[Found, list[str]]:
    found = identify(item.kind, item.value)
    if found is None:
        raise AlertError(f"“{item.value[:80]}” is not a valid {Kind(item.kind).value} indicator.")
    aliases = [" ".join(a.split())[:200] for a in item.aliases if a.strip()]
    return found, aliases


def _set_indicators(alert: Alert, indicators: Sequence[IndicatorInput]) -> None:
    parsed = [parse_indicator(i) for i in indicators]
    alert.indicators.all().delete()
    seen = set()
    for found, aliases in parsed:
        observable = observable_for(found)
        if observable.pk in seen:
            continue
        seen.add(observable.pk)
        Indicator.objects.create(
            alert=alert,
            kind=found.kind,
            observable=observable,
            display=found.display[:500],
            aliases=aliases,
        )


def _apply(alert: Alert, data: AlertInput) -> None:
    alert.title, alert.summary, alert.guidance = data.title, data.summary, data.guidance
    alert.tlp, alert.audience = data.tlp, data.audience
    alert.severity, alert.review_on, alert.expires_on = (
        data.severity,
        data.review_on,
        data.expires_on,
    )
    alert.save()
    alert.offices.set(data.offices)
    alert.parties.set(data.parties)
    alert.recipients.set(data.recipients)
    _set_indicators(alert, data.indicators)


@transaction.atomic
def create_alert(
    *,
    data: AlertInput,
    actor: Actor,
    source: str = Alert.Source.MANUAL,
    campaign: Campaign | None = None,
    stix_id: str = "",
    origin: dict[str, Any] | None = None,
    reference: str = "",
) -> Alert:
    alert = Alert(
        reference=reference or _next_reference(),
        created_by=user_of(actor),
        source=source,
        campaign=campaign,
        stix_id=stix_id,
    )
    _apply(alert, data)
    ledger.record(
        actor=actor, action="alert.create", target=alert, data={"source": source, **(origin or {})}
    )
    return alert


@transaction.atomic
def update_alert(*, alert: Alert, data: AlertInput, actor: User) -> Alert:
    if alert.status == Alert.Status.WITHDRAWN:
        raise AlertError("A withdrawn alert cannot be changed.")
    _apply(alert, data)
    if alert.is_published:
        found = problems(alert)
        if found:
            raise AlertError(" ".join(found))
        _deliver(alert)
        _feed_screening(alert, actor)
    ledger.record(
        actor=actor,
        action="alert.update",
        target=alert,
        data={"tlp": alert.tlp, "severity": alert.severity},
    )
    return alert


@transaction.atomic
def publish_alert(*, alert: Alert, actor: User) -> Alert:
    if alert.status != Alert.Status.DRAFT:
        raise AlertError("Only a draft can be published.")
    found = problems(alert)
    if found:
        raise AlertError(" ".join(found))
    alert.status, alert.published_at = Alert.Status.PUBLISHED, timezone.now()
    alert.save(update_fields=["status", "published_at", "updated_at"])
    count = _deliver(alert)
    _feed_screening(alert, actor)
    ledger.record(
        actor=actor,
        action="alert.publish",
        target=alert,
        data={"tlp": alert.tlp, "audience": alert.audience, "notified": count},
    )
    return alert


@transaction.atomic
def withdraw_alert(*, alert: Alert, actor: User) -> Alert:
    alert.status = Alert.Status.WITHDRAWN
    alert.save(update_fields=["status", "updated_at"])
    _feed_screening(alert, actor)
    ledger.record(actor=actor, action="alert.withdraw", target=alert)
    return alert


# By name: the task module calls these services (the scheduler's expiry job).
NOTIFY_TASK = "portcullis.intel.tasks.notify_alert_audience"


def _deliver(alert: Alert) -> int:
    """Record a delivery for everyone in the audience not yet told, and e-mail them."""
    told = AlertDelivery.objects.filter(alert=alert).values("person_id")
    new = list(alert.audience_people().exclude(pk__in=told).values_list("pk", flat=True))
    now = timezone.now()
    AlertDelivery.objects.bulk_create(
        AlertDelivery(alert=alert, person_id=pk, notified_at=now) for pk in new
    )
    if new:
        enqueue_on_commit(NOTIFY_TASK, alert_id=alert.pk, person_ids=new)
    return len(new)


@transaction.atomic
def remind_unread(*, alert: Alert, actor: User) -> int:
    """E-mail again everyone told of a published alert who has not said they have read it."""
    if not alert.is_published:
        raise AlertError("Only a published alert can be sent as a reminder.")
    unread = AlertDelivery.objects.filter(alert=alert, acknowledged_at__isnull=True)
    people = list(unread.values_list("person_id", flat=True))
    if not people:
        raise AlertError("Everyone told has read this alert.")
    unread.update(notified_at=timezone.now())
    ledger.record(actor=actor, action="alert.remind", target=alert, data={"people": len(people)})
    enqueue_on_commit(NOTIFY_TASK, alert_id=alert.pk, person_ids=people)
    return len(people)


def _feed_screening(alert: Alert, actor: Actor) -> None:
    """The people and organisations of an alert in force are the screening index's "Security
    alerts" source, each entry carrying the alert's audience, so every later check (visitors,
    donors, e-mails, reports) meets them and a result shows an entry only to those the alert's
    TLP admits. Withdrawn or expired: removed (and an expired alert stamped `expired_at`)."""
    in_force = alert.is_in_force(timezone.localdate())
    expired_at = None if in_force or not alert.is_published else alert.expired_at or timezone.now()
    if expired_at != alert.expired_at:
        alert.expired_at = expired_at
        alert.save(update_fields=["expired_at"])
    names = alert.indicators.filter(kind__in=[Kind.PERSON, Kind.ORGANISATION])
    audience = alert.readers()
    entries = [
        WatchlistEntry(
            name=indicator.display,
            aliases=tuple(indicator.aliases),
            entity_type=indicator.kind,
            key=str(indicator.observable.public_id),
            audience=audience,
        )
        for indicator in names.select_related("observable")
    ]
    upsert_alert_watchlist_entries(
        alert_key=alert.reference, entries=entries if in_force else [], actor=actor
    )


def expire_alerts(*, actor: Actor) -> int:
    """Take every published alert past its expiry date out of screening, once each, with a
    ledger entry; matching already ignores it from the day after its expiry date. Returns how
    many were taken out."""
    today = timezone.localdate()
    due = Alert.objects.published().filter(expires_on__lt=today, expired_at__isnull=True)
    count = 0
    for alert_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            alert = Alert.objects.select_for_update().get(pk=alert_id)
            if alert.expired_at is not None or not alert.is_expired(today):
                continue
            _feed_screening(alert, actor)
            ledger.record(
                actor=actor,
                action="alert.expire",
                target=alert,
                data={"expires_on": alert.expires_on.isoformat() if alert.expires_on else None},
            )
            count += 1
    return count


@transaction.atomic
def acknowledge_alert(*, alert: Alert, actor: User) -> AlertDelivery:
    if actor.person is None:
        raise AlertError("Only people in the directory can acknowledge alerts.")
    delivery, _ = AlertDelivery.objects.get_or_create(alert=alert, person=actor.person)
    if delivery.acknowledged_at is None:
        delivery.acknowledged_at = timezone.now()
        delivery.save(update_fields=["acknowledged_at"])
        ledger.record(actor=actor, action="alert.acknowledge", target=alert)
    return delivery


def indicators_from_origins(origins: Iterable[Origin]) -> list[IndicatorInput]:
    """A starting set of indicators for an alert raised from a report or campaign."""
    items: list[IndicatorInput] = []
    sightings = Sighting.objects.filter(origin__in=list(origins)).exclude(field="alert match")
    for sighting in sightings.select_related("observable").order_by("origin_id", "pk"):
        observable = sighting.observable
        value = (
            observable.display
            if observable.kind in (Kind.PERSON, Kind.ORGANISATION)
            else (observable.value)
        )
        item = IndicatorInput(observable.kind, value)
        if item not in items:
            items.append(item)
    return items
