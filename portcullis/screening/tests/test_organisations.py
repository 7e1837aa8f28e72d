"""Organisation names as registers, letterheads and sanctions lists write them."""

import json

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


# --- previous names: searched as names of the same entity --------------------------------

FTM_RENAMED = {
    "id": "NK-renamed",
    "schema": "Organization",
    "properties": {
        "name": ["Tanchon Commercial Bank"],
        "previousName": ["Changgwang Credit Bank", "Korea Changgwang Credit Bank"],
    },
}
UK_RENAMED = """<?xml version="1.0" encoding="utf-8"?>
<Designations><DateGenerated>2026-11-28T09:15:02</DateGenerated>
<Designation><UniqueID>CTE0001</UniqueID><IndividualEntityShip>Entity</IndividualEntityShip>
<Names><Name><Name6>The Organization of Al-Qaida in the Islamic Maghreb</Name6>
<NameType>Primary Name</NameType></Name>
<Name><Name6>Salafist Group for Call and Combat</Name6><NameType>Alias</NameType></Name>
</Names></Designation></Designations>"""
OFSI_HEADER = (
    "Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,DOB,Town of Birth,Country of Birth,"
    "Nationality,Passport Details,NI Number,Position,Address 1,Address 2,Address 3,Address 4,"
    "Address 5,Address 6,Post/Zip Code,Country,Other Information,Group Type,Alias Type,Regime,"
    "Listed On,Last Updated,Group ID"
)


def ofsi_row(name: str, alias_type: str) -> str:
    return f"{name},,,,,,,,,,,,,,,,,,,,,,,Entity,{alias_type},Libya,01/01/2011,01/01/2018,9001"


def renamed_entities() -> list[Entity]:
    from portcullis.screening.sources import (
        FtmJsonSource,
        OfsiLegacyCsvSource,
        UkSanctionsListXmlSource,
    )

    ofsi = "\n".join(
        [
            "Last Updated,13/04/2018" + "," * 27,
            OFSI_HEADER,
            ofsi_row("Fajr Industrial Group", "Prime Alias"),
            ofsi_row("Instrumentation Factory Plant", "FKA"),
        ]
    )
    return [
        *FtmJsonSource().parse(json.dumps(FTM_RENAMED).encode()),
        *UkSanctionsListXmlSource().parse(UK_RENAMED.encode()),
        *OfsiLegacyCsvSource().parse(ofsi.encode()),
    ]


@pytest.mark.parametrize(
    ("former", "current"),
    [
        ("Changgwang Credit Bank", "Tanchon Commercial Bank"),  # FtM previousName
        ("Salafist Group for Call and Combat", "Al-Qaida in the Islamic Maghreb"),  # UK list
        ("Instrumentation Factory Plant", "Fajr Industrial Group"),  # OFSI FKA row
    ],
)
def test_a_previous_name_finds_the_renamed_organisation(former, current):
    index = NameIndex.build(renamed_entities())
    found = screen(index, Subject(former, entity_type=ORG))
    assert found, former
    best = found[0]
    assert current.lower() in " ".join(best.entity.names).lower()
    assert best.score >= get_algorithm().threshold
    assert best.matched_names[1] == former  # the result says which of its names matched


def org_score(left: str, right: str) -> float:
    subject = Subject(left, entity_type=ORG)
    return get_algorithm().score(subject, Entity("t:1", "t", (right,), ORG)).score


def test_a_branch_in_another_country_is_another_organisation():
    threshold = get_algorithm().threshold
    assert (
        org_score("AL-HARAMAIN FOUNDATION (KENYA)", "AL-HARAMAIN FOUNDATION (PAKISTAN)") < threshold
    )
    assert org_score("AL-HARAMAIN (ALBANIA BRANCH)", "AL-HARAMAIN (ETHIOPIA BRANCH)") < threshold
    # An acronym in brackets is still set aside.
    assert org_score("AL-QAIDA IN YEMEN (AQY)", "Al-Qaida in Yemen") >= threshold


def test_what_kind_of_body_it_is_may_be_translated_differently():
    threshold = get_algorithm().threshold
    assert org_score("Muhammad Jamal Group", "Muhammad Jamal Network") >= threshold
    assert org_score("Korea Ansan SHPG Co", "Korea Ansan Shipping Company") >= threshold
    # ...but the words that name it still have to agree.
    assert org_score("Jund al-Islam", "Ansar al-Islam") < threshold
    assert org_score("Central Bank of Iraq", "Central Bank of Syria") < threshold


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Almaz-Antey Corp.", "Joint-Stock Company Concern Almaz-Antey"),  # concern: a kind of body
        ("2nd Academy of Natural Sciences", "Second Academy of Natural Sciences"),
        ("State Est. for Woollen Textiles", "State Establishment for Woollen Textiles"),
        ("Ryonha Machinery JV", "Korea Ryonha Machinery Joint Venture"),  # one word for two
    ],
)
def test_abbreviated_ordinal_and_generic_words_match_as_written_out(left, right):
    subject = Subject(name=left, entity_type=ORG)
    algorithm = get_algorithm()
    assert algorithm.score(subject, Entity("t:1", "t", (right,), ORG)).score >= algorithm.threshold


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Almaz-Antey Corp.", "Joint-Stock Company Concern Kalashnikov"),
        ("2nd Academy of Natural Sciences", "Third Academy of Natural Sciences"),
        ("Ryonha Machinery JV", "Ryonha Textile Joint Venture"),
    ],
)
def test_organisations_whose_written_out_words_differ_do_not_match(left, right):
    subject = Subject(name=left, entity_type=ORG)
    algorithm = get_algorithm()
    assert algorithm.score(subject, Entity("t:1", "t", (right,), ORG)).score < algorithm.threshold


@pytest.mark.parametrize(
    ("written", "tokens"),
    [
        ("Jama'at al-Jihad", ("jamaat", "al", "jihad")),  # `at` is no legal form here
        ("Sa\u2019iid Trading", ("saiid", "trading")),
        ("Acme Trading S.A.", ("acme", "trading")),  # a legal form still is one
    ],
)
def test_an_apostrophe_inside_a_word_does_not_split_off_a_legal_form(written, tokens):
    assert normalise_name(written, ORG).tokens == tokens


def test_a_word_kept_whole_still_tells_two_organisations_apart():
    subject = Subject(name="Jama'at al-Jihad", entity_type=ORG)
    algorithm = get_algorithm()
    other = Entity("t:1", "t", ("Jama'at al-Tawhid",), ORG)
    assert algorithm.score(subject, other).score < algorithm.threshold
