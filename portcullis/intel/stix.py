"""STIX 2.1 bundles for alerts and campaigns, and importing a bundle as a draft alert.

An alert becomes: the producing `identity`; a `report` (title, summary) that refers to all the
rest; a `course-of-action` (the guidance); a `threat-actor` per named person or organisation
(`resource_level` "individual" or "organization", with aliases); an `indicator` with a STIX
pattern per identifier; and, for readers whom the need-to-know rule lets read campaigns (the
security team), the `campaign` it belongs to and `sighting`s saying which offices saw which
indicator, and when. Every object carries the fixed OASIS TLP 2.0 marking of the alert. Ids
are UUIDv4-form but derived from our own ids, so exporting twice gives the same ids; every export
passes the OASIS validator in strict mode (a test runs it on each shape).

Importing, the tightest TLP marking of any object in the bundle wins, whichever platform wrote it
(OASIS TLP 2.0, STIX TLP 1.0, OpenCTI, MISP); a marking we cannot read refuses the import. Every
object that does not become part of the alert is listed back by type and name.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import stix2
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from portcullis.accounts.models import Office, Organisation, User
from portcullis.accounts.need_to_know import Sensitive, may_read

from .extract import Kind, identify
from .models import Alert, Campaign, Indicator, Observable, Sighting
from .services import AlertInput, IndicatorInput, create_alert
from .tlp import (
    MARKING_IDS,
    ORDER,
    TLP_BY_MARKING,
    Tlp,
    claims_tlp,
    level_of_label,
    marking_definition,
)

NAMESPACE = uuid.UUID("6d0f3b52-3c1e-4f0e-9a53-7e6f0c1b9a11")
# The producer identity is the same object in every export: same id, same timestamps.
PRODUCER_SINCE = datetime(2025, 1, 1, tzinfo=UTC)
MAX_BUNDLE_BYTES = 5 * 1024 * 1024
MAX_OBJECTS = 5_000

_PATTERN_TYPE = {
    Kind.EMAIL: ("email-addr", "value"),
    Kind.DOMAIN: ("domain-name", "value"),
    Kind.URL: ("url", "value"),
    Kind.PHONE: ("x-phone-number", "value"),  # STIX 2.1 has no phone-number object
    Kind.HANDLE: ("user-account", "account_login"),
}
_KIND_WORDS = {
    Kind.EMAIL: "E-mail address",
    Kind.DOMAIN: "Domain",
    Kind.URL: "URL",
    Kind.PHONE: "Phone number",
    Kind.HANDLE: "Social media handle",
}
_KIND_OF_PATTERN = {v: k for k, v in _PATTERN_TYPE.items()}
_SIMPLE_PATTERN = re.compile(r"^\[\s*([a-z0-9-]+):([a-z_]+)\s*=\s*'((?:[^'\\]|\\.){1,2000})'\s*\]$")


class StixError(ValueError):
    pass


def _id(kind: str, *parts: object) -> str:
    """A UUIDv4-form id (as STIX 2.1 asks of SDOs) derived from our own ids, so exporting twice
    gives the same ids: the name-based hash with the version 4 bits set."""
    digest = uuid.uuid5(NAMESPACE, "|".join(str(p) for p in parts)).bytes
    return f"{kind}--{uuid.UUID(bytes=digest, version=4)}"


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def _unquote(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value)


class _Builder:
    def __init__(self, tlp: str, when: datetime, about: str) -> None:
        self.tlp = Tlp(tlp)
        self.about = about  # what the indicators are for, in their descriptions
        self.when = when
        self.marking = MARKING_IDS[self.tlp]
        self.objects: dict[str, Any] = {}
        team = Organisation.objects.filter(kind=Organisation.Kind.SECURITY_TEAM).first()
        name = team.name if team else "Portcullis security team"
        self.producer = _id("identity", "producer", name)
        self.add(
            stix2.v21.Identity(
                id=self.producer,
                name=name,
                identity_class="organization",
                created=PRODUCER_SINCE,
                modified=PRODUCER_SINCE,
            )
        )

    def common(self) -> dict[str, Any]:
        return {
            "created": self.when,
            "modified": self.when,
            "created_by_ref": self.producer,
            "object_marking_refs": [self.marking],
        }

    def add(self, obj: Any) -> str:
        self.objects[obj.id] = obj
        return str(obj.id)

    def indicator(self, indicator: Indicator | Observable, seed: object, aliases: list[str]) -> str:
        kind = Kind(indicator.kind)
        value = (
            indicator.display
            if kind in (Kind.PERSON, Kind.ORGANISATION)
            else (
                indicator.observable.value if isinstance(indicator, Indicator) else indicator.value
            )
        )
        if kind in (Kind.PERSON, Kind.ORGANISATION):
            return self.add(
                stix2.v21.ThreatActor(
                    id=_id("threat-actor", seed, kind, value),
                    name=value,
                    aliases=aliases or None,
                    threat_actor_types=["spy"],
                    resource_level="individual" if kind == Kind.PERSON else "organization",
                    **self.common(),
                )
            )
        if kind == Kind.HANDLE:
            value = value.lstrip("@")
        object_type, prop = _PATTERN_TYPE[kind]
        return self.add(
            stix2.v21.Indicator(
                id=_id("indicator", seed, kind, value),
                name=f"{kind.value}: {value}",
                description=f"{_KIND_WORDS[kind]} {self.about}",
                pattern=f"[{object_type}:{prop} = '{_quote(value)}']",
                pattern_type="stix",
                valid_from=self.when,
                indicator_types=["attribution"],
                **self.common(),
            )
        )

    def office(self, office: Office) -> str:
        return self.add(
            stix2.v21.Identity(
                id=_id("identity", "office", office.public_id),
                name=office.name,
                identity_class="organization",
                sectors=["government-national"],
                **self.common(),
            )
        )

    def sightings(self, refs: dict[int, str]) -> None:
        """One sighting per observable that reports mention: where, how often, first and last."""
        rows = Sighting.objects.filter(observable_id__in=refs)
        grouped: dict[int, list[Sighting]] = defaultdict(list)
        for row in rows.select_related("office"):
            grouped[row.observable_id].append(row)
        for observable_id, seen in grouped.items():
            offices = {s.office.pk: s.office for s in seen if s.office}
            kwargs: dict[str, Any] = {}
            if offices:
                kwargs["where_sighted_refs"] = [self.office(o) for o in offices.values()]
            self.add(
                stix2.v21.Sighting(
                    id=_id("sighting", refs[observable_id], self.when.isoformat()),
                    sighting_of_ref=refs[observable_id],
                    count=len(seen),
                    first_seen=min(s.seen_at for s in seen),
                    last_seen=max(s.seen_at for s in seen),
                    **kwargs,
                    **self.common(),
                )
            )

    def bundle(self) -> dict[str, Any]:
        marking = stix2.v21.MarkingDefinition(**marking_definition(self.tlp))
        objects = [marking, *self.objects.values()]
        bundle = stix2.v21.Bundle(objects=objects, id=_id("bundle", *sorted(self.objects)))
        result: dict[str, Any] = json.loads(bundle.serialize())
        return result


def _campaign_sdo(builder: _Builder, campaign: Campaign) -> str:
    reports = list(campaign.origins.order_by("occurred_at"))
    kwargs: dict[str, Any] = {}
    if reports:
        kwargs["first_seen"] = reports[0].occurred_at
        kwargs["last_seen"] = reports[-1].occurred_at
    return builder.add(
        stix2.v21.Campaign(
            id=_id("campaign", campaign.public_id),
            name=campaign.name,
            description=campaign.summary or None,
            **kwargs,
            **builder.common(),
        )
    )


def export_alert(alert: Alert, *, reader: User | AnonymousUser) -> dict[str, Any]:
    """The alert as a STIX 2.1 bundle, as `reader` may read it: the campaign and its sightings
    (offices, the times of its reports) only for readers of campaigns."""
    knows_campaign = may_read(reader, Sensitive.CAMPAIGN)
    when = alert.published_at or alert.created_at or timezone.now()
    builder = _Builder(alert.tlp, when, f"named in alert {alert.reference}: {alert.title}")
    refs: dict[int, str] = {}
    actors: list[str] = []
    indicators: list[str] = []
    for indicator in alert.indicators.select_related("observable"):
        ref = builder.indicator(indicator, alert.public_id, list(indicator.aliases))
        refs[indicator.observable_id] = ref
        (actors if ref.startswith("threat-actor") else indicators).append(ref)
    guidance = builder.add(
        stix2.v21.CourseOfAction(
            id=_id("course-of-action", alert.public_id),
            name="Guidance",
            description=alert.guidance,
            **builder.common(),
        )
    )
    if alert.campaign and knows_campaign:
        campaign = _campaign_sdo(builder, alert.campaign)
        _relate(builder, campaign, indicators, actors)
    if knows_campaign:
        builder.sightings(refs)
    contents = [ref for ref in builder.objects if ref != builder.producer]
    builder.add(
        stix2.v21.Report(
            id=_id("report", alert.public_id),
            name=alert.title,
            description=alert.summary,
            published=when,
            report_types=["threat-actor"],
            object_refs=contents or [guidance],
            external_references=[{"source_name": "portcullis", "external_id": alert.reference}],
            **builder.common(),
        )
    )
    return builder.bundle()


def _relate(builder: _Builder, campaign: str, indicators: list[str], actors: list[str]) -> None:
    for ref in indicators:
        builder.add(
            stix2.v21.Relationship(
                id=_id("relationship", ref, "indicates", campaign),
                relationship_type="indicates",
                source_ref=ref,
                target_ref=campaign,
                **builder.common(),
            )
        )
    for ref in actors:
        builder.add(
            stix2.v21.Relationship(
                id=_id("relationship", campaign, "attributed-to", ref),
                relationship_type="attributed-to",
                source_ref=campaign,
                target_ref=ref,
                **builder.common(),
            )
        )


def export_campaign(campaign: Campaign) -> dict[str, Any]:
    """A campaign (security team only) at TLP:AMBER: the observables its reports share, where
    and when they were seen, and the campaign itself."""
    builder = _Builder(
        Tlp.AMBER, campaign.created_at, f"shared by the reports of campaign {campaign.name}"
    )
    campaign_ref = _campaign_sdo(builder, campaign)
    shared = (
        Observable.objects.filter(sightings__origin__campaign=campaign)
        .distinct()
        .order_by("kind", "value")
    )
    refs: dict[int, str] = {}
    actors: list[str] = []
    indicators: list[str] = []
    for observable in shared:
        ref = builder.indicator(observable, campaign.public_id, [])
        refs[observable.pk] = ref
        (actors if ref.startswith("threat-actor") else indicators).append(ref)
    _relate(builder, campaign_ref, indicators, actors)
    builder.sightings(refs)
    return builder.bundle()


# --- import ------------------------------------------------------------------------------------


def _marking_refs(objects: list[Any]) -> set[str]:
    refs = {str(m) for obj in objects for m in obj.get("object_marking_refs") or ()}
    for obj in objects:
        refs |= {str(g.get("marking_ref")) for g in obj.get("granular_markings") or ()}
    return refs - {"None"}


def _tightest(refs: set[str], definitions: dict[str, dict[str, Any]]) -> Tlp:
    """The tightest TLP any object in the bundle carries or the bundle defines: a GREEN report
    holding RED indicators is RED. A marking we cannot read as TLP or not-TLP refuses the
    import: guessing could loosen it. Markings that are not TLP (statements, PAP) say nothing
    about who may read."""
    levels: list[Tlp] = []
    for ref in sorted(refs):
        definition = definitions.get(ref)
        claims = claims_tlp(definition) if definition else []
        known = TLP_BY_MARKING.get(ref)
        if known is None and definition is None:
            raise StixError(
                f"Objects are marked {ref}, which the bundle does not define and which is not a "
                "TLP marking Portcullis knows. Ask the sender for its TLP level and mark the "
                "bundle with it."
            )
        for claim in claims:
            level = level_of_label(claim)
            if level is None:
                name = (definition or {}).get("name") or ref
                raise StixError(f"The marking {name} is not a TLP 2.0 level (CLEAR to RED).")
            levels.append(level)
        if known is not None:
            levels.append(known)
    # Unmarked intelligence is not ours to spread: treat it as AMBER.
    return max(levels, key=ORDER.index) if levels else Tlp.AMBER


def parse_bundle(data: bytes) -> tuple[AlertInput, str, list[str]]:
    """Read a bundle into an alert. Returns the alert, the report's STIX id, and every object
    that did not become part of it (by type and name) so the security officer can check it."""
    if len(data) > MAX_BUNDLE_BYTES:
        raise StixError("The bundle is larger than 5 MB.")
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StixError(f"This is not a JSON file: {exc}") from exc
    if not isinstance(raw, dict) or raw.get("type") != "bundle":
        raise StixError("This is not a STIX bundle (its type is not 'bundle').")
    objects = raw.get("objects") or []
    if not isinstance(objects, list) or len(objects) > MAX_OBJECTS:
        raise StixError(f"The bundle's objects must be a list of at most {MAX_OBJECTS}.")
    # Marking definitions are read here, not by stix2, which refuses other platforms' TLP
    # definitions (OpenCTI's AMBER+STRICT) that we must recognise, not drop.
    definitions = {
        str(o.get("id")): o
        for o in objects
        if isinstance(o, dict) and o.get("type") == "marking-definition"
    }
    rest = [
        o for o in objects if not (isinstance(o, dict) and o.get("type") == "marking-definition")
    ]
    try:
        bundle = stix2.parse({**raw, "objects": rest}, allow_custom=True, version="2.1")
    except Exception as exc:  # stix2 raises many exception types for invalid content
        raise StixError(f"The bundle is not valid STIX 2.1: {exc}") from exc
    parsed = list(bundle.get("objects") or [])
    for obj in parsed:
        if not isinstance(obj.get("id"), str):
            raise StixError(f"Every object in a bundle needs an id: a {obj['type']} has none.")
    # A TLP definition in the bundle counts even if nothing refers to it: never loosen.
    refs = _marking_refs([*parsed, *definitions.values()]) | set(definitions)
    tlp = _tightest(refs, definitions)
    return _read(parsed, tlp)


def _label(obj: Any, names: dict[str, str]) -> str:
    """An object as the importer reads it in the list of what was not imported."""
    if obj["type"] == "relationship":
        source = names.get(obj["source_ref"], obj["source_ref"])
        target = names.get(obj["target_ref"], obj["target_ref"])
        return f"relationship {source} {obj['relationship_type']} {target}"
    if obj["type"] == "sighting":
        return f"sighting of {names.get(obj['sighting_of_ref'], obj['sighting_of_ref'])}"
    return names[obj["id"]]


def _name(obj: Any) -> str:
    for prop in ("name", "value", "display_name", "user_id", "path", "abstract"):
        if obj.get(prop):
            return f"{obj['type']} “{str(obj[prop])[:100]}”"
    return str(obj["id"])


def _read(objects: list[Any], tlp: Tlp) -> tuple[AlertInput, str, list[str]]:
    by_type: dict[str, list[Any]] = defaultdict(list)
    for obj in objects:
        by_type[obj["type"]].append(obj)
    # A MISP event arrives as a report or a grouping named with the event's title.
    container = next(iter(by_type.get("report", []) + by_type.get("grouping", [])), None)
    campaign = None if container else next(iter(by_type.get("campaign", [])), None)
    source = container or campaign
    indicators, used, reasons = _indicators(by_type)
    courses = by_type.get("course-of-action", [])
    used |= {c["id"] for c in courses} | ({source["id"]} if source else set())
    # The producer of what we took, and relationships among what we took, are implied by it.
    used |= {o["created_by_ref"] for o in objects if o["id"] in used and "created_by_ref" in o}
    used |= {
        r["id"]
        for r in by_type.get("relationship", [])
        if r["source_ref"] in used and r["target_ref"] in used
    }
    names = {obj["id"]: _name(obj) for obj in objects}
    skipped = [
        _label(obj, names) + (f": {reasons[obj['id']]}" if obj["id"] in reasons else "")
        for obj in objects
        if obj["id"] not in used
    ]
    audience = {
        Tlp.RED: Alert.Audience.PEOPLE,
        Tlp.AMBER_STRICT: Alert.Audience.OFFICES,
    }.get(tlp, Alert.Audience.EVERYONE)
    data = AlertInput(
        title=str(_title(source, objects))[:200],
        summary=str((source or {}).get("description") or "")[:5000],
        guidance="\n\n".join(c.get("description", "") for c in courses)[:5000],
        tlp=tlp,
        audience=audience,
        indicators=indicators,
    )
    return data, str(container["id"]) if container else "", skipped


def _indicators(
    by_type: dict[str, list[Any]],
) -> tuple[list[IndicatorInput], set[str], dict[str, str]]:
    """Threat actors and indicators as alert indicators; the ids taken, and why others were not."""
    found: list[tuple[Any, IndicatorInput | None]] = [
        (a, _actor(a)) for a in by_type.get("threat-actor", [])
    ]
    found += [(i, _pattern(i)) for i in by_type.get("indicator", [])]
    items: list[IndicatorInput] = []
    used: set[str] = set()
    reasons: dict[str, str] = {}
    for obj, item in found:
        if item is None:
            reasons[obj["id"]] = f"pattern not understood: {obj['pattern'][:100]}"
        elif not identify(item.kind, item.value):
            words = _KIND_WORDS.get(Kind(item.kind), "name")
            words = words if words.isupper() else words.lower()
            reasons[obj["id"]] = f"{item.value[:100]} is not a valid {words}"
        else:
            items.append(item)
            used.add(obj["id"])
    return items, used, reasons


def _title(source: Any, objects: list[Any]) -> str:
    """The report's, grouping's (MISP event's) or campaign's name; else what the bundle names."""
    if source is not None and source.get("name"):
        return str(source["name"])
    named = [str(o["name"]) for o in objects if o.get("name") and o["type"] != "identity"]
    if named:
        return f"STIX bundle: {', '.join(named[:3])}" + (" …" if len(named) > 3 else "")
    producers = [str(o["name"]) for o in objects if o["type"] == "identity" and o.get("name")]
    return f"STIX bundle from {producers[0]}" if producers else "STIX bundle with no names"


def _actor(obj: Any) -> IndicatorInput:
    kind = Kind.ORGANISATION if obj.get("resource_level") == "organization" else Kind.PERSON
    return IndicatorInput(kind, str(obj["name"])[:500], tuple(obj.get("aliases") or ()))


def _pattern(obj: Any) -> IndicatorInput | None:
    if obj.get("pattern_type") != "stix":
        return None
    match = _SIMPLE_PATTERN.match(obj["pattern"].strip())
    if not match:
        return None
    kind = _KIND_OF_PATTERN.get((match.group(1), match.group(2)))
    if kind is None:
        return None
    value = _unquote(match.group(3))
    return IndicatorInput(kind, "@" + value if kind == Kind.HANDLE else value)


MAX_SKIPPED_RECORDED = 200


def import_alert(*, data: bytes, actor: Any) -> tuple[Alert, list[str]]:
    """A bundle becomes a draft alert for a security officer to check, address and publish."""
    alert_input, stix_id, skipped = parse_bundle(data)
    alert = create_alert(
        data=alert_input,
        actor=actor,
        source=Alert.Source.STIX,
        stix_id=stix_id,
        origin={"stix_id": stix_id, "skipped": skipped[:MAX_SKIPPED_RECORDED]},
    )
    return alert, skipped
