"""The one entry point: screen a subject against an index, explained."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from .algorithms import DEFAULT_ALGORITHM, Feature, get_algorithm, prepare_subject
from .index import NameIndex, Where
from .model import Entity, Subject

DEFAULT_CANDIDATES = 25


class ScreeningTimeoutError(Exception):
    """Screening one subject ran past its `deadline`; no partial result is given."""


@dataclass(frozen=True, slots=True)
class Match:
    """One scored candidate. `is_match` is `score >= threshold` for the stored threshold."""

    entity: Entity
    score: float
    threshold: float
    algorithm: str
    features: tuple[Feature, ...]
    matched_names: tuple[str, str]  # (subject name, entity name) that aligned best
    retrieval_score: float
    position: int = -1  # the entity's place in the index it came from (`index.payload(position)`)

    @property
    def is_match(self) -> bool:
        return self.score >= self.threshold

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form for APIs and the command line."""
        return {
            "entity_id": self.entity.entity_id,
            "source": self.entity.source,
            "caption": self.entity.caption,
            "score": round(self.score, 4),
            "threshold": self.threshold,
            "match": self.is_match,
            "algorithm": self.algorithm,
            "matched_names": list(self.matched_names),
            "features": [
                {
                    "name": f.name,
                    "value": round(f.value, 4),
                    "contribution": round(f.contribution, 4),
                    "explanation": f.explanation,
                }
                for f in self.features
            ],
        }


def screen(
    index: NameIndex,
    subject: Subject,
    algorithm: str = DEFAULT_ALGORITHM,
    threshold: float | None = None,
    limit: int = 10,
    candidates: int = DEFAULT_CANDIDATES,
    min_score: float | None = None,
    deadline: float | None = None,
    where: Where | None = None,
) -> list[Match]:
    """Results for `subject`, best first, each marked a match at `threshold` or not.

    `threshold=None` uses the algorithm's default. Only results scoring at least
    `min_score` (default: the threshold) are returned; `min_score=0.0` shows near
    misses. `candidates` bounds how many entities are retrieved and scored. Past `deadline`
    (a `time.monotonic()` value) it raises `ScreeningTimeoutError` rather than miss a match quietly.
    `where(source, audience)` keeps only the entities it accepts (one source; what the asker may
    see), before the limit, so a hidden entity never takes a visible one's place.
    """
    scorer = get_algorithm(algorithm)
    decision = scorer.threshold if threshold is None else threshold
    cutoff = decision if min_score is None else min_score
    prepared = prepare_subject(subject)
    found: list[Match] = []
    for candidate in index.candidates(prepared, limit=candidates, where=where):
        if deadline is not None and time.monotonic() >= deadline:
            raise ScreeningTimeoutError
        entity = index.entity(candidate.position)
        result = scorer.score_prepared(
            prepared, index.prepared(candidate.position, candidate.name_ids, entity)
        )
        if result.score >= cutoff:
            found.append(
                Match(
                    entity=entity,
                    score=result.score,
                    threshold=decision,
                    algorithm=scorer.name,
                    features=result.features,
                    matched_names=result.matched_names,
                    retrieval_score=candidate.retrieval_score,
                    position=candidate.position,
                )
            )
    found.sort(key=lambda m: (-m.score, m.entity.entity_id))
    return found[:limit]


def screen_many(
    index: NameIndex,
    subjects: Iterable[Subject],
    algorithm: str = DEFAULT_ALGORITHM,
    threshold: float | None = None,
    limit: int = 10,
) -> list[list[Match]]:
    """Batch form of `screen`; one result list per subject, in input order."""
    return [screen(index, s, algorithm, threshold, limit) for s in subjects]
