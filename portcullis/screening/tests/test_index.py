from portcullis.screening.matching import (
    Entity,
    EntityType,
    NameIndex,
    Subject,
    prepare_subject,
    screen,
)

PERSON, ORG = EntityType.PERSON, EntityType.ORGANISATION


def build() -> NameIndex:
    return NameIndex.build(
        [
            Entity("w:1", "watch", ("Qiu Anda",), PERSON, ("1970-01-02",)),
            Entity("w:2", "watch", ("Wang Jianhua",), PERSON),
            Entity(
                "w:3", "watch", ("Aleksandr Vyacheslavovich ZAKHAROV", "Захаров Александр"), PERSON
            ),
            Entity("w:4", "watch", ("ООО «ЦСТ»", "Zala Aero Group"), ORG),
            Entity("w:5", "watch", ("Muhammad Ali HASAN",), PERSON, ("1961",)),
        ]
    )


def ids(matches) -> list[str]:
    return [m.entity.entity_id for m in matches]


def test_it_finds_a_han_name_under_its_pinyin_spelling():
    assert ids(screen(build(), Subject("邱安达"))) == ["w:1"]


def test_it_finds_a_split_name_and_a_reordered_name():
    assert ids(screen(build(), Subject("ANDA Qiu"))) == ["w:1"]
    assert ids(screen(build(), Subject("Qiu An Da"))) == ["w:1"]


def test_it_finds_a_company_under_its_transliterated_name_without_legal_form():
    assert ids(screen(build(), Subject("TsST LLC", entity_type=ORG))) == ["w:4"]


def test_it_finds_spelling_variants_through_phonetic_keys():
    assert ids(screen(build(), Subject("Mohammed Ali Hassan"))) == ["w:5"]


def test_it_does_not_raise_hard_negatives_as_matches():
    assert screen(build(), Subject("Wang Jianguo")) == []
    assert screen(build(), Subject("Alexander Zakharchenko")) == []


def test_threshold_zero_shows_near_misses_with_their_explanation():
    near = screen(build(), Subject("Wang Jianguo"), min_score=0.0)
    assert ids(near)[0] == "w:2"
    assert not near[0].is_match
    assert "jianguo~jianhua" in near[0].as_dict()["features"][0]["explanation"]


def test_results_carry_score_threshold_algorithm_and_features():
    match = screen(build(), Subject("Alexander Zakharov"))[0]
    data = match.as_dict()
    assert data["entity_id"] == "w:3"
    assert data["match"] is True
    assert data["algorithm"] == "logic-lr-v1"
    assert data["threshold"] == match.threshold
    assert {f["name"] for f in data["features"]} >= {"name_similarity", "dob_exact"}


def test_common_tokens_do_not_flood_retrieval():
    crowd = [Entity(f"g:{i}", "gen", (f"Mohammed Person{i}",), PERSON) for i in range(3_000)]
    index = NameIndex.build([*crowd, Entity("t:1", "watch", ("Mohammed Zakiyev",), PERSON)])
    found = index.candidates(prepare_subject(Subject("Mohammed Zakiyev")), limit=10)
    assert len(found) == 1
    assert index.entities[found[0].position].entity_id == "t:1"


def test_a_query_of_only_common_tokens_still_returns_a_bounded_set():
    crowd = [Entity(f"g:{i}", "gen", (f"Mohammed Ali {i}",), PERSON) for i in range(3_000)]
    index = NameIndex.build(crowd)
    found = index.candidates(prepare_subject(Subject("Mohammed Ali")), limit=10)
    assert len(found) == 10


def test_an_empty_or_unknown_query_returns_nothing():
    assert screen(build(), Subject("")) == []
    assert screen(build(), Subject("Xyzzyplugh Quux")) == []
