"""Name comparison by token alignment.

Each query token (or two adjacent tokens joined, so `an da` meets `anda`)
is aligned greedily with its most similar candidate token; what is left
unaligned on either side counts against the match in proportion to its
length. The per-token similarity takes the best of edit distance, Jaro-
Winkler, Metaphone equality and, for Arabic/Hebrew script, the consonant
skeleton. Between organisations, a word a dictionary translates into the other name's word
(`ejercito`/`army`, `translate`) is aligned as a variant. The result keeps the alignment so it
can be shown to a person.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz.distance import JaroWinkler, Levenshtein
from rigour._core import stopwords_list
from rigour.territories import lookup_territory

from .normalise import NameForm, Unit, UnitSet, phonetic_key, territory_code
from .romanise import (
    SON_OF,
    arabic_compound_parts,
    arabic_skeleton,
    cyrillic_readings,
    same_cyrillic,
    same_surname,
    somali_reading,
    surname_table,
)
from .translate import (
    english_senses,
    is_english_word,
    is_wordnet_place,
    lexicon,
    singular,
    translation_tables,
)


def load_reference_data() -> None:
    """Read the romanisation, territory and translation tables a comparison uses now (a second
    or two), not on a first query."""
    surname_table()
    translation_tables()
    lexicon()
    cyrillic_readings("sergei")
    lookup_territory("Kenya")


INITIAL_SIMILARITY = 0.7  # `V` for `Vladimir`: evidence, but weak
PHONETIC_SIMILARITY = 0.85  # same Metaphone key: `Sergei`/`Sergey`, `Mohammed`/`Muhammad`
SKELETON_WEIGHT = 0.92  # abjad skeletons lose vowels, so never quite certain
# One Chinese surname in two romanisations (`qiu`/`chiu`/`khoo`/`yau`, all 邱): as strong as a
# spelling variant, not an identical token; two different ones (`qiu`/`chou`, `zhou`/`zhu`)
# are a conflict however close the letters.
ROMANISED_SIMILARITY = 0.9
# One Arabic name's consonants as its romanisations write them (`qaddafi`/`kadhafi`): a
# spelling variant, provided the spellings are not wholly different words.
ARABIC_SIMILARITY = 0.86
MIN_ARABIC_EDIT = 0.5
# Consonants alike but for a long vowel written as y or w: a variant, less sure than the same
# consonants; three consonants at least (`said`/`saad` are two names).
LONG_VOWEL_VARIANT = 0.82
MIN_BARE_CONSONANTS = 3
MIN_CYRILLIC_EDIT = 0.4
DIFFERENT_SURNAME_SIMILARITY = 0.5
# Below this an aligned pair is two different names (`jianguo`/`jianhua` 0.71), not a
# spelling variant (`sergei`/`sergey` 0.88, `mohammed`/`muhammad` 0.85, most typos).
VARIANT_SIMILARITY = 0.8
# Too far apart to explain a name part, too near to say two family names differ.
NEAR_SIMILARITY = 0.6
MIN_CONTAINED = 4  # `rahman` in `abdurrahman`; `ali` in `khalil` is chance
# An organisation's word a dictionary translates into the other's (`ejercito`/`army`): a variant,
# not the same word (`translate`).
TRANSLATED_SIMILARITY = 0.85
# An organisation's acronym for its name (`IRGC`): a variant of the name, not the same words;
# shorter acronyms than this spell too many names.
ACRONYM_SIMILARITY = 0.85
MIN_ACRONYM = 3
MAX_ACRONYM = 8


class AlignedPair(NamedTuple):
    left: str
    right: str
    similarity: float


class NameComparison(NamedTuple):
    # A NamedTuple rather than a frozen dataclass: built once per pair scored, and a frozen
    # dataclass sets each of its fields through object.__setattr__.
    left: NameForm
    right: NameForm
    pairs: tuple[AlignedPair, ...]
    left_coverage: float  # share of the left name's weight aligned, times similarity
    right_coverage: float
    unaligned_left: tuple[str, ...]
    unaligned_right: tuple[str, ...]
    mismatched: tuple[AlignedPair, ...]  # aligned, but too far apart to be spelling variants
    left_explained: int = 0  # bit i: left token i aligned with the same name, or a near one
    right_explained: int = 0

    @property
    def score(self) -> float:
        """Harmonic mean of both coverages: a name must explain the other both ways."""
        return _harmonic(self.left_coverage, self.right_coverage)

    @property
    def has_conflict(self) -> bool:
        """Two different names aligned, or each side keeps a name part the other lacks.

        `John Smith`/`John Doe`: `smith` and `doe` are both unexplained. One-sided
        leftovers are normal (`Sergei Viktorovich Lavrov`/`Sergey Lavrov`).
        """
        return self.conflicts(organisation=False)

    def conflicts(self, organisation: bool) -> bool:
        """`has_conflict`; for organisations, two forms of one word (`finance`/`financial`,
        `industries`/`industry`) are no conflict: their names are words, not name parts, and
        registers inflect them (`zakharov`/`zakharchenko` are two families)."""
        left_over, right_over = list(self.unaligned_left), list(self.unaligned_right)
        for pair in self.mismatched:
            if _generic(pair.left) and _generic(pair.right):
                continue
            # A function word aligned with a real one explains nothing: the real word is left
            # over (`of~for`, `the~movement`).
            if pair.left in STOPWORDS:
                right_over.append(pair.right)
            elif pair.right in STOPWORDS:
                left_over.append(pair.left)
            elif not (organisation and _one_stem(pair)):
                return True
        # Initials may be left over; any other leftover on both sides, one a real word, is not.
        left = [len(t) for t in left_over if len(t) > 1 and not _generic(t)]
        right = [len(t) for t in right_over if len(t) > 1 and not _generic(t)]
        if left and max(left) >= 3 and self._one_word_on_the_list_side():
            # A list's one-word name (a nickname or weak alias: `Lydia`, `Romeo`) explains one
            # word of a fuller name at most: `Megan Lloyd` is not the man whose alias is `Lydia`.
            return True
        return bool(left and right) and max(left + right) >= 3

    def _one_word_on_the_list_side(self) -> bool:
        singles = self.right.units[0]
        return sum(1 for text, *_ in singles if len(text) > 1) == 1

    def shares_own_name(self) -> bool:
        """Two organisations' names spell alike a word of their own: one no dictionary holds and
        no place (`Roshan` in `Roshan Trading Company` / `Roshan Money Exchange`), not only
        common words and places (`Korea Achim Shipping` / `Korea Samma Shipping`)."""
        for pair in self.pairs:
            if pair.similarity >= VARIANT_SIMILARITY and (
                own_name(pair.left) or own_name(pair.right)
            ):
                return True
        return False

    def places_differ(self) -> bool:
        """Each name keeps a place the other lacks: two branches or sister bodies (`Al-Haramain
        Foundation (Kenya)` / `(Tanzania)`, `State Establishment of Mosul Dam` / `of Haditha
        Dam`)."""
        left, right = self._left_over()
        return any(is_place(t) for t in left) and any(is_place(t) for t in right)

    def _left_over(self) -> tuple[list[str], list[str]]:
        """Each side's words not explained by the other: unaligned, or aligned with a different
        word."""
        left, right = list(self.unaligned_left), list(self.unaligned_right)
        for pair in self.mismatched:
            left.append(pair.left)
            right.append(pair.right)
        return left, right

    @property
    def family_conflict(self) -> bool:
        """Neither name's family name is explained by the other (`Putin`/`DZHABAROV`).

        Unknown when either name has no family name that can be told (a single word).
        """
        left, right = self.left.family, self.right.family
        if not left or not right:
            return False
        left_unexplained = not any(self.left_explained >> i & 1 for i in left)
        return left_unexplained and not any(self.right_explained >> i & 1 for i in right)

    @property
    def best_coverage(self) -> float:
        """How well the shorter name is explained (aliases often drop tokens)."""
        return max(self.left_coverage, self.right_coverage)

    def explain(self) -> str:
        parts = [f"{p.left}~{p.right} ({p.similarity:.2f})" for p in self.pairs]
        parts += [f"-{t}" for t in self.unaligned_left]
        parts += [f"+{t}" for t in self.unaligned_right]
        return ", ".join(parts) or "nothing to align"


# Similarities of unit texts, memoised by the aligner's loop (names repeat a lot across lists).
_SIMILARITY_CACHE: dict[tuple[str, str, bool], float] = {}
_SIMILARITY_CACHE_SIZE = 500_000


def _similarity(a: str, b: str, a_phonetic: str, b_phonetic: str, abjad: bool) -> float:
    if a == b:
        return 1.0
    if len(a) == 1 or len(b) == 1:
        return INITIAL_SIMILARITY if a[0] == b[0] else 0.0
    # Edit distance leads; Jaro-Winkler's prefix bonus only tops up near-misses, because
    # it rates `jianguo`/`jianhua` as 0.89 and different given names must not look alike.
    if a in SON_OF and b in SON_OF:
        return ARABIC_SIMILARITY  # `ibn`/`bin`/`ould`: one word of a name, `son of`
    surname = same_surname(a, b)
    if surname is not None:
        return ROMANISED_SIMILARITY if surname else DIFFERENT_SURNAME_SIMILARITY
    edit = _edit(a, b)
    score = edit if edit < 0.75 else 0.5 * (edit + _jaro_winkler(a, b))
    if len(a_phonetic) > 1 and a_phonetic == b_phonetic:
        score = max(score, PHONETIC_SIMILARITY)
    # Spellings of one Cyrillic name share at least this much (`chruschtschow`/`khrushchev`).
    if score < ROMANISED_SIMILARITY and edit >= MIN_CYRILLIC_EDIT and same_cyrillic(a, b):
        score = ROMANISED_SIMILARITY  # `sergej`/`serguei`, `khrushchev`/`chruschtschow`
    if abjad:
        score = max(score, _skeleton_similarity(a, b))
    elif score < ARABIC_SIMILARITY and edit >= MIN_ARABIC_EDIT and _one_arabic_name(a, b):
        score = ARABIC_SIMILARITY  # `qaddafi`/`kadhafi`, `hossein`/`husayn`
    elif score < LONG_VOWEL_VARIANT and edit >= MIN_ARABIC_EDIT and _one_arabic_bare(a, b):
        score = LONG_VOWEL_VARIANT  # `nadhira`/`nazeera`, `fadheela`/`fazila`
    return _compound_similarity(a, b, score, abjad)


def _compound_similarity(a: str, b: str, score: float, abjad: bool) -> float:
    """Two compound given names of one kind (`X al-Din`, `Abd al-X`) are one name when their
    elements are (`khairuddin`/`khayr al din`, `abdrazzak`/`abdelrazak`), and two names, however
    alike their letters, when their distinguishing elements are not (`noureddine`/`nasreddine`):
    then they are as alike as those elements (`jamal`/`gamal`, `nour`/`nasr`)."""
    left = arabic_compound_parts(a)
    if not left.kind:
        return score
    right = arabic_compound_parts(b)
    if left.kind != right.kind:
        return score
    if left.key == right.key:
        return max(score, ARABIC_SIMILARITY)
    if not left.element or not right.element:
        return score
    element = _similarity(
        left.element, right.element, phonetic_key(left.element), phonetic_key(right.element), abjad
    )
    return min(element, ARABIC_SIMILARITY)


_edit = Levenshtein.normalized_similarity
_jaro_winkler = JaroWinkler.similarity


def _one_arabic_bare(a: str, b: str) -> bool:
    """One Arabic name whose long vowel one romanisation writes as y or w and the other as a
    vowel or not at all (`nazeera`/`nadhira`, `fadheela`/`fazila`): its consonants alike but
    for a y or w inside the word. A final y is a letter (`rushdi` is not `rashid`)."""
    a_bare, b_bare = _inner_bare(arabic_skeleton(a)), _inner_bare(arabic_skeleton(b))
    return len(a_bare) >= MIN_BARE_CONSONANTS and a_bare == b_bare


def _inner_bare(skeleton: str) -> str:
    return _bare(skeleton[:-1]) + skeleton[-1:] if skeleton[-1:] in ("y", "w") else _bare(skeleton)


def _one_arabic_name(a: str, b: str) -> bool:
    skeleton, other = arabic_skeleton(a), arabic_skeleton(b)
    if len(skeleton) > 1 and skeleton == other:
        return True
    # One romanisation writes a final ة as `t`, the other as a vowel (`Jam'iyat`/`Jam'yah`,
    # `Silsilat`/`Silsilah`).
    if skeleton[-1:] == "t" and b.endswith(_PAUSAL_ENDINGS) and skeleton[:-1] == other:
        return len(other) > 1
    if other[-1:] == "t" and a.endswith(_PAUSAL_ENDINGS) and other[:-1] == skeleton:
        return len(skeleton) > 1
    # Either token may be Somali spelling (`xasan`/`hassan`, `cabdullaahi`/`abdullah`).
    a_read, b_read = somali_reading(a), somali_reading(b)
    if a_read == a and b_read == b:
        return False
    skeleton = arabic_skeleton(a_read)
    return len(skeleton) > 1 and skeleton == arabic_skeleton(b_read)


_LONG_VOWELS = str.maketrans("", "", "yw")
LONG_VOWEL_SIMILARITY = 0.95
_DOUBLED = re.compile(r"(.)\1+")


@lru_cache(maxsize=100_000)
def _bare(skeleton: str) -> str:
    return _DOUBLED.sub(r"\1", skeleton.translate(_LONG_VOWELS))


def _skeleton_similarity(a: str, b: str) -> float:
    """Arabic or Hebrew script against a romanisation: consonants alone (`ly` ~ `ali`)."""
    a_skeleton, b_skeleton = arabic_skeleton(a), arabic_skeleton(b)
    if not a_skeleton or not b_skeleton:
        return 0.0
    if len(a_skeleton) == 1 or len(b_skeleton) == 1:
        return SKELETON_WEIGHT if a_skeleton == b_skeleton else 0.0
    if a_skeleton[-1] == "t" and b.endswith(_PAUSAL_ENDINGS):
        a_skeleton = _ta_marbuta(a_skeleton, b_skeleton)
    elif b_skeleton[-1] == "t" and a.endswith(_PAUSAL_ENDINGS):
        b_skeleton = _ta_marbuta(b_skeleton, a_skeleton)
    similarity = Levenshtein.normalized_similarity(a_skeleton, b_skeleton)
    # ي and و are long vowels as often as consonants, and romanisations write them as vowels
    # (عزيز `aziz`, بوتين `putin`): compared without them too, a little less surely.
    a_bare, b_bare = _bare(a_skeleton), _bare(b_skeleton)
    if len(a_bare) > 1 and a_bare == b_bare:
        similarity = max(similarity, LONG_VOWEL_SIMILARITY)
    return SKELETON_WEIGHT * similarity


# How romanisations end a word whose last letter is ة before a pause: `Fatima`, `Fatimah`,
# `Hamzeh`.
_PAUSAL_ENDINGS = ("a", "ah", "e", "eh")


def _ta_marbuta(with_t: str, other: str) -> str:
    """A word's final ة is transliterated `t` but romanised as a vowel before a pause (فاطمة
    `fatmt`/`Fatima`, القاعدة `qadt`/`Qaida`) and as `t` only before another word (`Harakat`):
    against a spelling that ends so, the final `t` is left out if the rest is that spelling's
    consonants (`hmzt`/`Hamza`, never `hmzt`/`Hamid`)."""
    without = with_t[:-1]
    return without if len(without) > 1 and _bare(without) == _bare(other) else with_t


Candidate = tuple[float, float, Unit, Unit]  # (similarity, weight, left unit, right unit)


def _unit_sides(left: UnitSet, right: UnitSet) -> tuple[tuple[tuple[Unit, ...], ...], ...]:
    # Joined units meet single tokens: `an da` ~ `anda`, never `an da` ~ `an da`; but a compound
    # name written as two words meets one written as three (`khair eddine` ~ `khayr al din`).
    l_singles, l_joined, _, _, l_compounds = left
    r_singles, r_joined, _, _, r_compounds = right
    if l_compounds and r_compounds:
        return (
            (l_singles, r_singles),
            (l_joined, r_singles),
            (l_singles, r_joined),
            (l_compounds, r_compounds),
        )
    return (
        (l_singles, r_singles),
        (l_joined, r_singles),
        (l_singles, r_joined),
    )


def _identical_pairs(sides: tuple[tuple[tuple[Unit, ...], ...], ...]) -> list[Candidate]:
    """The pairs of units spelt alike, best first: similarity 1.0, which no other pair reaches.
    Two compounds spelt alike are their words spelt alike, aligned word by word."""
    pairs = [
        (1.0, a[3] + b[3], a, b)
        for l_side, r_side in sides[:3]
        for a in l_side
        for b in r_side
        if a[0] == b[0]
    ]
    pairs.sort(reverse=True)  # ties prefer the pair covering more tokens (`anda` over `an`)
    return pairs


def _candidate_pairs(
    sides: tuple[tuple[tuple[Unit, ...], ...], ...], abjad: bool, used_l: int, used_r: int
) -> list[Candidate]:
    """Every other pair worth aligning, best first. Pairs touching a unit the identical pairs
    already aligned are left out unscored: the alignment would pass over them anyway."""
    cache = _SIMILARITY_CACHE
    cache_get, similarity_of = cache.get, _similarity
    pairs: list[Candidate] = []
    append = pairs.append
    for l_side, r_side in sides:
        r_free = [b for b in r_side if not b[2] & used_r]
        for a in l_side:
            a_text, a_phonetic, a_mask, a_weight = a
            if a_mask & used_l:
                continue
            for b in r_free:
                b_text = b[0]
                if a_text == b_text:
                    continue  # an identical pair: aligned already, or passed over
                key = (a_text, b_text, abjad)
                similarity = cache_get(key)
                if similarity is None:
                    similarity = similarity_of(a_text, b_text, a_phonetic, b[1], abjad)
                    if len(cache) >= _SIMILARITY_CACHE_SIZE:
                        cache.clear()  # bounded, crude and rarely hit
                    cache[key] = similarity
                if similarity > 0.0:
                    append((similarity, a_weight + b[3], a, b))
    # Ties on similarity prefer the pair covering more tokens (`anda` over `an`).
    pairs.sort(reverse=True)
    return pairs


class _Alignment:
    """Greedy alignment state: each candidate, best first, is taken unless a unit is used."""

    __slots__ = (
        "used_l",
        "used_r",
        "explained_l",
        "explained_r",
        "l_sum",
        "r_sum",
        "aligned",
        "mismatched",
        "l_full",
        "r_full",
        "done",
    )

    def __init__(self, l_full: int, r_full: int) -> None:
        self.used_l = self.used_r = self.explained_l = self.explained_r = 0
        self.l_sum = self.r_sum = 0.0
        self.aligned: list[AlignedPair] = []
        self.mismatched: list[AlignedPair] = []
        self.l_full, self.r_full = l_full, r_full
        self.done = False

    def take(self, candidates: list[Candidate]) -> None:
        used_l, used_r = self.used_l, self.used_r
        explained_l, explained_r = self.explained_l, self.explained_r
        l_sum, r_sum = self.l_sum, self.r_sum
        aligned, mismatched = self.aligned, self.mismatched
        l_full, r_full = self.l_full, self.r_full
        new = tuple.__new__  # AlignedPair(...) without its Python-level __new__
        for similarity, _, (a_text, _, a_mask, a_weight), (
            b_text,
            _,
            b_mask,
            b_weight,
        ) in candidates:
            if a_mask & used_l or b_mask & used_r:
                continue
            used_l |= a_mask
            used_r |= b_mask
            pair = new(AlignedPair, (a_text, b_text, similarity))
            aligned.append(pair)
            if similarity < VARIANT_SIMILARITY and _is_mismatch(pair):
                # Two different names aligned (`jianguo`/`jianhua`) explain nothing.
                mismatched.append(pair)
                if similarity >= NEAR_SIMILARITY or _contains(pair):
                    # ...but `sivakov`/`sivakau` or `rahman` in `abdurrahman` are not two families.
                    explained_l |= a_mask
                    explained_r |= b_mask
            else:
                explained_l |= a_mask
                explained_r |= b_mask
                l_sum += similarity * a_weight
                r_sum += similarity * b_weight
            if used_l == l_full or used_r == r_full:
                self.done = True
                break
        self.used_l, self.used_r = used_l, used_r
        self.explained_l, self.explained_r = explained_l, explained_r
        self.l_sum, self.r_sum = l_sum, r_sum


def _translated_pairs(
    l_singles: tuple[Unit, ...], r_singles: tuple[Unit, ...], used_l: int, used_r: int
) -> list[Candidate]:
    """Words of two organisations' names left unaligned by spelling that a dictionary
    translates one into the other (`ejercito`/`army`, `jaish`/`armies`); never a function word
    or into one (`de`/`of`)."""
    l_free = [(a, english_senses(a[0]), singular(a[0])) for a in l_singles if not a[2] & used_l]
    r_free = [(b, english_senses(b[0]), singular(b[0])) for b in r_singles if not b[2] & used_r]
    pairs: list[Candidate] = []
    for a, a_senses, a_one in l_free:
        for b, b_senses, b_one in r_free:
            if (b_one in a_senses or a_one in b_senses) and not (
                a[0] in STOPWORDS or b[0] in STOPWORDS
            ):
                pairs.append((TRANSLATED_SIMILARITY, a[3] + b[3], a, b))
    return pairs


def compare_names(left: NameForm, right: NameForm, organisation: bool = False) -> NameComparison:
    if organisation:
        acronym = _acronym_comparison(left, right)
        if acronym is not None:
            return acronym
    l_units, r_units = left.units, right.units
    l_singles, _, l_weight, l_full, _ = l_units
    r_singles, _, r_weight, r_full, _ = r_units
    sides = _unit_sides(l_units, r_units)
    state = _Alignment(l_full, r_full)
    # Identical units first (only they reach 1.0); the rest are scored only if still needed.
    state.take(_identical_pairs(sides))
    if not state.done:
        candidates = _candidate_pairs(sides, left.abjad or right.abjad, state.used_l, state.used_r)
        if organisation:
            translated = _translated_pairs(l_singles, r_singles, state.used_l, state.used_r)
            if translated:
                candidates = sorted(candidates + translated, reverse=True)
        state.take(candidates)
    used_l, used_r = state.used_l, state.used_r
    return NameComparison(
        left=left,
        right=right,
        pairs=tuple(state.aligned),
        left_coverage=state.l_sum / l_weight,
        right_coverage=state.r_sum / r_weight,
        unaligned_left=tuple(text for text, _, mask, _ in l_singles if not mask & used_l),
        unaligned_right=tuple(text for text, _, mask, _ in r_singles if not mask & used_r),
        mismatched=tuple(state.mismatched),
        left_explained=state.explained_l,
        right_explained=state.explained_r,
    )


def _acronym_comparison(left: NameForm, right: NameForm) -> NameComparison | None:
    """One organisation's name written as the other's initials (`IRGC` for `Islamic
    Revolutionary Guard Corps`, `I.R.G.C.`, `HUM` for `Harakat ul-Mujahidin`), function words'
    initials optional: the acronym aligned with the whole name, as a spelling variant."""
    for short, full, short_is_left in ((left, right, True), (right, left, False)):
        letters = _acronym(short.tokens)
        if letters and len(full.tokens) >= MIN_ACRONYM and _initials_of(letters, full.tokens):
            pair = AlignedPair(letters, " ".join(full.tokens), ACRONYM_SIMILARITY)
            l_mask, r_mask = (1 << len(left.tokens)) - 1, (1 << len(right.tokens)) - 1
            if not short_is_left:
                pair = AlignedPair(pair.right, pair.left, pair.similarity)
            return NameComparison(
                left=left,
                right=right,
                pairs=(pair,),
                left_coverage=ACRONYM_SIMILARITY,
                right_coverage=ACRONYM_SIMILARITY,
                unaligned_left=(),
                unaligned_right=(),
                mismatched=(),
                left_explained=l_mask,
                right_explained=r_mask,
            )
    return None


def _acronym(tokens: tuple[str, ...]) -> str:
    """The letters of a name that may be an acronym: one word (`irgc`) or letters written apart
    (`i r g c`), of MIN_ACRONYM to MAX_ACRONYM letters; else ""."""
    if len(tokens) == 1:
        letters = tokens[0]
    elif all(len(t) == 1 for t in tokens):
        letters = "".join(tokens)
    else:
        return ""
    return letters if MIN_ACRONYM <= len(letters) <= MAX_ACRONYM and letters.isalpha() else ""


def initials(tokens: tuple[str, ...]) -> list[str]:
    """The acronyms a name is most often written as: every word's initial, and its content
    words' (`islamic revolutionary guard corps` -> `irgc`); what an index looks acronyms up by."""
    if len(tokens) < MIN_ACRONYM or len(tokens) > MAX_ACRONYM * 2:
        return []
    every = "".join(t[0] for t in tokens)
    content = "".join(t[0] for t in tokens if t not in STOPWORDS)
    found = [every] if content == every else [every, content]
    return [a for a in found if MIN_ACRONYM <= len(a) <= MAX_ACRONYM and a.isalpha()]


def _initials_of(letters: str, tokens: tuple[str, ...]) -> bool:
    """Whether `letters` are the initials of `tokens` in order: every word's, a function
    word's (`of`, `al`) taken or left out."""
    if len(tokens) > MAX_ACRONYM * 2:
        return False
    reachable = {0}  # how many letters the words so far can have spelt
    for token in tokens:
        optional = token in STOPWORDS
        after = {i + 1 for i in reachable if i < len(letters) and letters[i] == token[0]}
        reachable = after | reachable if optional else after
        if not reachable:
            return False
    return len(letters) in reachable


# What kind of body an organisation is, as lists translate and abbreviate it in turn (`Group`,
# `Network`; `State Enterprise`, `State Organization`): two such words differing is no conflict.
GENERIC_ORG_WORDS = frozenset(
    [
        "administration",
        "agency",
        "association",
        "authority",
        "board",
        "bureau",
        "centre",
        "committee",
        "company",
        "concern",  # концерн, a Russian group of companies
        "corporation",
        "council",
        "department",
        "directorate",
        "enterprise",
        "establishment",
        "firm",
        "foundation",
        "group",
        "institute",
        "institution",
        "ministry",
        "network",
        "office",
        "organisation",
        "organization",
        "service",
        "services",
        "society",
        "union",
    ]
)


# Words that carry no identity in any name (`of`, `for`, `the`, `de`, `und`): rigour's list.
STOPWORDS = frozenset(word.casefold() for word in stopwords_list())
MIN_STEM = 5  # `financ`: one word inflected; `state`/`stat` share less
MIN_PREFIX_WORD = 4  # `kala` in `kalaye`; `air` in `airlines` is too short to say


@lru_cache(maxsize=100_000)
def is_place(token: str) -> bool:
    """A country's name (rigour's territories) or, in WordNet, a word whose commonest sense is a
    place (`mosul`, `levant`)."""
    return len(token) >= MIN_PLACE and (
        is_wordnet_place(token) or territory_code(token) is not None
    )


MIN_PLACE = 3


@lru_cache(maxsize=100_000)
def own_name(token: str) -> bool:
    """A word of an organisation's name that is a name of its own: no function word, no kind of
    body, no English word WordNet holds and no place (`roshan`, `kumryong`, `taibah`)."""
    return (
        len(token) >= MIN_PLACE
        and not _generic(token)
        and not is_english_word(token)
        and not is_place(token)
    )


def _generic(token: str) -> bool:
    return token in GENERIC_ORG_WORDS or token in STOPWORDS


def _one_stem(pair: AlignedPair) -> bool:
    """`finance`/`financial`, `factory`/`factories`: one word, inflected (never `export`/
    `import`, which differ where words are told apart, at the start)."""
    shorter, longer = sorted((pair.left, pair.right), key=len)
    if len(shorter) >= MIN_PREFIX_WORD and longer.startswith(shorter):
        return True
    common = 0
    for a, b in zip(shorter, longer, strict=False):
        if a != b:
            break
        common += 1
    return common >= MIN_STEM and common >= len(shorter) - 2


def _is_mismatch(pair: AlignedPair) -> bool:
    # An initial for its name (`v`~`vladimir`) or two particles (`al`~`el`) are no
    # evidence of different names; any pair involving a real word is.
    if pair.similarity == INITIAL_SIMILARITY and min(len(pair.left), len(pair.right)) == 1:
        return False
    return max(len(pair.left), len(pair.right)) >= 3 and pair.similarity < VARIANT_SIMILARITY


def _contains(pair: AlignedPair) -> bool:
    shorter, longer = sorted((pair.left, pair.right), key=len)
    return len(shorter) >= MIN_CONTAINED and shorter in longer


def _harmonic(a: float, b: float) -> float:
    return 0.0 if a + b == 0 else 2 * a * b / (a + b)


def best_name_comparison(
    left: tuple[NameForm, ...], right: tuple[NameForm, ...], organisation: bool = False
) -> NameComparison | None:
    """The best-scoring pair among all names of both sides."""
    best: NameComparison | None = None
    for a in left:
        for b in right:
            if a.is_empty or b.is_empty:
                continue
            comparison = compare_names(a, b, organisation)
            if best is None or comparison.score > best.score:
                best = comparison
    return best
