"""Turn a raw name in any script into comparable *forms*.

A `NameForm` holds several views of one name, because no single view
survives every way the same name gets written:

* `tokens`: Latin ASCII, case-folded name parts with honorifics and legal
  forms removed (`ООО "ЦСТ"` -> `("tsst",)`, legal form kept aside as `llc`);
* `joined`: the tokens with spaces removed, for `Qiu An Da` ~ `Qiu Anda`;
* `phonetic`: a Metaphone key per token, for `Mohammed` ~ `Muhammad`;
* `abjad`: whether the name was in a script without short vowels, so that
  it is compared on consonants (`romanise.arabic_skeleton`).

Transliteration is ICU's, through `rigour`/`normality` (Russian Cyrillic by
BGN/PCGN, as English-language lists write it); we keep no tables of our own
except the CJK legal-form suffixes, which rigour's org-type data does not
cover. Spellings of one name in several romanisations are `romanise`'s.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import icu
from rigour._core import person_name_prefixes_list, text_scripts
from rigour.names import extract_org_types, remove_org_types, remove_person_prefixes, tokenize_name
from rigour.territories import lookup_territory
from rigour.territories.lookup import _get_territory_names, lookup_by_identifier
from rigour.territories.util import normalize_territory_name
from rigour.text import remove_bracketed_text
from rigour.text.phonetics import metaphone
from rigour.text.translit import ascii_text

from .model import EntityType
from .romanise import ARTICLES, COMPOUND_ENDS, NAME_PARTICLES, arabic_compound, cyrillic_readings

# Scripts written without short vowels: compare them on consonant skeletons.
ABJAD_SCRIPTS = frozenset({"Arabic", "Hebrew", "Syriac", "Thaana"})
# Legal-form suffixes in Han/Kana; rigour's org-type data is Latin/Cyrillic-centred.
CJK_LEGAL_FORMS = (
    "股份有限公司",
    "有限责任公司",
    "有限責任公司",
    "有限公司",
    "株式会社",
    "有限会社",
)
# Words organisations' names are made of, as registers and letterheads abbreviate them
# ("BRYR Exec Search", "Acme Intl Grp"): compared written out, on both sides, for every name that
# is not a person's. Legal forms (Ltd, GmbH, ООО) are rigour's and handled apart.
ORG_ABBREVIATIONS = {
    "assn": "association",
    "assoc": "association",
    "bros": "brothers",
    "co": "company",
    "corp": "corporation",
    "ctr": "centre",
    "center": "centre",
    "dept": "department",
    "devt": "development",
    "engg": "engineering",
    "est": "establishment",
    "exec": "executive",
    "fdn": "foundation",
    "fndn": "foundation",
    "govt": "government",
    "grp": "group",
    "hldg": "holding",
    "hldgs": "holdings",
    "inst": "institute",
    "intl": "international",
    "jv": "joint venture",
    "mfg": "manufacturing",
    "mgmt": "management",
    "mgt": "management",
    "natl": "national",
    "soc": "society",
    "svc": "service",
    "svcs": "services",
    "shpg": "shipping",
    "sys": "systems",
    "tv": "television",
    "univ": "university",
    # Ordinals as numbers (`2nd Academy of Natural Sciences`).
    "1st": "first",
    "2nd": "second",
    "3rd": "third",
    "4th": "fourth",
    "5th": "fifth",
    "6th": "sixth",
    "7th": "seventh",
    "8th": "eighth",
    "9th": "ninth",
    "10th": "tenth",
}
MAX_NAME_CHARS = 300
MAX_TOKENS = 12  # longer names are clipped: alignment is quadratic
MAX_JOINED_PART = 5  # join two adjacent tokens only when one is at most this long
MAX_ARTICLE = 3  # the middle word of a compound written as three (`al`, `ud`, `ash`)
MIN_FAMILY_CHARS = 3  # shorter family-name words are particles: al, el, bin, de


# One token, or two adjacent tokens joined, on one side of a comparison: (text, phonetic key,
# mask: bit i set if it covers token i, weight).
Unit = tuple[str, str, int, float]
# A name's units: (single-token units, joined units, total weight, mask of all its tokens,
# the joined units that are a compound given name, `arabic_compound`).
# Plain tuples, not NamedTuples: the garbage collector stops tracking a plain tuple of strings
# and numbers, and a scoring run keeps tens of thousands of units, which every collection of
# the oldest generation walked.
UnitSet = tuple[tuple[Unit, ...], tuple[Unit, ...], float, int, tuple[Unit, ...]]


@dataclass(frozen=True, slots=True)
class NameForm:
    original: str
    tokens: tuple[str, ...]
    phonetic: tuple[str, ...]
    legal_forms: tuple[str, ...]
    abjad: bool
    # Memos of `units` and `family`, computed on first comparison only (the index never needs
    # them). Slots, not cached_property: no instance dict for the garbage collector to walk,
    # and no lock taken on every first read. The units' two tuples are kept apart, not in one
    # tuple, because the collector stops tracking a tuple of tuples only once it has stopped
    # tracking the inner ones, a collection later each: one level deeper, and thousands of
    # them reached the oldest generation, which every full collection walks.
    _singles: tuple[Unit, ...] | None = field(default=None, init=False, repr=False, compare=False)
    _joined: tuple[Unit, ...] = field(default=(), init=False, repr=False, compare=False)
    _compounds: tuple[Unit, ...] = field(default=(), init=False, repr=False, compare=False)
    _weight: float = field(default=0.0, init=False, repr=False, compare=False)
    _family: tuple[int, ...] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def joined(self) -> str:
        return "".join(self.tokens)

    @property
    def is_empty(self) -> bool:
        return not self.tokens

    @property
    def units(self) -> UnitSet:
        singles = self._singles
        if singles is None:
            singles, joined, weight, compounds = make_units(self.tokens, self.phonetic)
            object.__setattr__(self, "_singles", singles)  # frozen to all but its memos
            object.__setattr__(self, "_joined", joined)
            object.__setattr__(self, "_weight", weight)
            object.__setattr__(self, "_compounds", compounds)
        return singles, self._joined, self._weight, (1 << len(singles)) - 1, self._compounds

    @property
    def family(self) -> tuple[int, ...]:
        """Positions of the tokens that are (most likely) the family name; empty if unknown."""
        family = self._family
        if family is None:
            family = family_positions(self.original, self.tokens[:MAX_TOKENS])
            object.__setattr__(self, "_family", family)
        return family


def token_weight(token: str) -> float:
    # Longer tokens carry more identity; an initial carries little.
    return float(min(len(token), 8)) if len(token) > 1 else 0.5


def make_units(
    tokens: tuple[str, ...], phonetic: tuple[str, ...]
) -> tuple[tuple[Unit, ...], tuple[Unit, ...], float, tuple[Unit, ...]]:
    """Single-token units and adjacent joined units of a name, their total weight, and the
    joined units that are one compound given name (`khair eddine`, `abd al rahman`)."""
    tokens = tokens[:MAX_TOKENS]
    weights = [token_weight(t) for t in tokens]
    singles = tuple([(t, phonetic[i], 1 << i, weights[i]) for i, t in enumerate(tokens)])
    joined: list[Unit] = []
    compounds: list[Unit] = []
    for i in range(len(tokens) - 1):
        first, second = tokens[i], tokens[i + 1]
        text = first + second
        # No phonetic key: a joined unit matches on spelling (`anda`), not on sound.
        unit = (text, "", 3 << i, weights[i] + weights[i + 1])
        # Joining helps with syllables and particles (`an da`, `al qahtani`), not long words,
        # unless the two are one compound name (`nasser eddine`).
        if arabic_compound(text):
            compounds.append(unit)
        elif len(first) > MAX_JOINED_PART and len(second) > MAX_JOINED_PART:
            continue
        joined.append(unit)
        # A compound written as three words, its article apart (`khayr al din`, `abd ar rahman`),
        # or a particle and its article before a name (`bin al shibh`, `abu al abbas`).
        if i + 2 < len(tokens) and len(second) <= MAX_ARTICLE:
            text += tokens[i + 2]
            compound = arabic_compound(text)
            if compound or (first in NAME_PARTICLES and second in ARTICLES):
                unit = (text, "", 7 << i, weights[i] + weights[i + 1] + weights[i + 2])
                joined.append(unit)
                if compound:
                    compounds.append(unit)
    return singles, tuple(joined), sum(weights) or 1.0, tuple(compounds)


def compound_words(tokens: tuple[str, ...]) -> list[str]:
    """The compound given names of a name (`arabic_compound`), as one word each: written as one
    (`khairuddin`), two (`khair eddine`) or three words (`khayr al din`), as `make_units` joins
    them."""
    tokens = tokens[:MAX_TOKENS]
    found: list[str] = []
    count = len(tokens)
    for i, token in enumerate(tokens):
        # A compound ends as its second element does or begins with Abd: most words do neither.
        abd = "bd" in token[:4]  # `cabd`: Somali
        if (abd or token.endswith(COMPOUND_ENDS)) and arabic_compound(token):
            found.append(token)
        if i + 1 < count and (abd or tokens[i + 1].endswith(COMPOUND_ENDS)):
            text = token + tokens[i + 1]
            if arabic_compound(text):
                found.append(text)
        if (
            i + 2 < count
            and len(tokens[i + 1]) <= MAX_ARTICLE
            and (abd or tokens[i + 2].endswith(COMPOUND_ENDS))
        ):
            text = token + tokens[i + 1] + tokens[i + 2]
            if arabic_compound(text):
                found.append(text)
    return found


def family_positions(original: str, tokens: tuple[str, ...]) -> tuple[int, ...]:
    """The family name as lists write it: the words in capitals of a mixed-case name
    (`Vladimir Michailovich DZHABAROV`, `QIU Amanda`); the first syllable of a Han name; else
    the last word. Particles (`al`, `bin`) are not a family name on their own."""
    if len(tokens) < 2:
        return ()
    capitals = _capitalised_words(original) if original.isascii() else set()
    if capitals:
        found = [i for i, t in enumerate(tokens) if t in capitals]
    elif "Han" in text_scripts(original):
        found = [0]
    else:
        found = [len(tokens) - 1]
    named = [i for i in found if len(tokens[i]) >= MIN_FAMILY_CHARS]
    return tuple(named or found)


def _capitalised_words(name: str) -> set[str]:
    """The words of a mixed-case name written in capitals, case-folded; none if no word or
    every word is."""
    words = [w for w in tokenize_name(name) if w.isalpha() or any(c.isalpha() for c in w)]
    capitals = {w.casefold() for w in words if len(w) > 1 and w.isupper()}
    return capitals if len(capitals) < len({w.casefold() for w in words}) else set()


def phonetic_key(token: str) -> str:
    # Metaphone of a one-letter token is noise; digits have no sound.
    if len(token) < 2 or token.isdigit():
        return token
    return metaphone(token) or token


def _strip_cjk_legal_forms(text: str) -> tuple[str, tuple[str, ...]]:
    for suffix in CJK_LEGAL_FORMS:
        if suffix in text:
            return text.replace(suffix, " "), ("llc",)
    return text, ()


# An apostrophe inside a word (`Jama'at`, `Sa'iid`): rigour's legal forms are matched between
# word boundaries, and it is one, so `at` and `sa` read as legal forms (`Jama'at` -> `jama`).
_INNER_APOSTROPHE = re.compile(r"(?<=\w)['’‘ʼʻ`](?=\w)")


def _strip_legal_forms(text: str) -> tuple[str, tuple[str, ...]]:
    text = _INNER_APOSTROPHE.sub("", text)
    found = tuple(generic for _, generic in extract_org_types(text, generic=True))
    if not found:
        return text, ()
    return remove_org_types(text, replacement=" "), found


def _keep_legal_forms(text: str) -> tuple[str, tuple[str, ...]]:
    return text, ()


@lru_cache(maxsize=1)
def _prefix_heads() -> frozenset[str]:
    # First words of rigour's honorifics: lets us skip its long regex for most names.
    return frozenset(p.split()[0].rstrip(".").casefold() for p in person_name_prefixes_list())


_BRACKETED = re.compile(r"[(\[]([^)\]]*)[)\]]")
_BRANCH_WORDS = re.compile(r"\b(branch|office)\b", re.IGNORECASE)


def _names_a_place(text: str, entity_type: EntityType) -> bool:
    if entity_type is EntityType.PERSON:
        return False
    return any(_is_place(inside) for inside in _BRACKETED.findall(text))


@lru_cache(maxsize=4096)
def _is_place(text: str) -> bool:
    place = _BRANCH_WORDS.sub("", text).strip()
    return bool(place) and territory_code(place) is not None


def _clean(raw: str, entity_type: EntityType) -> str:
    text = unicodedata.normalize("NFKC", raw[:MAX_NAME_CHARS])
    if "(" in text or "[" in text:
        unbracketed = remove_bracketed_text(text)
        # Keep bracketed text only when it is all there is ("(GSPC)"), or when it says where an
        # organisation is (`Al-Haramain Foundation (Kenya)` is not the one in Pakistan).
        if tokenize_name(unbracketed) and not _names_a_place(text, entity_type):
            text = unbracketed
    if entity_type is not EntityType.ORGANISATION:
        head = text.split(maxsplit=1)[0].rstrip(".").casefold() if text.strip() else ""
        if head in _prefix_heads():
            text = remove_person_prefixes(text)
        text = _strip_titles(text)
    return text.casefold()


# Titles written before a person's name in the languages lists and visitors write them in, which
# rigour's honorifics (English and German) lack: Spanish, Portuguese, Italian, French, Russian
# and Arabic, and the religious titles of Afghan and Pakistani names; compared case-folded, as
# leading words followed by a name (`Presidente Putin` -> `Putin`, `Президент Путин` -> `Путин`).
# Words that are also names in Latin letters (Don, Sidi, Sayed, Haji, Hafiz) are not here: a list
# that writes them means them as part of the name.
TITLES_BY_LANGUAGE = {
    "es": "presidente presidenta señor sra srta doña general coronel comandante capitán "
    "ministro ministra primer doctor doctora excelentísimo excelentisimo excelencia",
    "pt": "presidente senhor general coronel comandante ministro doutor doutora",
    "it": "presidente signor signore generale colonnello comandante capitano ministro dottore",
    "fr": "président president monsieur madame mademoiselle général general colonel commandant "
    "capitaine ministre premier docteur maître maitre",
    "ru": "президент премьер-министр министр генерал полковник господин госпожа доктор",
    "ar": "الرئيس السيد الشيخ اللواء العقيد الدكتور الأمير الامير الملك الوزير",
    "ps/ur": "mullah mulla mawlawi maulvi maulawi maulana",
}
FOREIGN_TITLES = frozenset(w for words in TITLES_BY_LANGUAGE.values() for w in words.split())
# Chinese writes a title after the name (普京总统, 习近平主席, 王先生).
HAN_TITLE_SUFFIXES = (
    "总统",
    "總統",
    "主席",
    "总理",
    "總理",
    "先生",
    "女士",
    "将军",
    "將軍",
    "博士",
)


def _strip_titles(text: str) -> str:
    words = text.split()
    while len(words) > 1 and words[0].rstrip(".").casefold() in FOREIGN_TITLES:
        words = words[1:]
    if len(words) == 1:
        word = words[0]
        for suffix in HAN_TITLE_SUFFIXES:
            if word.endswith(suffix) and len(word) > len(suffix):
                return word[: -len(suffix)]
    return " ".join(words) if len(words) != len(text.split()) else text


def normalise_name(raw: str, entity_type: EntityType = EntityType.UNKNOWN) -> NameForm:
    """All the comparable forms of one name; uncached, used by index builds."""
    text = _clean(raw, entity_type)
    # A person has no legal form: `SA'IID` and `Bah AG Moussa` keep their `sa` and `ag`.
    strip = _strip_legal_forms if entity_type is not EntityType.PERSON else _keep_legal_forms
    if text.isascii():
        # Most names: no script to detect, nothing to transliterate, one legal-form pass.
        latin, forms = strip(text)
        abjad = False
    else:
        latin, forms, abjad = _to_latin(text, strip, entity_type is EntityType.ORGANISATION)
    tokens = tuple(tokenize_name(latin))
    if not tokens:
        # A name that is nothing but a legal form ("LLC") keeps its words.
        tokens = tuple(tokenize_name(ascii_text(_clean(raw, entity_type)).casefold()))
    if entity_type is not EntityType.PERSON:
        tokens = tuple(w for t in tokens for w in ORG_ABBREVIATIONS.get(t, t).split())
    return NameForm(
        original=raw,
        tokens=tokens,
        phonetic=tuple(phonetic_key(t) for t in tokens),
        legal_forms=forms,
        abjad=abjad,
    )


def _to_latin(
    text: str, strip: Callable[[str], tuple[str, tuple[str, ...]]], organisation: bool = False
) -> tuple[str, tuple[str, ...], bool]:
    """Transliterate, removing legal forms before (`ООО`) and after (`ooo`) it."""
    scripts = text_scripts(text)
    abjad = bool(scripts & ABJAD_SCRIPTS)
    text, cjk_forms = _strip_cjk_legal_forms(text) if strip is _strip_legal_forms else (text, ())
    text, native_forms = strip(text)
    if abjad:
        # The article is written joined (القذافي) and ع is left out of most romanisations
        # (`Ali` for علي): as Latin lists write them.
        if organisation:
            text = split_proclitics(text)
        text = _ARABIC_ARTICLE.sub(r"\1 ", text).translate(_ARABIC_UNWRITTEN)
    if "Cyrillic" in scripts:
        text = _bgn(text)  # `Sergey`, as English-language lists write Сергей, not ISO's `Sergej`
    latin, latin_forms = strip(ascii_text(text).casefold())
    return latin, tuple(sorted(set(cjk_forms + native_forms + latin_forms))), abjad


_ARABIC_ARTICLE = re.compile(r"(?<!\w)(ال)(?=\w{2})")
# `and`, `by`, `so`, `as` written joined to an article (والجهاد `wa al-jihad`, بالدم `bi al-dam`),
# and `for` joined to it without its alif (للصرافة `li al-sarafa`).
_ARABIC_PROCLITIC = re.compile(r"(?<!\w)([وبفك])(?=ال\w{2})")
_ARABIC_LI_AL = re.compile(r"(?<!\w)لل(?=\w{2})")


def split_proclitics(text: str) -> str:
    """An organisation's Arabic words with the particles joined to their article set apart, as
    Latin lists write them (`waljhad` is `w al jhad`). Organisations only: a person's name may
    begin with these letters (فالنتينا, Valentina)."""
    return _ARABIC_LI_AL.sub("ل ال", _ARABIC_PROCLITIC.sub(r"\1 ", text))


_ARABIC_UNWRITTEN = str.maketrans("", "", "عء")
_BGN_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _bgn_transliterator() -> icu.Transliterator:
    return icu.Transliterator.createInstance("Russian-Latin/BGN")


def _bgn(text: str) -> str:
    with _BGN_LOCK:  # an ICU transliterator is not safe to share between threads
        return str(_bgn_transliterator().transliterate(text))


@lru_cache(maxsize=50_000)
def english_respellings(token: str) -> frozenset[str]:
    """A Latin token read back into the Cyrillic it may stand for (`romanise`), written again as
    English-language lists write Russian (BGN/PCGN): `schtschukin` -> `shchukin`, `sergej` ->
    `sergei`. Lets an index of list spellings find a German or French one."""
    found = set()
    for reading in cyrillic_readings(token):
        if all("\u0400" <= c <= "\u04ff" for c in reading):  # the whole token was read
            found.add(ascii_text(_bgn(reading)).casefold())
    found.discard(token)
    return frozenset(found)


def cached_form(raw: str, entity_type: EntityType = EntityType.UNKNOWN) -> NameForm:
    """`normalise_name` with a memo, for scoring where the same names recur."""
    return _cached_form(raw, entity_type.value)


@lru_cache(maxsize=200_000)
def _cached_form(raw: str, entity_type: str) -> NameForm:
    # Keyed by the type's value: a key holding the enum member stays tracked by the garbage
    # collector, one more object per name for every collection to walk.
    return normalise_name(raw, EntityType(entity_type))


@lru_cache(maxsize=4096)
def normalise_country(value: str) -> str:
    """`RU`, `Russia`, `Russian Federation` all become `ru` (rigour's territory data)."""
    return territory_code(value.strip()) or " ".join(tokenize_name(ascii_text(value).casefold()))


def territory_code(text: str) -> str | None:
    """rigour's `lookup_territory(text)`, on the names table an index carried if one was
    adopted (the same steps: a code or QID, then the normalised name)."""
    if _territories is None:
        territory = lookup_territory(text)
        return territory.code if territory is not None else None
    territory = lookup_by_identifier(text)
    if territory is not None:
        return territory.code
    return _territories.get(normalize_territory_name(text))


_territories: dict[str, str] | None = None


def territory_table() -> dict[str, str]:
    """rigour's territory names, as its lookup normalises them, to territory codes. rigour builds
    it on first use by transliterating some 29,000 names (3–4 s); an index saves it and a process
    that loads the index adopts it."""
    return {name: territory.code for name, territory in _get_territory_names().items()}


def adopt_territory_table(table: dict[str, str]) -> None:
    global _territories
    _territories = table
    normalise_country.cache_clear()
    _is_place.cache_clear()


# One name per script and kind the lists hold: normalising them once makes rigour and ICU load
# their legal-form patterns and transliterators, so no screening waits for that.
WARM_UP_NAMES = (
    ("Dr Sergei Lavrov", EntityType.PERSON),
    ("Сергей Викторович Лавров", EntityType.PERSON),
    ("محمد بن سلمان", EntityType.PERSON),
    ("邱安达", EntityType.PERSON),
    ("Kim Jong Un 김정은", EntityType.PERSON),
    ("ООО Ромашка", EntityType.ORGANISATION),
    ("BR-YR Exec Search Ltd", EntityType.ORGANISATION),
    ("Al-Haramain Foundation (Kenya Branch)", EntityType.ORGANISATION),
    ("株式会社テスト", EntityType.ORGANISATION),
)


def warm_up() -> None:
    """Load what the first normalisation would otherwise load (see `WARM_UP_NAMES`)."""
    for name, kind in WARM_UP_NAMES:
        form = normalise_name(name, kind)
        _ = (form.units, form.family)
    cyrillic_readings("sergei")
    normalise_country("Russia")
