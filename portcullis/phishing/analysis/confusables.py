"""Words written with look-alike characters: `Iedger` (capital I for l), `PayPaI`, `Iog in`,
`IMP0RTANT`, Cyrillic `Аpple`. Spam kits spell brand names and lure words this way so that
keyword filters miss them while a reader sees the real word.

Comparison uses ICU's confusable skeletons (UTS #39, `SpoofChecker.getSkeleton`), lower-cased,
against a fixed vocabulary of brand names and lure words; a token is disguised when its skeleton
equals a vocabulary word's but its letters are not that word.
"""

from __future__ import annotations

import re
from functools import lru_cache

import icu

from .brands import BRANDS, fold

_SPOOF = icu.SpoofChecker()

# Lure words worth disguising (brands are added from brands.BRANDS).
LURE_WORDS = frozenset(
    re.findall(
        r"\S+",
        """
    account accounts login log sign signin password passwords verify verification verified
    security secure update confirm confirmation bank banking wallet bitcoin crypto reward
    rewards bonus prize winner gift free claim consumer important information urgent alert
    notice support service customer payment invoice refund delivery package order suspended
    locked limited access user email mail mailbox unlock recovery statement balance credit
    card tax government official activity unusual blocked expired expire winning casino
    conta senha acesso cliente banco pagamento premio bloqueio bloqueada seguranca cadastro
    atualizacao atualize confirme pendente fatura boleto receita entrega encomenda
    konto sicherheit rechnung zahlung gewinn
    """,
    )
)

_TOKEN = re.compile(r"[^\W_]{3,30}")


@lru_cache(maxsize=32768)
def _key(token: str) -> str:
    return str(_SPOOF.getSkeleton(0, token)).lower()


_WORDS = LURE_WORDS | {b for b in BRANDS if re.fullmatch(r"[a-z]{3,}", b)}


@lru_cache(maxsize=1)
def _vocabulary() -> dict[str, str]:
    """Skeleton key -> the vocabulary word, for lower, Title and UPPER spellings."""
    keys: dict[str, str] = {}
    for word in sorted(_WORDS):
        for variant in (word, word.title(), word.upper()):
            keys.setdefault(_key(variant), word)
    return keys


def disguised(text: str, limit: int = 300) -> list[tuple[str, str]]:
    """(token as written, word it imitates) for each disguised token among the first `limit`."""
    hits: list[tuple[str, str]] = []
    for token in _TOKEN.findall(text)[:limit]:
        word = _imitated(token)
        if word and (token, word) not in hits:
            hits.append((token, word))
    return hits


@lru_cache(maxsize=32768)
def _imitated(token: str) -> str | None:
    """The vocabulary word `token` spells with look-alike characters, if any (not itself)."""
    folded = fold(token)
    if folded in _WORDS:
        return None  # the real word
    word = _vocabulary().get(_key(token))
    return word if word and folded != word else None


def disguised_brand(display_name: str) -> str | None:
    """The brand a display name spells with look-alike characters (`Iedger`, `lRS.GOV`)."""
    for _, word in disguised(display_name, limit=20):
        if word in BRANDS:
            return word
    return None
