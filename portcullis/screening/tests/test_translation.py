"""Organisations named in another language: words compared through FreeDict's dictionaries."""

import gzip

import pytest

from portcullis.screening.matching import (
    Entity,
    EntityType,
    NameIndex,
    Subject,
    get_algorithm,
    normalise_name,
    screen,
)
from portcullis.screening.matching.compare import best_name_comparison
from portcullis.screening.matching.translate import (
    adopt_translation_tables,
    english_senses,
    latin_headword,
    read_dictionary,
    saved_tables,
)

ORG = EntityType.ORGANISATION
PERSON = EntityType.PERSON


def score(left: str, right: str, entity_type: EntityType = ORG) -> float:
    subject = Subject(left, entity_type=entity_type)
    return get_algorithm().score(subject, Entity("t:1", "t", (right,), entity_type)).score


def comparison(left: str, right: str, organisation: bool = True):
    forms = (normalise_name(left, ORG),), (normalise_name(right, ORG),)
    return best_name_comparison(*forms, organisation=organisation)


def test_ejercito_de_liberacion_nacional_finds_the_national_liberation_army():
    index = NameIndex.build(
        [
            Entity("t:1", "t", ("National Liberation Army",), ORG),
            Entity("t:2", "t", ("National Liberation Front",), ORG),
            Entity("t:3", "t", ("Revolutionary Armed Forces",), ORG),
        ]
    )
    found = screen(index, Subject("Ejército de Liberación Nacional", entity_type=ORG))
    assert [m.entity.entity_id for m in found] == ["t:1"]
    assert found[0].is_match


def test_the_national_liberation_army_finds_its_name_in_spanish_on_a_list():
    index = NameIndex.build([Entity("t:1", "t", ("Ejército de Liberación Nacional",), ORG)])
    found = screen(index, Subject("National Liberation Army", entity_type=ORG))
    assert [m.entity.entity_id for m in found] == ["t:1"]


@pytest.mark.parametrize(
    ("written", "listed"),
    [
        ("Groupe Islamique Combattant Marocain", "Moroccan Islamic Combatant Group"),  # French
        ("Harakat Sham al-Islam", "Sham al-Islam Movement"),  # Arabic, romanised
        ("Jaish-i-Mohammed", "Army of Mohammed"),
        ("Jund al-Aqsa", "Soldiers of Aqsa"),  # a plural sense
    ],
)
def test_a_name_in_another_language_matches_its_english_name(written, listed):
    assert score(written, listed) >= get_algorithm().threshold
    assert score(listed, written) >= get_algorithm().threshold


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Ejército de Liberación Nacional", "National Liberation Front"),
        ("Ejército de Liberación Nacional", "National Salvation Army"),
        ("Harakat Sham al-Islam", "Sham al-Islam Army"),
        ("Jaish Ansar al-Sunna", "Ansar al-Sunna Movement"),
    ],
)
def test_organisations_that_differ_in_one_translated_word_do_not_match(left, right):
    assert score(left, right) < get_algorithm().threshold


def test_a_translated_word_is_a_variant_weaker_than_the_same_word():
    translated = comparison("Ejército de Liberación Nacional", "National Liberation Army")
    assert "ejercito~army (0.85)" in translated.explain()
    assert score("Ejercito de Liberacion Nacional", "National Liberation Army") < score(
        "Ejercito de Liberacion Nacional", "Ejercito de Liberacion Nacional"
    )


def test_function_words_are_not_translated_into_each_other():
    # `de` is `of` in Spanish, but a function word explains nothing.
    assert "de~of" not in comparison("Banco de Venezuela", "Bank of Venezuela").explain()


def test_a_persons_names_are_not_translated():
    assert comparison("Jaish Mohammed", "Army Mohammed", organisation=False).conflicts(False)
    assert score("Ahmad JAISH", "Ahmad ARMY", PERSON) < get_algorithm().threshold


def test_the_tables_a_saved_index_carries_translate_the_same():
    senses = english_senses("ejercito"), english_senses("harakat")
    assert "army" in senses[0] and "movement" in senses[1]
    adopt_translation_tables(saved_tables())
    assert (english_senses("ejercito"), english_senses("harakat")) == senses


def write_dictionary(directory, entries: list[tuple[str, str]]) -> None:
    """A dictd database as Debian's FreeDict packages install it: entries, base-64 index."""
    digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

    def b64(number: int) -> str:
        text = ""
        while True:
            text = digits[number % 64] + text
            number //= 64
            if not number:
                return text

    body, index = b"", []
    for headword, senses in entries:
        entry = f"{headword} /ipa/\n{senses}\n".encode()
        index.append(f"{headword}\t{b64(len(body))}\t{b64(len(entry))}")
        body += entry
    (directory / "freedict-xxx-eng.dict.dz").write_bytes(gzip.compress(body))
    (directory / "freedict-xxx-eng.index").write_text("\n".join(sorted(index)) + "\n")


def test_a_dictionary_keeps_a_words_first_senses_and_no_phrases(tmp_path):
    write_dictionary(
        tmp_path,
        [
            ("ejército", "1. army\n2. host\n3. military\n4. multitude"),
            ("a bordo", "aboard"),
            ("pêche", "fishing"),
            ("péché", "sin"),
        ],
    )
    table = read_dictionary("xxx", latin_headword, max_headwords=1, directory=tmp_path)
    assert table == {"ejercito": {"army", "host", "military"}}  # `peche` is two words: neither


def test_a_missing_dictionary_translates_nothing(tmp_path):
    assert read_dictionary("xxx", latin_headword, max_headwords=1, directory=tmp_path) == {}


@pytest.mark.parametrize(
    ("written", "listed"),
    [
        ("IRGC", "Islamic Revolutionary Guard Corps"),
        ("I.R.G.C.", "Islamic Revolutionary Guard Corps"),
        ("HUM", "Harakat ul-Mujahidin"),  # a function word's initial taken
        ("AQI", "Al-Qaida in Iraq"),  # ...or left out
    ],
)
def test_an_acronym_matches_the_name_it_abbreviates(written, listed):
    assert score(written, listed) >= get_algorithm().threshold
    assert score(listed, written) >= get_algorithm().threshold


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("IRGC", "Iran Revolutionary Guard"),  # one initial short
        ("IRGC", "Islamic Guard Revolutionary Corps"),  # out of order
        ("IR", "Islamic Republic"),  # too short to say
    ],
)
def test_letters_that_are_not_the_names_initials_do_not_match(left, right):
    assert score(left, right) < get_algorithm().threshold


def test_a_persons_initials_are_not_an_acronym():
    assert score("VVP", "Vladimir Vladimirovich Putin", PERSON) < get_algorithm().threshold


def test_an_index_finds_an_organisation_by_its_acronym_and_by_its_name():
    index = NameIndex.build(
        [
            Entity("t:1", "t", ("Islamic Revolutionary Guard Corps",), ORG),
            Entity("t:2", "t", ("ETIM",), ORG),
        ]
    )
    found = screen(index, Subject("IRGC", entity_type=ORG), limit=1)
    assert [match.entity.entity_id for match in found] == ["t:1"]
    found = screen(index, Subject("Eastern Turkistan Islamic Movement", entity_type=ORG), limit=1)
    assert [match.entity.entity_id for match in found] == ["t:2"]


@pytest.mark.parametrize(
    ("written", "listed"),
    [
        ("جماعة نصرة الإسلام والمسلمين", "Jama'a Nusrat ul-Islam wa al-Muslimin"),  # و joined
        ("الموقعون بالدم", "Al Mouakaoune Biddam"),  # ب joined to its article
        ("الاتحاد الاسلامي", "Islamic Union"),  # a consonant skeleton several words share
    ],
)
def test_arabic_script_matches_its_romanisation_and_translation(written, listed):
    assert score(written, listed) >= get_algorithm().threshold


def test_the_particles_joined_to_an_article_are_set_apart_for_organisations_only():
    assert normalise_name("مكتب حنيفة للصرافة", ORG).tokens == ("mktb", "hnyft", "l", "al", "sraft")
    assert normalise_name("والجهاد", ORG).tokens == ("w", "al", "jhad")
    assert normalise_name("فالنتينا", PERSON).tokens == ("falntyna",)  # Valentina


def test_arabic_script_organisations_that_differ_in_a_word_do_not_match():
    assert score("جماعة نصرة الإسلام والمسلمين", "Jama'a Nusrat ul-Islam wa al-Mujahidin") < 0.5
