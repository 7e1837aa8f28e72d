"""Organisations under the word-conflict ceiling, ranked by what their differing and shared words
are: a word of their own (no dictionary holds it), a place, or a common English word (WordNet)."""

import pytest

from portcullis.screening.matching import EntityType, Subject, get_algorithm
from portcullis.screening.matching.algorithms import (
    held_under_threshold,
    learnt_values,
    prepare_entity,
    prepare_subject,
)
from portcullis.screening.matching.compare import best_name_comparison, is_place, own_name
from portcullis.screening.matching.model import Entity
from portcullis.screening.matching.normalise import normalise_name
from portcullis.screening.matching.translate import (
    adopt_lexicon,
    is_english_word,
    lexicon,
    read_wordnet,
    saved_lexicon,
)

ORG = EntityType.ORGANISATION
PERSON = EntityType.PERSON


def sides(left: str, right: str, entity_type: EntityType = ORG):
    subject = prepare_subject(Subject(name=left, entity_type=entity_type))
    entity = prepare_entity(Entity("e:1", "t", (right,), entity_type))
    return subject, entity


def values(left: str, right: str, entity_type: EntityType = ORG) -> dict[str, float]:
    return learnt_values(*sides(left, right, entity_type)).values


def score(left: str, right: str, entity_type: EntityType = ORG) -> float:
    return get_algorithm().score_prepared(*sides(left, right, entity_type)).score


def comparison(left: str, right: str):
    found = best_name_comparison(
        (normalise_name(left, ORG),), (normalise_name(right, ORG),), organisation=True
    )
    assert found is not None
    return found


@pytest.mark.parametrize("word", ["zorvak", "quelbrin", "tashkovar"])
def test_a_word_no_dictionary_holds_is_a_name_of_its_own(word):
    assert own_name(word)


@pytest.mark.parametrize(
    "word", ["trading", "industries", "shipping", "money", "company", "kenya", "of", "al"]
)
def test_english_words_places_kinds_of_body_and_function_words_are_not(word):
    assert not own_name(word)


@pytest.mark.parametrize("word", ["kenya", "tanzania", "mosul", "yemen"])
def test_countries_and_the_places_wordnet_names_are_places(word):
    assert is_place(word)


@pytest.mark.parametrize("word", ["trading", "zorvak", "bank", "foundation"])
def test_common_words_and_unknown_words_are_not_places(word):
    assert not is_place(word)


def test_two_names_sharing_a_word_of_their_own_share_a_name():
    assert comparison("Zorvak Trading Company", "Zorvak Money Exchange").shares_own_name()


def test_two_names_sharing_only_common_words_and_places_share_no_name():
    found = comparison("Northern Quelbrin Shipping", "Northern Tashkovar Shipping")
    assert not found.shares_own_name()


def test_two_names_each_keeping_a_place_the_other_lacks_differ_in_places():
    found = comparison("Zorvak Relief Foundation Kenya", "Zorvak Relief Foundation Yemen")
    assert found.places_differ()


def test_two_names_differing_in_common_words_do_not_differ_in_places():
    assert not comparison("Zorvak Trading Company", "Zorvak Money Exchange").places_differ()
    # A place on one side only is no second place.
    assert not comparison("Zorvak Relief Kenya", "Zorvak Charity Foundation").places_differ()


def test_an_alias_in_other_common_words_ranks_above_sister_bodies_in_other_own_names():
    alias = ("Zorvak Trading Company", "Zorvak Money Exchange")
    sisters = ("Northern Quelbrin Shipping", "Northern Tashkovar Shipping")
    for pair in (alias, sisters):
        assert held_under_threshold(*sides(*pair))  # the ceiling holds both
        assert score(*pair) < get_algorithm().threshold
    assert score(*alias) > score(*sisters)


def test_branches_in_two_places_rank_below_the_same_names_differing_in_a_common_word():
    branches = ("Zorvak Relief Foundation Kenya", "Zorvak Relief Foundation Yemen")
    renamed = ("Zorvak Relief Foundation Textiles", "Zorvak Relief Foundation Bakery")
    assert score(*renamed) > score(*branches)
    assert max(score(*branches), score(*renamed)) < get_algorithm().threshold


def test_organisations_whose_names_agree_get_neither_feature():
    found = values("Zorvak Trading Company", "ZORVAK TRADING CO")
    assert found["org_conflict_own_name"] == found["org_conflict_places"] == 0.0
    assert score("Zorvak Trading Company", "ZORVAK TRADING CO") >= get_algorithm().threshold


def test_people_get_neither_feature():
    found = values("Zorvak Kenya", "Zorvak Yemen", PERSON)
    assert found["org_conflict_own_name"] == found["org_conflict_places"] == 0.0


def write_wordnet(directory) -> None:
    """WordNet's database files as Debian's wordnet-base installs them: a licence indented by
    two spaces, then one synset a line (offset, lexicographer file, type, word count in hex,
    words) and an index of each lemma's synsets, commonest first."""
    licence = "  1 This software and database is being provided\n"
    (directory / "data.noun").write_text(
        licence
        + "00000001 14 n 02 company 0 Company 0 000 | an institution\n"
        + "00000002 15 n 01 Mosul 0 000 | a city\n"
        + "00000003 15 n 01 bank 0 000 | sloping land\n"
        + "00000004 14 n 01 bank 0 000 | a financial institution\n"
        + "00000005 18 n 01 Tashkovar 0 000 | a person\n"
        + "00000006 15 n 01 Tashkovar 0 000 | a town\n"
        + "00000007 15 n 01 New_York 0 000 | a city\n",
        encoding="latin-1",
    )
    (directory / "data.adj").write_text(
        licence + "00000008 00 a 01 foreign(a) 0 000 | of another country\n", encoding="latin-1"
    )
    (directory / "index.noun").write_text(
        licence
        + "company n 1 0 1 0 00000001\n"
        + "mosul n 1 0 1 0 00000002\n"
        + "bank n 2 0 2 0 00000004 00000003\n"
        + "tashkovar n 2 0 2 0 00000005 00000006\n"
        + "new_york n 1 0 1 0 00000007\n",
        encoding="latin-1",
    )


def test_wordnet_gives_its_words_and_the_proper_names_first_of_places(tmp_path):
    write_wordnet(tmp_path)
    read = read_wordnet(tmp_path)
    assert read.words == {"company", "mosul", "bank", "tashkovar", "foreign"}
    # `bank` is a common word, `tashkovar` first a person, `new york` two words.
    assert read.places == {"mosul"}


def test_a_missing_wordnet_knows_no_word(tmp_path):
    read = read_wordnet(tmp_path)
    assert read.words == frozenset() and read.places == frozenset()


def test_the_lexicon_a_saved_index_carries_answers_the_same():
    before = lexicon()
    answers = is_english_word("industries"), is_place("mosul"), own_name("zorvak")
    adopt_lexicon(saved_lexicon())
    assert (is_english_word("industries"), is_place("mosul"), own_name("zorvak")) == answers
    assert lexicon() == before
