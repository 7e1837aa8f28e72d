"""Organisation name words across languages, through FreeDict's bilingual dictionaries.

Lists write one organisation's name in several languages (`Ejército de Liberación Nacional` /
`National Liberation Army`, `Groupe islamique combattant marocain` / `Moroccan Islamic
Combatant Group`). String distance finds the cognates (`nacional`/`national`) but not the other
words (`ejército`/`army`), so an organisation's word that a dictionary translates into the
other name's word counts as a variant of it (`compare`), weaker than the same word.

The dictionaries are Debian's `dict-freedict-*-eng` packages (GPL: read where they are
installed, never copied into this repository), read once per process on first use. A missing
package only means fewer translations. Only a headword's first senses count: later ones are
the figurative or rare ones (`الإدارة` is `administration` first, `twiddling` 17th).

Which words of a name are English words at all, and which name places, is WordNet's (Debian's
`wordnet-base`, read where it is installed): a word it does not know is a name of its own
(`Roshan`, `Kumryong`), and two sister bodies' names differ in such words or in places
(`Mosul` / `Haditha` dam, the `Kenya` / `Tanzania` branch), one body's aliases rather in common
words (`Roshan Trading Company` / `Roshan Money Exchange`). See `Lexicon`.
"""

from __future__ import annotations

import gzip
import os
import string
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from rigour.names import tokenize_name
from rigour.text.translit import ascii_text

from .romanise import arabic_skeleton

DICTIONARIES = Path(os.environ.get("PORTCULLIS_FREEDICT_DIR", "/usr/share/dictd"))
# Languages organisations on the lists are named in, beside English (Debian packages
# dict-freedict-LLL-eng). German's dictionary is 95 MB and lists name few German bodies.
LANGUAGES = ("spa", "fra", "por", "ita", "tur", "ara")
MAX_SENSES = 3
# Without short vowels many Arabic words share their consonants (`nsr`: ansar, nasr, nusra, nisr):
# consonants that more than this many headwords share translate nothing.
MAX_ARABIC_HEADWORDS = 6
MAX_LATIN_HEADWORDS = 4  # accents folded: `pêche`, `péché` and `pèche` are one spelling
# dictd's index writes offsets and lengths in base 64, most significant digit first.
_DIGITS = string.ascii_uppercase + string.ascii_lowercase + string.digits + "+/"
_B64 = {c: i for i, c in enumerate(_DIGITS)}
WORDNET = Path(os.environ.get("PORTCULLIS_WORDNET_DIR", "/usr/share/wordnet"))
WORDNET_PARTS = ("noun", "verb", "adj", "adv")
WORDNET_LOCATION = 15  # WordNet's lexicographer file noun.location: `Mosul`, `Kenya`, `Levant`


def _number(text: str) -> int:
    value = 0
    for char in text:
        value = value * 64 + _B64[char]
    return value


def _one_word(text: str) -> str | None:
    words = tokenize_name(ascii_text(text).casefold())
    return words[0] if len(words) == 1 and len(words[0]) > 1 else None


def _senses(entry: str) -> list[str]:
    """The English words of a dictd entry: its lines after the headword, `1. army` or `army,
    host`, one word each."""
    found: list[str] = []
    for line in entry.splitlines()[1:]:
        line = line.strip()
        head, dot, rest = line.partition(". ")
        if dot and head.isdigit():
            line = rest
        for part in line.split(","):
            word = _one_word(part)
            if word and word not in found:
                found.append(word)
    return found[:MAX_SENSES]


def read_dictionary(
    language: str,
    headword: Callable[[str], str | None],
    max_headwords: int,
    directory: Path = DICTIONARIES,
) -> dict[str, set[str]]:
    """`headword` spells a headword as names are compared (None: not a word a name holds); a
    spelling that more than `max_headwords` headwords share is too ambiguous to translate."""
    index = directory / f"freedict-{language}-eng.index"
    data = directory / f"freedict-{language}-eng.dict.dz"
    if not index.exists() or not data.exists():
        return {}
    text = gzip.decompress(data.read_bytes())
    table: dict[str, set[str]] = {}
    headwords: dict[str, int] = {}
    for line in index.read_text(encoding="utf-8").splitlines():
        word, _, place = line.partition("\t")
        if word.startswith("00database") or not place:
            continue
        key = headword(word) if " " not in word.strip() else None  # a word, not a phrase
        if key is None:
            continue
        offset, _, length = place.partition("\t")
        start = _number(offset)
        entry = text[start : start + _number(length)].decode("utf-8", "replace")
        senses = [s for s in _senses(entry) if s != key]
        if senses:
            table.setdefault(key, set()).update(senses)
            headwords[key] = headwords.get(key, 0) + 1
    return {key: senses for key, senses in table.items() if headwords[key] <= max_headwords}


def latin_headword(word: str) -> str | None:
    # Not a suffix (`-al`: `-ish, -like`).
    return None if word.startswith("-") else _one_word(word)


def arabic_headword(word: str) -> str | None:
    # Its consonants as the normaliser writes Arabic script and `arabic_skeleton` reads every
    # romanisation, so `حركة` meets both a transliterated `hrkt` and a list's `harakat`; the
    # article is no part of the word.
    from .model import EntityType
    from .normalise import normalise_name

    tokens = [t for t in normalise_name(word, EntityType.ORGANISATION).tokens if t != "al"]
    if len(tokens) != 1 or len(tokens[0]) < 3:
        return None
    skeleton = arabic_skeleton(tokens[0])
    return skeleton if len(skeleton) >= 3 else None


class Tables(NamedTuple):
    latin: dict[str, frozenset[str]]  # a word as the normaliser spells it -> English words
    arabic: dict[str, frozenset[str]]  # an Arabic word's consonants -> English words
    english: frozenset[str]  # every English word the dictionaries give


def _frozen(table: dict[str, set[str]]) -> dict[str, frozenset[str]]:
    return {word: frozenset(senses) for word, senses in table.items()}


_adopted: Tables | None = None


def translation_tables() -> Tables:
    """The dictionaries as names are compared, read on first use (about a second) unless the
    process adopted the tables a saved index carries (`adopt_translation_tables`)."""
    return _adopted if _adopted is not None else _read_tables()


def saved_tables() -> dict[str, dict[str, list[str]]]:
    """The tables as an index saves them (JSON)."""
    tables = translation_tables()
    return {
        name: {word: sorted(senses) for word, senses in table.items()}
        for name, table in (("latin", tables.latin), ("arabic", tables.arabic))
    }


def adopt_translation_tables(saved: dict[str, dict[str, list[str]]]) -> None:
    global _adopted
    latin = {word: frozenset(senses) for word, senses in saved["latin"].items()}
    arabic = {word: frozenset(senses) for word, senses in saved["arabic"].items()}
    _adopted = _tables(latin, arabic)
    english_senses.cache_clear()


def dictionary_files() -> list[str]:
    """The dictionaries installed, with their sizes: part of an index's code version."""
    found = []
    paths = [DICTIONARIES / f"freedict-{language}-eng.dict.dz" for language in LANGUAGES]
    for path in [*paths, *(WORDNET / f"data.{part}" for part in WORDNET_PARTS)]:
        if path.exists():
            found.append(f"{path.name} {path.stat().st_size}")
    return found


def _tables(latin: dict[str, frozenset[str]], arabic: dict[str, frozenset[str]]) -> Tables:
    english = {s for table in (latin, arabic) for senses in table.values() for s in senses}
    return Tables(latin, arabic, frozenset(english))


@lru_cache(maxsize=1)
def _read_tables() -> Tables:
    latin: dict[str, set[str]] = {}
    for language in LANGUAGES:
        if language != "ara":
            for word, senses in read_dictionary(
                language, latin_headword, MAX_LATIN_HEADWORDS
            ).items():
                latin.setdefault(word, set()).update(senses)
    arabic = (
        read_dictionary("ara", arabic_headword, MAX_ARABIC_HEADWORDS) if "ara" in LANGUAGES else {}
    )
    return _tables(_frozen(latin), _frozen(arabic))


def singular(word: str) -> str:
    """`armies` -> `army`, `soldiers` -> `soldier`: senses and words compared in the singular."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


@lru_cache(maxsize=100_000)
def english_senses(token: str) -> frozenset[str]:
    """The English words a dictionary gives for a word of an organisation's name, in the
    singular: its own entry and the entry of the Arabic word with its consonants (`harakat`,
    `hrkt` -> movement), unless it is an English word (one the dictionaries give as a sense):
    consonants alone would read too much into `bank` or `trading`. English words keep their
    French or Spanish entry (`bureau` -> office)."""
    tables = translation_tables()
    found = tables.latin.get(token, _NONE)
    if len(token) >= 3 and token not in tables.english:
        found = found | tables.arabic.get(arabic_skeleton(token), _NONE)
    return frozenset(singular(s) for s in found) if found else _NONE


_NONE: frozenset[str] = frozenset()


# --- English words and places (WordNet) --------------------------------------------------


class Lexicon(NamedTuple):
    words: frozenset[str]  # every one-word lemma WordNet holds, case-folded: `trading`, `mosul`
    places: frozenset[str]  # those whose first sense is a place's proper name: `mosul`, `kenya`


def read_wordnet(directory: Path = WORDNET) -> Lexicon:
    """WordNet's one-word lemmas, and the proper names among them whose commonest sense is a
    place. A missing WordNet knows no word: every word is then a name of its own, as before."""
    words: set[str] = set()
    common: set[str] = set()
    place_synsets: set[str] = set()
    for part in WORDNET_PARTS:
        path = directory / f"data.{part}"
        if not path.exists():
            continue
        with path.open(encoding="latin-1") as handle:
            for line in handle:
                if line.startswith(" "):
                    continue  # the licence
                fields = line.split(" ")
                if part == "noun" and int(fields[1]) == WORDNET_LOCATION:
                    place_synsets.add(fields[0])
                for i in range(int(fields[3], 16)):
                    word = fields[4 + 2 * i].split("(")[0]  # `(a)`: an adjective's position
                    if word.isalpha():
                        words.add(word.casefold())
                        if not word[0].isupper():
                            common.add(word)
    places: set[str] = set()
    index = directory / "index.noun"
    if index.exists():
        with index.open(encoding="latin-1") as handle:
            for line in handle:
                fields = line.split()
                if line.startswith(" ") or len(fields) < 3:
                    continue
                lemma, senses = fields[0], int(fields[2])
                # Senses are listed commonest first.
                if lemma in words and lemma not in common and fields[-senses] in place_synsets:
                    places.add(lemma)
    return Lexicon(frozenset(words), frozenset(places))


_adopted_lexicon: Lexicon | None = None


def lexicon() -> Lexicon:
    """WordNet's words, read on first use (about a second) unless the process adopted the ones a
    saved index carries."""
    return _adopted_lexicon if _adopted_lexicon is not None else _read_lexicon()


@lru_cache(maxsize=1)
def _read_lexicon() -> Lexicon:
    return read_wordnet()


def saved_lexicon() -> dict[str, list[str]]:
    """The lexicon as an index saves it (JSON)."""
    words = lexicon()
    return {"words": sorted(words.words), "places": sorted(words.places)}


def adopt_lexicon(saved: dict[str, list[str]]) -> None:
    global _adopted_lexicon
    _adopted_lexicon = Lexicon(frozenset(saved["words"]), frozenset(saved["places"]))
    is_english_word.cache_clear()
    is_wordnet_place.cache_clear()


@lru_cache(maxsize=100_000)
def is_english_word(token: str) -> bool:
    """Whether WordNet holds the word, or its singular (`industries`)."""
    words = lexicon().words
    return token in words or singular(token) in words


@lru_cache(maxsize=100_000)
def is_wordnet_place(token: str) -> bool:
    return token in lexicon().places
