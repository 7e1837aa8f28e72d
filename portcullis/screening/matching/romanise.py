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

The table is built once per process, on first use (about a second).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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


@lru_cache(maxsize=1)
def surname_table() -> dict[str, frozenset[str]]:
    """Latin spelling -> the single-character Chinese surnames it can be written for."""
    import msgpack
    import taibun
    from cantoroman import Cantonese
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
    left, right = surname_characters(a), surname_characters(b)
    if not left or not right:
        return None
    return bool(left & right)
