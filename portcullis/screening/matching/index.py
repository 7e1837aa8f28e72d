"""Candidate retrieval: a compact inverted index over name keys.

Every name of every entity is reduced to *keys*: its tokens, two adjacent
short tokens joined (`an`+`da` -> `anda`, so `邱安达` meets `Qiu Anda`), and
the Metaphone key of each token (`Muhammad` meets `Mohammed`). Postings are
numpy arrays in one CSR block, so a million names cost tens of megabytes
rather than gigabytes of Python lists.

A query scores names by the summed inverse document frequency of the keys
they share, then keeps the best `limit` *entities*. Keys held by more than
`common_share` of all names (`mohammed`, `ali`, `llc`) are not used for
retrieval when the query has a rarer key; when it has none, the names
sharing its two rarest keys are intersected. Either way the work per query
is bounded. Scoring then happens in `algorithms`, on far fewer candidates.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .algorithms import Prepared, prepare_entity
from .model import Entity
from .normalise import (
    MAX_JOINED_PART,
    NameForm,
    load_reference_data,
    normalise_name,
    phonetic_key,
)

PHONETIC_WEIGHT = 0.6  # a sound-alike key is weaker evidence than the token itself
DEFAULT_COMMON_SHARE = 0.01
MIN_COMMON_POSTINGS = 2_000  # small lists never treat a key as "common"
# Entities with dozens of aliases: score only the few names retrieval ranked best.
NAMES_PER_CANDIDATE = 3


def name_keys(form: NameForm) -> list[tuple[str, float]]:
    """Index keys of one name with their relative weight."""
    keys = [(token, 1.0) for token in form.tokens]
    tokens = form.tokens
    for i in range(len(tokens) - 1):
        if min(len(tokens[i]), len(tokens[i + 1])) <= MAX_JOINED_PART:
            keys.append((tokens[i] + tokens[i + 1], 1.0))
    keys += [("~" + key, PHONETIC_WEIGHT) for key in form.phonetic if len(key) > 1]
    return keys


def _stored_form(raw: str, text: str) -> NameForm:
    tokens = tuple(text.lstrip("\x01").split())
    phonetic = tuple(phonetic_key(t) for t in tokens)
    return NameForm(raw, tokens, phonetic, legal_forms=(), abjad=text.startswith("\x01"))


@dataclass(frozen=True, slots=True)
class Candidate:
    position: int  # index into NameIndex.entities
    retrieval_score: float  # share of the query's key weight this entity holds
    name_ids: tuple[int, ...]  # its best-retrieved names, which scoring compares


class NameIndex:
    """An immutable index over entities; build a new one when a list changes."""

    def __init__(
        self,
        entities: Sequence[Entity],
        keys: dict[str, int],
        offsets: np.ndarray,
        postings: np.ndarray,
        name_entity: np.ndarray,
        name_tokens: list[str],
        common_share: float,
    ) -> None:
        self.entities = entities
        # Each name's normalised tokens, kept as one short string so scoring never
        # re-runs ICU transliteration for a candidate ("\x01" marks abjad script).
        self._name_tokens = name_tokens
        self._entity_names = np.searchsorted(name_entity, np.arange(len(entities) + 1))
        self._keys = keys
        self._offsets = offsets
        self._posting_data = postings
        self._name_entity = name_entity
        self._cap = max(MIN_COMMON_POSTINGS, int(len(name_entity) * common_share))

    @classmethod
    def build(
        cls, entities: Iterable[Entity], *, common_share: float = DEFAULT_COMMON_SHARE
    ) -> NameIndex:
        """Normalise every name once and lay the postings out as CSR arrays."""
        load_reference_data()  # read the romanisation libraries now, not on the first query
        entity_list = list(entities)
        keys: dict[str, int] = {}
        key_col, name_col, name_entity = array("I"), array("I"), array("I")
        name_tokens: list[str] = []
        for position, entity in enumerate(entity_list):
            for raw in dict.fromkeys(entity.names):
                form = normalise_name(raw, entity.entity_type)
                name_id = len(name_entity)
                name_entity.append(position)
                name_tokens.append(("\x01" if form.abjad else "") + " ".join(form.tokens))
                for key, _ in name_keys(form):
                    key_col.append(keys.setdefault(key, len(keys)))
                    name_col.append(name_id)
        columns = (key_col, name_col, name_entity)
        return cls._from_columns(entity_list, keys, columns, name_tokens, common_share)

    @classmethod
    def _from_columns(
        cls,
        entities: list[Entity],
        keys: dict[str, int],
        columns: tuple[array[int], array[int], array[int]],
        name_tokens: list[str],
        common_share: float,
    ) -> NameIndex:
        key_col, name_col, name_entity = columns
        # One int64 per (key, name) sorts and de-duplicates postings in a single pass.
        pairs = np.unique((np.frombuffer(key_col, np.uint32).astype(np.int64) << 32) | name_col)
        postings = (pairs & 0xFFFFFFFF).astype(np.uint32)
        counts = np.bincount((pairs >> 32).astype(np.int64), minlength=len(keys))
        offsets = np.zeros(len(keys) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        entity_of_name = np.frombuffer(name_entity, np.uint32).copy()
        return cls(entities, keys, offsets, postings, entity_of_name, name_tokens, common_share)

    def prepared(self, position: int, name_ids: Iterable[int] | None = None) -> Prepared:
        """The entity at `position`, ready to score, from the forms stored at build time.

        `name_ids` (from a `Candidate`) limits it to those names; default all of them.
        """
        entity = self.entities[position]
        first, last = int(self._entity_names[position]), int(self._entity_names[position + 1])
        raws = list(dict.fromkeys(entity.names))
        chosen = range(first, last) if name_ids is None else sorted(name_ids)
        forms = tuple(
            _stored_form(raws[name_id - first], self._name_tokens[name_id])
            for name_id in chosen
            if self._name_tokens[name_id].strip("\x01")
        )
        return prepare_entity(entity, forms)

    def __len__(self) -> int:
        return len(self.entities)

    @property
    def name_count(self) -> int:
        return len(self._name_entity)

    def _postings(self, key_id: int) -> np.ndarray:
        return self._posting_data[self._offsets[key_id] : self._offsets[key_id + 1]]

    def _query_keys(self, names: Iterable[NameForm]) -> dict[int, float]:
        """Known keys of the query with IDF weights (the best weight if repeated)."""
        total = max(self.name_count, 1)
        weights: dict[int, float] = {}
        for form in names:
            for key, factor in name_keys(form):
                key_id = self._keys.get(key)
                if key_id is None:
                    continue
                df = int(self._offsets[key_id + 1] - self._offsets[key_id])
                weight = factor * math.log(1 + total / df)
                weights[key_id] = max(weight, weights.get(key_id, 0.0))
        return weights

    def candidates(
        self, subject: Prepared, limit: int = 50, keep: Callable[[int], bool] | None = None
    ) -> list[Candidate]:
        """The `limit` entities sharing the most (rare) name keys with the subject; with `keep`,
        only entities (by position) it accepts."""
        weights = self._query_keys(subject.names)
        if not weights:
            return []
        name_ids, name_scores = self._score_names(weights)
        if keep is not None and len(name_ids):
            positions = self._name_entity[name_ids].tolist()
            mask = np.fromiter((keep(int(p)) for p in positions), bool, len(positions))
            name_ids, name_scores = name_ids[mask], name_scores[mask]
        return self._top_entities(name_ids, name_scores / sum(weights.values()), limit)

    def _score_names(self, weights: dict[int, float]) -> tuple[np.ndarray, np.ndarray]:
        rare = {k: w for k, w in weights.items() if self._df(k) <= self._cap}
        if not rare:
            return self._common_only(weights)
        lists = [self._postings(k) for k in rare]
        ids = np.concatenate(lists)
        per_posting = np.repeat(np.fromiter(rare.values(), float), [len(x) for x in lists])
        unique, inverse = np.unique(ids, return_inverse=True)
        return unique, np.bincount(inverse, weights=per_posting)

    def _common_only(self, weights: dict[int, float]) -> tuple[np.ndarray, np.ndarray]:
        # Every key is common ("Mohammed Ali"): names holding the two rarest keys at once.
        ranked = sorted(weights, key=self._df)[:2]
        ids = self._postings(ranked[0])
        if len(ranked) == 2:
            ids = np.intersect1d(ids, self._postings(ranked[1]), assume_unique=True)
        ids = ids[: self._cap]
        score = sum(weights[k] for k in ranked)
        return ids, np.full(len(ids), score)

    def _df(self, key_id: int) -> int:
        return int(self._offsets[key_id + 1] - self._offsets[key_id])

    def _top_entities(
        self, name_ids: np.ndarray, scores: np.ndarray, limit: int
    ) -> list[Candidate]:
        if len(name_ids) > limit * 4:
            # Several names may belong to one entity: keep headroom before de-duplicating.
            keep = np.argpartition(-scores, limit * 4)[: limit * 4]
            name_ids, scores = name_ids[keep], scores[keep]
        order = np.argsort(-scores, kind="stable")
        found: dict[int, tuple[float, list[int]]] = {}
        for name_id, score in zip(name_ids[order].tolist(), scores[order].tolist(), strict=True):
            position = int(self._name_entity[name_id])
            if position in found:
                if len(found[position][1]) < NAMES_PER_CANDIDATE:
                    found[position][1].append(name_id)
            elif len(found) < limit:
                found[position] = (score, [name_id])
        return [
            Candidate(position, round(min(score, 1.0), 4), tuple(ids))
            for position, (score, ids) in found.items()
        ]
