"""Candidate retrieval: a compact inverted index over name keys, one copy shared by processes.

Every name of every entity is reduced to *keys*: its tokens, two adjacent
short tokens joined (`an`+`da` -> `anda`, so `邱安达` meets `Qiu Anda`), and
the Metaphone key of each token (`Muhammad` meets `Mohammed`).

A query scores names by the summed inverse document frequency of the keys
they share, then keeps the best `limit` *entities*. Keys held by more than
`common_share` of all names (`mohammed`, `ali`, `llc`) are not used for
retrieval when the query has a rarer key; when it has none, the names
sharing its two rarest keys are intersected. Either way the work per query
is bounded. Scoring then happens in `algorithms`, on far fewer candidates.

Everything the index holds is a flat numpy array, so `save` writes it to a directory and
`load` maps it read-only (`mmap_mode="r"`): every process on a machine shares one copy in the
page cache, a process reads only the pages its queries touch, and opening an index costs
milliseconds whatever its size. Nothing is kept as Python objects per name or per entity:

    key_hash      uint64[K]    a 64-bit hash of each key, ascending (keys are found by bisection)
    key_start     int64[K+1]   postings of key k: postings[key_start[k]:key_start[k+1]]
    postings      uint32[P]    name ids, ascending within a key
    name_entity   uint32[N]    the entity position of each name
    name_start    int64[N+1]   name n's normalised tokens: name_text[name_start[n]:name_start[n+1]]
    name_text     uint8[..]    UTF-8, tokens joined by spaces ("\\x01" first: abjad script)
    entity_names  int64[E+1]   entity e's names are name ids entity_names[e]:entity_names[e+1]
    entity_start  int64[E+1]   entity e's fields as JSON: entity_data[entity_start[e]:...]
    entity_data   uint8[..]
    entity_group  uint32[E]    its (source, audience) in meta.json's "groups"

`meta.json` also carries the Chinese surname table, rigour's territory names, the translation
tables and WordNet's words as the index was built with them, so a process that only loads an
index never spends seconds building them.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from hashlib import blake2b
from importlib import metadata
from pathlib import Path
from typing import Any, overload

import numpy as np

from portcullis.lib.audience import Audience

from .algorithms import Prepared, prepare_entity
from .compare import initials, load_reference_data
from .model import Entity, EntityType, Identifier
from .normalise import (
    MAX_JOINED_PART,
    NameForm,
    adopt_territory_table,
    compound_words,
    english_respellings,
    normalise_name,
    phonetic_key,
    territory_table,
    warm_up,
)
from .romanise import adopt_surname_table, arabic_compound, somali_reading, surname_table
from .translate import (
    adopt_lexicon,
    adopt_translation_tables,
    dictionary_files,
    english_senses,
    saved_lexicon,
    saved_tables,
)

PHONETIC_WEIGHT = 0.6  # a sound-alike key is weaker evidence than the token itself
DEFAULT_COMMON_SHARE = 0.01
MIN_COMMON_POSTINGS = 2_000  # small lists never treat a key as "common"
# Entities with dozens of aliases: score only the few names retrieval ranked best.
NAMES_PER_CANDIDATE = 3
FORMAT = 1  # of the files `save` writes; `load` refuses any other
ARRAYS = (
    "key_hash",
    "key_start",
    "postings",
    "name_entity",
    "name_start",
    "name_text",
    "entity_names",
    "entity_start",
    "entity_data",
    "entity_group",
)

# `where(source, audience)`: whether entries of that source and audience may be returned.
Where = Callable[[str, Audience | None], bool]


# What an index's content depends on besides the lists: a saved index made by other code or
# other library versions is never opened (`code_version`).
NORMALISING_LIBRARIES = (
    "rigour",
    "normality",
    "PyICU",
    "pypinyin",
    "cantonese-romanisation",
    "taibun",
    "Faker",
)


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of this package's source, the file format and the normalising libraries'
    versions: save an index under a name that includes it, and a changed matcher builds anew."""
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for dictionary in dictionary_files():
        digest.update(dictionary.encode())
    for library in NORMALISING_LIBRARIES:
        try:
            digest.update(f"{library} {metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library} -".encode())
    return digest.hexdigest()[:16]


def name_keys(form: NameForm) -> list[tuple[str, float]]:
    """Index keys of one name with their relative weight."""
    keys = [(token, 1.0) for token in form.tokens]
    tokens = form.tokens
    for i in range(len(tokens) - 1):
        if min(len(tokens[i]), len(tokens[i + 1])) <= MAX_JOINED_PART:
            keys.append((tokens[i] + tokens[i + 1], 1.0))
    keys += [("~" + key, PHONETIC_WEIGHT) for key in form.phonetic if len(key) > 1]
    # A compound given name by its elements (`khairuddin`, `khayr al din` -> `+xr+dn`), not by
    # its second element alone (`eddine`: every X al-Din).
    for text in compound_words(tokens):
        key = "+" + arabic_compound(text)
        if key[1] != "+" and (key, 1.0) not in keys:
            keys.append((key, 1.0))
    return keys


# A query token respelt from German or French into English-language Russian (`Schtschukin` ->
# `shchukin`): list names are indexed as the lists write them, so the query carries the
# spelling they would use (only the query: the index stays as it is).
RESPELT_WEIGHT = 0.8


def query_keys(form: NameForm) -> list[tuple[str, float]]:
    """`name_keys` of a query name, and its tokens as English-language lists spell Russian and
    as Arabic romanisations write Somali spelling (`xasan` is looked up as `hasan`)."""
    keys = name_keys(form)
    for token in form.tokens:
        spellings = list(english_respellings(token))
        somali = somali_reading(token)
        if somali != token and somali not in spellings:
            spellings.append(somali)
        for spelling in spellings:
            keys.append((spelling, RESPELT_WEIGHT))
            keys.append(("~" + phonetic_key(spelling), RESPELT_WEIGHT * PHONETIC_WEIGHT))
    return keys


# An organisation's words in English (`ejercito` -> `army`), indexed and looked up beside the
# words themselves, so that `Ejército de Liberación Nacional` and `National Liberation Army` find
# each other whichever of them is on the list.
TRANSLATED_WEIGHT = 0.8


def translation_keys(form: NameForm) -> list[str]:
    """An organisation name's words in English, and its acronyms (`irgc`), which the acronym
    itself, a one-word name, holds as its token."""
    senses = [sense for token in form.tokens for sense in sorted(english_senses(token))]
    return senses + initials(form.tokens)


def key_hash(key: str) -> int:
    """Stable across processes and runs (Python's `hash` is salted per process)."""
    return int.from_bytes(blake2b(key.encode(), digest_size=8).digest(), "little")


def _stored_form(raw: str, text: str) -> NameForm:
    tokens = tuple(text.lstrip("\x01").split())
    phonetic = tuple(phonetic_key(t) for t in tokens)
    return NameForm(raw, tokens, phonetic, legal_forms=(), abjad=text.startswith("\x01"))


def _encode_entity(entity: Entity, payload: object) -> bytes:
    fields = [
        entity.entity_id,
        list(entity.names),
        entity.entity_type.value,
        list(entity.birth_dates),
        list(entity.countries),
        [[i.value, i.kind] for i in entity.identifiers],
        list(entity.topics),
        [list(n) for n in entity.notes],
        payload,
    ]
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()


def _group_key(entity: Entity) -> tuple[str, str | None]:
    audience = entity.audience
    data = None if audience is None else json.dumps(audience.as_data(), sort_keys=True)
    return entity.source, data


@dataclass(frozen=True, slots=True)
class Candidate:
    position: int  # index into NameIndex.entities
    retrieval_score: float  # share of the query's key weight this entity holds
    name_ids: tuple[int, ...]  # its best-retrieved names, which scoring compares


class Entities(Sequence[Entity]):
    """`index.entities[position]`: each entity decoded from the index's arrays when asked for."""

    def __init__(self, index: NameIndex) -> None:
        self._index = index

    def __len__(self) -> int:
        return len(self._index._entity_group)

    @overload
    def __getitem__(self, position: int) -> Entity: ...
    @overload
    def __getitem__(self, position: slice) -> Sequence[Entity]: ...
    def __getitem__(self, position: int | slice) -> Entity | Sequence[Entity]:
        if isinstance(position, slice):
            return [self[i] for i in range(*position.indices(len(self)))]
        return self._index.entity(position)

    def __iter__(self) -> Iterator[Entity]:
        return (self._index.entity(i) for i in range(len(self)))


class NameIndex:
    """An immutable index over entities; build (and save) a new one when a list changes."""

    def __init__(self, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
        self._key_hash = arrays["key_hash"]
        self._key_start = arrays["key_start"]
        self._posting_data = arrays["postings"]
        self._name_entity = arrays["name_entity"]
        self._name_start = arrays["name_start"]
        self._name_text = arrays["name_text"]
        self._entity_names = arrays["entity_names"]
        self._entity_start = arrays["entity_start"]
        self._entity_data = arrays["entity_data"]
        self._entity_group = arrays["entity_group"]
        self._arrays = arrays
        self._meta = meta
        self._groups: list[tuple[str, Audience | None]] = [
            (source, None if audience is None else Audience.from_data(json.loads(audience)))
            for source, audience in meta["groups"]
        ]
        self._cap = max(MIN_COMMON_POSTINGS, int(len(self._name_entity) * meta["common_share"]))
        self.entities: Sequence[Entity] = Entities(self)

    # --- building, saving, loading --------------------------------------------------------

    @classmethod
    def build(
        cls, entities: Iterable[Entity], *, common_share: float = DEFAULT_COMMON_SHARE
    ) -> NameIndex:
        """Normalise every name once and lay everything out as flat arrays."""
        return cls.build_with_payloads(((e, None) for e in entities), common_share=common_share)

    @classmethod
    def build_with_payloads(
        cls,
        records: Iterable[tuple[Entity, object]],
        *,
        common_share: float = DEFAULT_COMMON_SHARE,
    ) -> NameIndex:
        """`build`, each entity with a JSON value kept for the caller and returned by
        `payload(position)`: where the entity lives in the caller's own store."""
        load_reference_data()  # read the romanisation libraries now, not on the first query
        table = surname_table()
        keys: dict[str, int] = {}
        key_col, name_col, name_entity = array("I"), array("I"), array("I")
        name_start, entity_names, entity_start = array("q", [0]), array("q", [0]), array("q", [0])
        entity_group = array("I")
        name_text, entity_data = bytearray(), bytearray()
        groups: dict[tuple[str, str | None], int] = {}
        for position, (entity, payload) in enumerate(records):
            for raw in dict.fromkeys(entity.names):
                form = normalise_name(raw, entity.entity_type)
                name_id = len(name_entity)
                name_entity.append(position)
                name_text += (("\x01" if form.abjad else "") + " ".join(form.tokens)).encode()
                name_start.append(len(name_text))
                found = [key for key, _ in name_keys(form)]
                if entity.entity_type is not EntityType.PERSON:
                    found += translation_keys(form)
                for key in found:
                    key_col.append(keys.setdefault(key, len(keys)))
                    name_col.append(name_id)
            entity_names.append(len(name_entity))
            entity_data += _encode_entity(entity, payload)
            entity_start.append(len(entity_data))
            entity_group.append(groups.setdefault(_group_key(entity), len(groups)))
        hashes, key_start, postings = _postings(keys, key_col, name_col)
        arrays = {
            "key_hash": hashes,
            "key_start": key_start,
            "postings": postings,
            "name_entity": np.frombuffer(name_entity, np.uint32).copy(),
            "name_start": np.frombuffer(name_start, np.int64).copy(),
            "name_text": np.frombuffer(bytes(name_text), np.uint8),
            "entity_names": np.frombuffer(entity_names, np.int64).copy(),
            "entity_start": np.frombuffer(entity_start, np.int64).copy(),
            "entity_data": np.frombuffer(bytes(entity_data), np.uint8),
            "entity_group": np.frombuffer(entity_group, np.uint32).copy(),
        }
        meta = {
            "format": FORMAT,
            "common_share": common_share,
            "groups": [list(group) for group in groups],
            "surnames": {spelling: sorted(chars) for spelling, chars in table.items()},
            "territories": territory_table(),
            "translations": saved_tables(),
            "lexicon": saved_lexicon(),
        }
        return cls(arrays, meta)

    def save(self, directory: Path) -> None:
        """Write the index as `.npy` files and `meta.json` into `directory` (made if missing).
        `meta.json` is written last: a directory holding it is complete."""
        directory.mkdir(parents=True, exist_ok=True)
        for name in ARRAYS:
            with (directory / f"{name}.npy").open("wb") as handle:
                np.save(handle, np.asarray(self._arrays[name]), allow_pickle=False)
                handle.flush()
                os.fsync(handle.fileno())
        (directory / "meta.json").write_text(json.dumps(self._meta), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> NameIndex:
        """Map a saved index read-only, ready to answer at once: the surname and territory tables
        it carries are used from then on, and the normaliser is warmed up."""
        meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"{directory} holds index format {meta.get('format')}, not {FORMAT}")
        arrays = {name: _map(directory / f"{name}.npy") for name in ARRAYS}
        adopt_surname_table(
            {spelling: frozenset(chars) for spelling, chars in meta["surnames"].items()}
        )
        adopt_territory_table(meta["territories"])
        adopt_translation_tables(meta["translations"])
        adopt_lexicon(meta["lexicon"])
        warm_up()
        return cls(arrays, meta)

    # --- reading --------------------------------------------------------------------------

    def entity(self, position: int) -> Entity:
        start, end = int(self._entity_start[position]), int(self._entity_start[position + 1])
        fields = json.loads(self._entity_data[start:end].tobytes())
        entity_id, names, kind, births, countries, identifiers, topics, notes, _ = fields
        source, audience = self._groups[int(self._entity_group[position])]
        return Entity(
            entity_id=entity_id,
            source=source,
            names=tuple(names),
            entity_type=EntityType(kind),
            birth_dates=tuple(births),
            countries=tuple(countries),
            identifiers=tuple(Identifier(value, kind) for value, kind in identifiers),
            topics=tuple(topics),
            notes=tuple((label, text) for label, text in notes),
            audience=audience,
        )

    def payload(self, position: int) -> Any:
        """What `build(payloads=...)` was given for the entity at `position`."""
        start, end = int(self._entity_start[position]), int(self._entity_start[position + 1])
        return json.loads(self._entity_data[start:end].tobytes())[-1]

    def _name_tokens(self, name_id: int) -> str:
        start, end = int(self._name_start[name_id]), int(self._name_start[name_id + 1])
        return self._name_text[start:end].tobytes().decode()

    def prepared(
        self, position: int, name_ids: Iterable[int] | None = None, entity: Entity | None = None
    ) -> Prepared:
        """The entity at `position`, ready to score, from the forms stored at build time.

        `name_ids` (from a `Candidate`) limits it to those names; default all of them.
        `entity`: the one at `position`, if the caller has already read it."""
        entity = self.entity(position) if entity is None else entity
        first, last = int(self._entity_names[position]), int(self._entity_names[position + 1])
        raws = list(dict.fromkeys(entity.names))
        chosen = range(first, last) if name_ids is None else sorted(name_ids)
        stored = ((name_id, self._name_tokens(name_id)) for name_id in chosen)
        forms = tuple(
            _stored_form(raws[name_id - first], text)
            for name_id, text in stored
            if text.strip("\x01")
        )
        return prepare_entity(entity, forms)

    def __len__(self) -> int:
        return len(self._entity_group)

    @property
    def name_count(self) -> int:
        return len(self._name_entity)

    # --- retrieval ------------------------------------------------------------------------

    def _postings(self, key_id: int) -> np.ndarray:
        return self._posting_data[self._key_start[key_id] : self._key_start[key_id + 1]]

    def _key_ids(self, keys: list[str]) -> list[int | None]:
        if not keys or not len(self._key_hash):
            return [None] * len(keys)
        wanted = np.fromiter((key_hash(k) for k in keys), np.uint64, len(keys))
        found = np.searchsorted(self._key_hash, wanted)
        at = np.minimum(found, len(self._key_hash) - 1)
        hit = self._key_hash[at] == wanted
        return [int(i) if ok else None for i, ok in zip(at.tolist(), hit.tolist(), strict=True)]

    def _query_keys(self, names: Iterable[NameForm], organisation: bool) -> dict[int, float]:
        """Known keys of the query with IDF weights (the best weight if repeated)."""
        total = max(self.name_count, 1)
        weighted = [pair for form in names for pair in query_keys(form)]
        if organisation:
            weighted += [
                (key, TRANSLATED_WEIGHT) for form in names for key in translation_keys(form)
            ]
        weights: dict[int, float] = {}
        ids = self._key_ids(list(dict.fromkeys(key for key, _ in weighted)))
        id_of = dict(zip(dict.fromkeys(key for key, _ in weighted), ids, strict=True))
        for key, factor in weighted:
            key_id = id_of[key]
            if key_id is None:
                continue
            weight = factor * math.log(1 + total / self._df(key_id))
            weights[key_id] = max(weight, weights.get(key_id, 0.0))
        return weights

    def candidates(
        self, subject: Prepared, limit: int = 50, where: Where | None = None
    ) -> list[Candidate]:
        """The `limit` entities sharing the most (rare) name keys with the subject; with `where`,
        only entities whose (source, audience) it accepts."""
        weights = self._query_keys(subject.names, subject.entity_type is not EntityType.PERSON)
        if not weights:
            return []
        name_ids, name_scores = self._score_names(weights)
        if where is not None and len(name_ids):
            allowed = np.fromiter((where(s, a) for s, a in self._groups), bool, len(self._groups))
            mask = allowed[self._entity_group[self._name_entity[name_ids]]]
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
        return int(self._key_start[key_id + 1] - self._key_start[key_id])

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


def _postings(
    keys: dict[str, int], key_col: array[int], name_col: array[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Keys ordered by hash (two keys with one hash share postings) and their CSR postings."""
    hashes = np.fromiter((key_hash(k) for k in keys), np.uint64, len(keys))
    unique_hashes, rank = np.unique(hashes, return_inverse=True)
    key_rank = rank.astype(np.int64)[np.frombuffer(key_col, np.uint32)]
    # One int64 per (key, name) sorts and de-duplicates postings in a single pass.
    pairs = np.unique((key_rank << 32) | np.frombuffer(name_col, np.uint32))
    postings = (pairs & 0xFFFFFFFF).astype(np.uint32)
    counts = np.bincount((pairs >> 32).astype(np.int64), minlength=len(unique_hashes))
    key_start = np.zeros(len(unique_hashes) + 1, dtype=np.int64)
    np.cumsum(counts, out=key_start[1:])
    return unique_hashes.astype(np.uint64), key_start, postings


def _map(path: Path) -> np.ndarray:
    mapped = np.load(path, mmap_mode="r", allow_pickle=False)
    # A plain view of the mapping: np.memmap's own slicing is slow Python. Nothing to map in an
    # empty array.
    return mapped.view(np.ndarray) if mapped.size else np.asarray(mapped)
