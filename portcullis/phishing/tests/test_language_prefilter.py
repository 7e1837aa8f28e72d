"""The phrase prefilter (`language._Alternation`) is a speed-up only: it leaves out of each
alternation the phrases whose needed words a text lacks, and must find exactly what the whole
alternation finds."""

from __future__ import annotations

import re

import pytest

from portcullis.phishing.analysis import analyse, language

from .helpers import DATA

# Phrases cut, glued and spread over words, in several scripts, to catch a needed string that a
# real match could lack.
MIXED = (
    "Reverify your account now! verify your mailbox; account has been suspended, unauthorised "
    "sign-in. Pwd: x9, the password is 1234, passcode: 1. cpf bloqueado; sua conta foi "
    "bloqueada. re-validate or reactivate your access. CLAIM your tokens; airdrop-staking usdt. "
    "you've won 3,000,000 us dollars; congratulations!! gift card. within 24 hours, urgently, "
    "immediately. i'm mrs. smith, next of kin, late husband, fund of $5 million. click here. "
    "we will pay you a paid consultancy fee of $500 per report; payment can be made in usdt. "
    "not yet in the public domain; insider insights. all-expenses-paid study tour. add me on "
    "wechat or move this to signal; your personal email. impressive profile, places are limited, "
    "reply by friday. 有偿咨询，内部信息，加我微信，名额有限，以现金支付。 "
    "оплачиваем гонорар, непубличная информация, пишите в телеграм, все расходы оплачиваем."
)


def _alternations() -> list[language._Alternation]:
    phrases = [*language._APPROACH_COMPILED.values()]
    phrases += [language._FLATTERY_COMPILED, language._HASTE_COMPILED]
    found = list(language._COMPILED.values())
    for phrase in phrases:
        found += [a for a in (phrase.latin, phrase.cjk, phrase.cyrillic) if a is not None]
    return found


def _whole(alternation: language._Alternation, chosen: range | tuple[int, ...]) -> re.Pattern[str]:
    """The alternation of the `chosen` phrases, compiled whole as `hits` never does."""
    body = "|".join(f"(?:{alternation.patterns[i]})" for i in chosen)
    return re.compile(f"{alternation.prefix}(?:{body})")


def _texts() -> list[str]:
    texts = [language.folded_text([MIXED], 200_000), MIXED.lower()]
    for path in sorted(DATA.glob("*.eml")):
        texts.append(language.folded_text(analyse(path.read_bytes()).texts, 200_000))
    return texts


TEXTS = _texts()


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_the_prefiltered_alternation_finds_what_the_whole_one_finds(text: str) -> None:
    for alternation in _alternations():
        whole = _whole(alternation, range(len(alternation.patterns)))
        assert alternation.hits(text) == {m.group(0) for m in whole.finditer(text)}


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_every_match_of_a_phrase_holds_one_of_its_needed_strings(text: str) -> None:
    present = language._present(text)
    for alternation in _alternations():
        for index, needed in enumerate(alternation.needed):
            single = _whole(alternation, (index,))
            if needed is not None and single.search(text):
                assert needed & present, alternation.patterns[index]


def test_the_mixed_text_exercises_most_phrases() -> None:
    text = language.folded_text([MIXED], 200_000)
    matched = sum(
        1
        for alternation in _alternations()
        for index in range(len(alternation.patterns))
        if _whole(alternation, (index,)).search(text)
    )
    assert matched >= 40


def test_needed_strings_are_the_phrase_words() -> None:
    assert language._COMPILED["lure.credential"].needed[0] == frozenset({"\x00verify "})
    assert language._words_in("\x00verify ") == frozenset({"verify"})
    assert language._pieces_in("cpf ") == ("cpf\x01",)


def test_a_phrase_is_cut_only_at_its_own_top_level_bars() -> None:
    assert language._branches(r"a(b|c)|[|x]|\|d|\\|e") == ["a(b|c)", "[|x]", r"\|d", r"\\", "e"]
    assert language._branches(r"(a|b) c") == ["(a|b) c"]
