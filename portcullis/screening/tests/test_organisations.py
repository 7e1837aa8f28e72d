"""Organisation names as registers, letterheads and sanctions lists write them."""

import pytest

from portcullis.screening.matching import (
    Entity,
    EntityType,
    NameIndex,
    Subject,
    normalise_name,
    screen,
)

ORG = EntityType.ORGANISATION
LISTED = [
    Entity("t:1", "t", ("BR-YR Executive Search",), ORG),
    Entity("t:2", "t", ("Acme International Group Company",), ORG),
    Entity("t:3", "t", ("Global Management Services GmbH",), ORG),
    Entity("t:4", "t", ("Northern Shipping Holdings",), ORG),
    Entity("t:5", "t", ('ООО "Ромашка"',), ORG),
    Entity("t:6", "t", ("Meridian Policy Exchange Ltd", "Meridian Research Institute"), ORG),
    Entity("t:7", "t", ("Acme Industrial Supplies",), ORG),
]


@pytest.fixture(scope="module")
def index():
    return NameIndex.build(LISTED)


def best(index, name, entity_type=ORG):
    found = screen(index, Subject(name=name, entity_type=entity_type), limit=1, min_score=0.0)
    return found[0] if found else None


@pytest.mark.parametrize(
    ("written", "listed"),
    [
        ("BRYR Exec Search Ltd", "t:1"),  # joined, abbreviated, with a legal form
        ("BR YR Executive Search Limited", "t:1"),
        ("Acme Intl Grp Co", "t:2"),
        ("Global Mgmt Svcs", "t:3"),
        ("Northern Shipping Hldgs", "t:4"),
        ("Romashka LLC", "t:5"),  # legal form in another language and script
        ("Meridian Research Inst", "t:6"),  # a former name, abbreviated
    ],
)
def test_abbreviations_hyphens_and_legal_forms_still_match(index, written, listed):
    match = best(index, written)
    assert match is not None
    assert match.entity.entity_id == listed
    assert match.is_match, (written, match.score)


def test_the_same_abbreviation_is_read_the_same_way_for_an_unknown_type(index):
    match = best(index, "Acme Intl Grp Co", EntityType.UNKNOWN)
    assert match.entity.entity_id == "t:2"
    assert match.is_match


def test_an_abbreviation_scores_exactly_as_the_word_written_out(index):
    short, written = best(index, "Acme Intl Supplies"), best(index, "Acme International Supplies")
    assert (short.entity.entity_id, short.score) == (written.entity.entity_id, written.score)


def test_person_names_are_not_read_as_abbreviations():
    assert normalise_name("Co Van Inst", EntityType.PERSON).tokens == ("co", "van", "inst")
    assert normalise_name("Co Van Inst", ORG).tokens == ("company", "van", "institute")
