"""Chinese surnames across romanisation systems, through the characters they stand for.

`Qiu` (pinyin), `Chiu` (Wade-Giles, Taiwan), `Yau` (Hong Kong Cantonese) and `Khoo`
(Hokkien, Singapore and Malaysia) are all 邱; `Chou` (Wade-Giles for 周) and `Qian` (钱) are
not. String distance cannot tell these apart, so every common Chinese surname (Faker's
zh_CN and zh_TW surname lists) is read in each system by a maintained reading library:
pinyin and Wade-Giles by `pypinyin`, Hong Kong Government Cantonese by
`cantonese-romanisation`, Hokkien by `taibun`. A Latin spelling then stands for the set of
surname characters it can be written for, and two spellings are the same surname when their
sets meet, different surnames when both are known and they do not.

Only the first (common) Mandarin and Cantonese reading of a character counts: 沈 also reads
`chen`, but as a surname it is Shen. Hokkien keeps each reading taibun lists, because its
literary reading is the one surnames use (林 `lîm`, not the colloquial `nâ`). Han script itself
is transliterated to pinyin before comparison (ICU), so 邱 meets `Khoo` through `qiu`.

The table is built once per process, on first use (about a second), unless the process adopts
the table a saved index carries (`adopt_surname_table`).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

_NOT_LETTERS = re.compile(r"[^a-z]")


def _ascii(spelling: str) -> str:
    """`ch'iu` -> `chiu`, `lǚ` -> `lu`, `tiuⁿ` -> `tiu`."""
    decomposed = unicodedata.normalize("NFKD", spelling.casefold().replace("ⁿ", ""))
    return _NOT_LETTERS.sub("", decomposed)


def _hokkien_spellings(tai_lo: str) -> set[str]:
    """A Tâi-lô reading as Hokkien surnames are spelt (`tshuà` -> `chua`, `khu` -> `khoo`)."""
    base = _ascii(tai_lo)
    if base.endswith("nn"):  # nasal vowel: not written in passports
        base = base[:-2]
    base = base.replace("tsh", "ch").replace("ts", "ch")
    found = {base}
    if base.endswith("u") and not base.endswith(("iu", "au", "ou")):
        found.add(base[:-1] + "oo")  # Khu -> Khoo, as Singapore and Malaysia write it
    if base.endswith("o") and not base.endswith("oo"):
        found.add(base + "h")  # Ko -> Koh, Go -> Goh
    return found


def _surname_characters() -> list[str]:
    from faker.providers.person.zh_CN import Provider as Mainland
    from faker.providers.person.zh_TW import Provider as Taiwan

    return list(dict.fromkeys([*Mainland.last_names, *Taiwan.last_names]))


_adopted: dict[str, frozenset[str]] | None = None


def adopt_surname_table(table: dict[str, frozenset[str]]) -> None:
    """Use `table` (built by `surname_table` elsewhere, e.g. saved with an index) from now on,
    so this process need not read the reading libraries."""
    global _adopted
    _adopted = table
    surname_characters.cache_clear()


def surname_table() -> dict[str, frozenset[str]]:
    """Latin spelling -> the single-character Chinese surnames it can be written for."""
    return _adopted if _adopted is not None else _read_surname_table()


@lru_cache(maxsize=1)
def _read_surname_table() -> dict[str, frozenset[str]]:
    import msgpack
    import taibun
    from cantoroman import Cantonese

    # Single characters need no phrase table: without it pypinyin reads the same readings and
    # leaves no 200,000 lists behind for every garbage collection of the process to walk.
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
    from pypinyin import Style, lazy_pinyin

    data = taibun.__path__[0] + "/data/"
    with open(data + "prons.msgpack", "rb") as handle:
        hokkien = msgpack.unpackb(handle.read())
    with open(data + "traditional.msgpack", "rb") as handle:
        traditional = msgpack.unpackb(handle.read())
    cantonese = Cantonese()
    table: dict[str, set[str]] = {}
    for char in _surname_characters():
        if len(char) != 1:
            continue  # compound surnames (欧阳) are two tokens in Latin script
        full = traditional.get(char, char)
        spellings = {
            _ascii(lazy_pinyin(char, v_to_u=True)[0]),
            _ascii(lazy_pinyin(char, style=Style.WADEGILES)[0]),
        }
        hk = cantonese.getRoman(full)[0] or cantonese.getRoman(char)[0]
        if hk:
            spellings.add(_ascii(hk[0]))
        for reading in hokkien.get(full, hokkien.get(char, [])):
            spellings |= _hokkien_spellings(reading)
        key = full  # 陈 and 陳 are one surname
        for spelling in spellings:
            if len(spelling) > 1:
                table.setdefault(spelling, set()).add(key)
    return {spelling: frozenset(chars) for spelling, chars in table.items()}


@lru_cache(maxsize=50_000)
def surname_characters(token: str) -> frozenset[str]:
    """The Chinese surnames a Latin token can be a romanisation of (empty: none)."""
    return surname_table().get(token, frozenset())


def same_surname(a: str, b: str) -> bool | None:
    """True: one surname in two systems; False: two different Chinese surnames; None: unknown."""
    table = _adopted if _adopted is not None else _read_surname_table()
    left = table.get(a)
    if not left:
        return None
    right = table.get(b)
    if not right:
        return None
    return not left.isdisjoint(right)


# --- Cyrillic ---------------------------------------------------------------------------
#
# `Sergei` (BGN/PCGN), `Sergej` (ISO 9, German), `Serguei` (French) and `Sergey` are all
# Сергей; `Khrushchev`, `Chruschtschow` and `Khrouchtchev` are all Хрущёв. A Latin spelling is
# read back into the Cyrillic it stands for, once per family of systems: the English-language
# and international ones (BGN/PCGN, ICAO passports, GOST 52535, GOST 7.79, ISO 9, ALA-LC,
# scientific), the French (MVD 310 French) and the German (Duden). The English and French
# tables are `iuliia`'s, read the other way round; iuliia has no German system, so the Duden
# letters are written out below (letters, not names). Two spellings that read back to the same
# Cyrillic are one name. Letters the systems themselves write alike are folded (е/ё/э, и/й/ы,
# the soft and hard signs, doubled letters), so `Yevgeny`, `Evgeniy` and `Jewgeni` all meet.

ENGLISH_SYSTEMS = (
    "bgn_pcgn",
    "icao_doc_9303",
    "gost_52535",
    "wikipedia",
    "ala_lc",
    "mvd_310",
    "gost_779_alt",
    "iso_9_1968",
    "scientific",
)
FRENCH_SYSTEMS = ("mvd_310_fr",)
# Duden (DIN 1460 usage in German newspapers): ж sch, ш sch, щ schtsch, ч tsch, х ch, ц z,
# в w, й j, е je at the start, ё jo (o after a hissing consonant), ю ju, я ja, с s/ss.
GERMAN_SYSTEM = {
    "а": "a", "б": "b", "в": "w", "г": "g", "д": "d", "е": "e", "ё": "jo", "ж": "sch",
    "з": "s", "и": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "ss", "т": "t", "у": "u", "ф": "f", "х": "ch", "ц": "z", "ч": "tsch",
    "ш": "sch", "щ": "schtsch", "ы": "y", "э": "e", "ю": "ju", "я": "ja",
}  # fmt: skip
GERMAN_CONTEXT = {"je": "е", "sh": "ж", "s": "с"}
# ё after a hissing consonant is written o (`Chruschtschow`), as is о itself (`Schostakowitsch`),
# `sch` is both ж (`Prigoschin`) and ш, `s` both з (`Selenskyj`) and с: every reading is kept.
GERMAN_YO = {"scho": "шё", "tscho": "чё", "schtscho": "щё"}
# What the systems themselves write alike (or leave out) is one letter here.
_CYRILLIC_FOLD = str.maketrans({"ё": "е", "э": "е", "й": "и", "ы": "и", "ь": "", "ъ": ""})
_CYRILLIC_PAIRS = {"я": "иа", "ю": "иу"}
_VOWELS = frozenset("аеёиоуыэюяй")
# English-language usage writes кс as x (`Alexei`); only GOST 7.79's ASCII form uses x for х.
ENGLISH_USAGE = {"x": "кс"}
_MAX_LATIN = 8  # the longest Latin spelling of one or two Cyrillic letters (`schtscho`)


def fold_cyrillic(text: str) -> str:
    """`Хрущёв` -> `хрущев`, `Мария` -> `мариа`: one spelling per group of letters alike."""
    text = text.casefold().translate(_CYRILLIC_FOLD)
    for letter, pair in _CYRILLIC_PAIRS.items():
        text = text.replace(letter, pair)
    return _squeeze(text)


_REPEATED = re.compile(r"(.)\1+")


def _squeeze(text: str) -> str:
    """`chruschtschow` keeps one of each doubled letter: `(.)\1+` -> `\1`, with a function for
    the replacement (a template string sends every call through `re`'s Python-level parser)."""
    return _REPEATED.sub(_first_group, text)


def _first_group(found: re.Match[str]) -> str:
    return found.group(1)


def _schema(name: str) -> dict:
    import json

    import iuliia.repo

    with open(iuliia.repo.SCHEMA_DIR / f"{name}.json", encoding="utf-8") as handle:
        return json.load(handle)


def _add(table: dict[str, str], latin: str, cyrillic: str) -> None:
    latin, folded = _ascii(latin), fold_cyrillic(cyrillic)
    # A spelling the system gives to a sign alone (ICAO's `ie` for ъ) would swallow letters.
    if latin and folded and len(latin) <= _MAX_LATIN:
        table.setdefault(latin, folded)


def _read_back(systems: tuple[str, ...], table: dict[str, str] | None = None) -> dict[str, str]:
    """Latin spelling -> the folded Cyrillic it stands for; the first system listed wins."""
    table = {} if table is None else table
    schemas = [_schema(name) for name in systems]
    for schema in schemas:  # letters first: they decide every ambiguous spelling
        for cyrillic, latin in schema["mapping"].items():
            _add(table, latin, cyrillic)
    for schema in schemas:  # then letters in context (`gue` for ге in French)
        mapping, before = schema["mapping"], schema.get("next_mapping") or {}
        for pair, latin in (schema.get("prev_mapping") or {}).items():
            # After a vowel (`ye` for е after а) the pair's reading is the vowel's own, and read
            # as a pair it would swallow the next letter (`iy` as ие in `evgeniy`).
            if len(pair) == 2 and pair[0] in _VOWELS:
                continue
            first = before.get(pair, mapping.get(pair[0], "")) if len(pair) == 2 else ""
            spelt = _ascii(first + latin)  # French кс is `x`: к `` before с `x`
            # A pair spelt as its two letters are (BGN's `·e` for э after с) adds nothing.
            if spelt != _ascii("".join(mapping.get(c, "") for c in pair)):
                _add(table, spelt, pair)
        for ending, latin in (schema.get("ending_mapping") or {}).items():
            _add(table, latin, ending)
    return table


@lru_cache(maxsize=1)
def cyrillic_tables() -> tuple[dict[str, str], ...]:
    """The read-back table of each family of systems (built once per process)."""
    english = _read_back(ENGLISH_SYSTEMS) | ENGLISH_USAGE
    french = _read_back(FRENCH_SYSTEMS)
    german: dict[str, str] = {}
    for latin, cyrillic in GERMAN_CONTEXT.items():
        _add(german, latin, cyrillic)
    for cyrillic, latin in GERMAN_SYSTEM.items():
        _add(german, latin, cyrillic)
    variants = [german, german | {"sch": "ш"}]
    variants += [table | {"s": "з"} for table in variants]
    yo = {latin: fold_cyrillic(cyrillic) for latin, cyrillic in GERMAN_YO.items()}
    variants += [table | yo for table in variants]
    # What a French or German table does not spell (`kh`, `zh`) reads as in English.
    return (english, *({**english, **table} for table in (french, *variants)))


class _Reading(NamedTuple):
    """One table's reading: split a token into its spellings (longest first, left to right;
    letters no system uses stay as they are), then look each up."""

    need: str  # what a token must contain for the table to read it unlike plain German
    lookup: Callable[[str, str], str]
    # Spellings this table reads unlike the first table of its group: a token holding none of
    # them reads the same in both, so is not read twice.
    differs: frozenset[str]


def _pieces(table: dict[str, str]) -> Callable[[str], list[str]]:
    spellings = sorted(table, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, spellings)) + "|.").findall


@lru_cache(maxsize=1)
def _readers() -> tuple[tuple[Callable[[str], list[str]], tuple[_Reading, ...]], ...]:
    """English, French, German; German with sch as ш, s as з, both; then each with scho as шё.
    Tables that spell the same letters split a token alike, so they are grouped: one split per
    group, the first table of each group read by every token that reaches the group."""
    needs = ("", "", "", "sch", "s", "s", "scho", "scho", "scho", "scho")
    groups: list[tuple[dict[str, str], list[_Reading]]] = []
    for need, table in zip(needs, cyrillic_tables(), strict=True):
        group = next((g for g in groups if g[0].keys() == table.keys()), None)
        if group is None:
            group = (table, [])
            groups.append(group)
        first = group[0]
        differs = frozenset(k for k, v in table.items() if first[k] != v)
        group[1].append(_Reading(need, table.get, differs))
    return tuple((_pieces(first), tuple(readings)) for first, readings in groups)


@lru_cache(maxsize=100_000)
def cyrillic_readings(token: str) -> tuple[str, ...]:
    """The Cyrillic a Latin token reads back to in each family of systems (a tuple: unlike a
    frozenset, the garbage collector stops tracking it, and a scoring run keeps thousands)."""
    if len(token) < 3 or not token.isalpha():
        return ()
    found = set()
    for pieces, readings in _readers():
        split: list[str] | None = None
        first_read = False
        for position, (need, lookup, differs) in enumerate(readings):
            if need not in token:
                continue
            if split is None:
                split = pieces(token)
            elif first_read and differs.isdisjoint(split):
                continue  # reads as the group's first table did
            first_read = first_read or position == 0
            found.add(_squeeze("".join([lookup(p, p) for p in split])))
    return tuple(sorted(found))


def same_cyrillic(a: str, b: str) -> bool:
    """`sergei`/`serguei`/`sergej`: one Cyrillic name in two systems of spelling."""
    return not set(cyrillic_readings(a)).isdisjoint(cyrillic_readings(b))


# --- Arabic -----------------------------------------------------------------------------
#
# Arabic script writes consonants and long vowels; its romanisations differ in the vowels
# (`Mohammed`/`Muhammad`), doubled letters (`Qaddafi`/`Gadafi`) and in how a few letters are
# spelt: ق as q, k or g (`Qaddafi`, `Kadhafi`, `Gaddafi`; Persian `Ghasem` for Qasem), ذ/ض/ظ
# as dh, d, z or th, ش as sh or French ch, خ as kh, ج as j, dj or g. A name is compared on
# its consonants with each such group of spellings written as one letter, which is how the
# Arabic-script form itself (ICU's transliteration, ع and the article set apart) reads too.

_ARABIC_DIGRAPHS = {"kh": "x", "gh": "k", "sh": "s", "ch": "s", "th": "d", "dh": "d"}
_ARABIC_DIGRAPHS |= {"dj": "j", "zh": "j", "ph": "f"}
# ي is written: as y, as a diphthong (`Hussein`, `Husayn`, `Soleimani`) or a long or final i
# (`Saeed`, `Ali`), so Hussein (حسين) is not Hassan (حسن).
_ARABIC_YA = re.compile(r"ei|ey|ai|ay|ee|i$")
_ARABIC_LETTERS = str.maketrans("qgczpv", "kkkdbw", "aeiouw'")
ARTICLES = ("al", "el", "ul", "ad", "ar", "as", "at", "an", "az")
# `son of` as romanisations write ابن/بن (`ibn`, `bin`, `ben`; Malay `bin`, Hassaniya `ould`) and
# `father of` (`abu`, `abou`, Maghrebi `bou`): words a name is built with, written apart from or
# joined to the next (`Binalshibh`, `Abubakar`), its article too (`bin al-Shibh`).
SON_OF = frozenset(("bin", "ibn", "ben", "bn", "ibnu", "ould", "wuld", "walad"))
FATHER_OF = frozenset(("abu", "abou", "abo", "bou", "abi"))
NAME_PARTICLES = SON_OF | FATHER_OF


@lru_cache(maxsize=100_000)
def arabic_skeleton(token: str) -> str:
    """`qaddafi`, `gaddafi`, `kadhafi`, `qdhafy` (القذافي) -> `kdfy`; `abdullah` -> `bdl`."""
    for digraph, letter in _ARABIC_DIGRAPHS.items():
        token = token.replace(digraph, letter)
    token = _ARABIC_YA.sub("y", token)
    skeleton = _squeeze(token.translate(_ARABIC_LETTERS))
    # A final h is a vowel's (Abdullah/Abdulla, Fatimah/Fatima), not a consonant.
    return skeleton[:-1] if len(skeleton) > 2 and skeleton.endswith("h") else skeleton


# Somali's Latin orthography (official since 1972) writes ح as x and ع as c: `Xasan` is Hassan,
# `Cabdullaahi` Abdullahi, `Maxamed` Mohamed, `Cusman` Osman, `Jaamac` Jama. Read so only where
# other spellings do not use the letter: c at the start of a word before a vowel or at its end
# after one (`marco`, `lucas` keep theirs), x anywhere but in a pinyin syllable (`xiao`, `xun`).
_SOMALI_AYN = re.compile(r"^c(?=[aeiou])|(?<=[aeiou])c$")
_SOMALI_HA = re.compile(r"x(?![iu](?:[aeiou]|n|$))")


def somali_reading(token: str) -> str:
    """A token as Arabic romanisations would write it if it is Somali spelling: `xasan` ->
    `hasan`, `cabdi` -> `abdi`; other tokens unchanged."""
    if "x" not in token and "c" not in token:
        return token
    return _SOMALI_AYN.sub("", _SOMALI_HA.sub("h", token))


# Compound names. Many Arabic given names are two words: a theophoric `X al-Din` (نور الدين),
# `X al-Islam` (سيف الإسلام) or `X al-Haqq` (ضياء الحق), or `Abd al-X` (عبد الرزاق). Lists write
# them joined, split or hyphenated (`Nuruddin`, `Nur al-Din`, `Nour-Eddine`), with the article's
# vowel as a, e, u, ou or none, and its l assimilated to a sun letter (`ud-Din`, `Abd ar-Razzaq`,
# `Abderrahmane`) or left out (`Abdrazzak`). Such a compound is read as its two elements'
# consonants (`arabic_skeleton`, long vowels left out as the article is): `Khairuddin`, `Khayr
# al-Din` and `Khair Eddine` are all `xr+dn`; `Abdelrazak`, `Abdul Razak` and `Abdrazzak` all
# `bd+rzk`. The forms met are the article's vowels and sun letters, not a list of names.
_COMPOUND_TAILS = (
    ("dn", re.compile(r"d{1,2}(?:ee|ea|ii|i|e|y)n{1,2}e?$")),  # din, deen, ddine, dyn
    ("slm", re.compile(r"[ie]sl[aeo]{1,2}m$")),  # islam, eslam
    ("hk", re.compile(r"h[aeu]q{1,2}$|h[aeu]k$")),  # haq, haqq, huq, hak
)
COMPOUND_ENDS = ("n", "ne", "m", "q", "k")  # how every second element of `_COMPOUND_TAILS` ends
# What is left of the article (and the first element's last short vowel) before the second
# element: al, el, ul, ol, u, e, ou, or nothing (`Nurdin`).
_ARTICLE_END = re.compile(r"(?:[aeiou]{1,2}l|[aeiou]{1,2})$")
# `Abd`, as romanisations (`Abdul`, `Abdel`, `Abdou`) and the Arabic script (`bd`, ع unwritten)
# begin it.
_ABD = re.compile(r"^a?bd")
MIN_COMPOUND_PART = 2  # letters of the first element (`Nur`) and of Abd's second (`Hay`)
_LONG_VOWEL_LETTERS = str.maketrans("", "", "yw")


def _compound_part(text: str) -> str:
    """An element's consonants without its long vowels (`khayr`, `khair`, `kher` -> `xr`)."""
    return _squeeze(arabic_skeleton(text).translate(_LONG_VOWEL_LETTERS))


class Compound(NamedTuple):
    """A compound given name read from one word: its key (`nr+dn`), its first element as
    written (`nour`; `rahman` for an Abd compound, whose first element is always Abd) and the
    key of its second (`dn`, or `bd` for Abd)."""

    key: str
    element: str
    kind: str


_NO_COMPOUND = Compound("", "", "")
# After `Abd`: the article, as romanisations write it before the second element (`el`, `ul`,
# `ar`, `ur`: assimilated, its consonant then doubled) or not at all.
_ABD_ARTICLE = re.compile(r"^[aeiou]{0,2}l(?=[^aeiou])|^[aeiou]{1,2}")


@lru_cache(maxsize=100_000)
def arabic_compound_parts(text: str) -> Compound:
    """`arabic_compound`, with the element that tells two compounds of one kind apart."""
    if (
        len(text) < 5
        or not (text.endswith(COMPOUND_ENDS) or "bd" in text[:4])
        or not text.isalpha()
    ):
        return _NO_COMPOUND  # ends as no second element does, and is no Abd compound
    text = somali_reading(text)
    found = _ABD.match(text)
    if found is not None:
        rest = text[found.end() :]
        if len(rest) < MIN_COMPOUND_PART + 1:
            return _NO_COMPOUND
        second = _compound_part(rest)
        # The article's l: kept by `Abdel-`, `Abdul-`, assimilated or dropped by `Abder-`,
        # `Abdu-`, `Abd-`; an l of the second element (`Latif`) is the article's too.
        if len(second) > MIN_COMPOUND_PART and second[0] == "l":
            second = second[1:]
        if len(second) < MIN_COMPOUND_PART:
            return _NO_COMPOUND
        element = _ABD_ARTICLE.sub("", rest)
        return Compound("bd+" + second, element or rest, "bd")
    for tail, pattern in _COMPOUND_TAILS:
        found = pattern.search(text)
        if found is None:
            continue
        before = text[: found.start()]
        first = _ARTICLE_END.sub("", before)
        if before and not first:
            return Compound("+" + tail, "", tail)  # the second element with its article (`eddine`)
        if len(first) < MIN_COMPOUND_PART:
            return _NO_COMPOUND
        head = _compound_part(first)
        return Compound(head + "+" + tail, first, tail) if head else _NO_COMPOUND
    return _NO_COMPOUND


def arabic_compound(text: str) -> str:
    """The key of a compound given name written as one word (`nuruddin`, `noureddine`,
    `nuraldin` for `nur al din` -> `nr+dn`; `abdelrazak`, `abdrazzak` -> `bd+rzk`), or "" if
    `text` is no such compound. Two spellings with one key are one name."""
    return arabic_compound_parts(text).key
