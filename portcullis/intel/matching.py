"""Match what a report names against the indicators of published alerts.

Identifiers (e-mail, domain, URL, phone, handle) match exactly on their canonical form. Names of
people and organisations go through the screening engine, so `QIU Amanda`, `Amanda Qiu` and
`邱 Amanda` all find the alert about Amanda Qiu.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from portcullis.screening.matching import Entity, EntityType, NameIndex, Subject, screen

from .extract import NAME_KINDS, Found, Kind, is_cjk
from .models import Alert, Indicator

# The engine's own threshold is tuned for screening with a human decision after it; a report
# tells a staffer "this is the person in the alert" at once, so we ask for more: `Amanda Smith`
# (0.42) must not match Amanda Qiu, `Amanda Q.` (0.96) and `Shirley Shen` (0.97) must.
NAME_THRESHOLD = 0.7
_cache: dict[str, object] = {}


@dataclass(frozen=True)
class Hit:
    indicator: Indicator
    how: str  # "exact" or "name"
    score: float
    matched_text: str


def _index() -> tuple[NameIndex, dict[str, Indicator]]:
    indicators = list(
        Indicator.objects.filter(alert__status=Alert.Status.PUBLISHED, kind__in=NAME_KINDS)
        .select_related("alert")
        .order_by("pk")
    )
    version = tuple((i.pk, i.alert.updated_at.isoformat(), *i.names) for i in indicators)
    if _cache.get("version") != version:
        entities = [
            Entity(
                entity_id=str(i.pk),
                source="alerts",
                names=tuple(i.names),
                entity_type=EntityType.PERSON if i.kind == Kind.PERSON else EntityType.ORGANISATION,
            )
            for i in indicators
        ]
        _cache.update(
            version=version,
            index=NameIndex.build(entities),
            by_id={str(i.pk): i for i in indicators},
        )
    return _cache["index"], _cache["by_id"]  # type: ignore[return-value]


def _worth_screening(name: str) -> bool:
    # One Latin word ("Amanda") is too little to tell anyone "this is the person in the alert".
    return len(name.split()) >= 2 or any(is_cjk(c) for c in name)


def match_names(names: Iterable[str], organisations: Iterable[str] = ()) -> list[Hit]:
    """`names` need two words or CJK script to be screened; `organisations` (a field that says
    it holds an organisation's name, like `InternshipUnion`) are screened even as one word."""
    index, by_id = _index()
    if not by_id:
        return []
    best: dict[int, Hit] = {}
    subjects = [Subject(name=n) for n in names if _worth_screening(n)]
    subjects += [Subject(name=o, entity_type=EntityType.ORGANISATION) for o in organisations]
    for subject in subjects:
        name = subject.name
        for match in screen(index, subject, min_score=NAME_THRESHOLD, limit=5):
            indicator = by_id[match.entity.entity_id]
            if (
                subject.entity_type == EntityType.ORGANISATION
                and indicator.kind != Kind.ORGANISATION
            ):
                continue
            if indicator.pk not in best or best[indicator.pk].score < match.score:
                best[indicator.pk] = Hit(indicator, "name", match.score, name[:500])
    return list(best.values())


def match_identifiers(found: Iterable[Found]) -> list[Hit]:
    hits = []
    for item in found:
        if item.kind in NAME_KINDS:
            continue
        for indicator in Indicator.objects.filter(
            alert__status=Alert.Status.PUBLISHED,
            observable__kind=item.kind,
            observable__value=item.value,
        ).select_related("alert"):
            hits.append(Hit(indicator, "exact", 1.0, item.display[:500]))
    return hits


def match_report(
    found: Iterable[Found], names: Iterable[str], organisations: Iterable[str] = ()
) -> list[Hit]:
    """Every alert indicator the report's identifiers or names match, best first."""
    found = list(found)
    hits = {h.indicator.pk: h for h in match_names(names, organisations)}
    for hit in match_identifiers(found):
        hits[hit.indicator.pk] = hit
    return sorted(hits.values(), key=lambda h: (-h.score, h.indicator.pk))
