"""Chinese names across pinyin, Wade-Giles, Hong Kong Cantonese, Hokkien and Han script."""

import pytest

from portcullis.screening.matching import (
    Entity,
    EntityType,
    NameIndex,
    Subject,
    get_algorithm,
    screen,
)
from portcullis.screening.matching.romanise import same_surname

PERSON = EntityType.PERSON
THRESHOLD = get_algorithm().threshold


def score(left: str, right: str) -> float:
    subject = Subject(left, entity_type=PERSON)
    return get_algorithm().score(subject, Entity("t:1", "test", (right,), PERSON)).score


# 邱 is Qiu in pinyin, Chiu in Wade-Giles (Taiwan), Yau in Hong Kong, Khoo in Hokkien.
SAME = [
    ("Qiu", "Chiu"),
    ("Qiu", "Khoo"),
    ("Chiu", "Khoo"),
    ("Qiu", "Yau"),
    ("Qiu", "邱"),
    ("Chiu", "邱"),
    ("Khoo", "邱"),
    ("Chen", "Chan"),  # 陳: pinyin, Hong Kong
    ("Chen", "Tan"),  # 陳: Hokkien
    ("Lin", "Lim"),  # 林
    ("Huang", "Wong"),  # 黃
    ("Cai", "Chua"),  # 蔡
]
DIFFERENT = [
    ("Qiu", "Chou"),  # 邱 / 周
    ("Qiu", "Qian"),  # 邱 / 钱
    ("Shen", "Chen"),  # 沈 / 陈: 沈 also reads chen, but not as a surname
    ("Zhou", "Zhu"),  # 周 / 朱: one letter apart
    ("Zhang", "Zhan"),  # 张 / 詹
]


@pytest.mark.parametrize(("left", "right"), SAME)
def test_one_surname_in_two_systems_matches_both_ways(left, right):
    assert score(left, right) >= THRESHOLD
    assert score(right, left) >= THRESHOLD


@pytest.mark.parametrize(("left", "right"), DIFFERENT)
def test_two_surnames_do_not_match_however_close_the_letters(left, right):
    assert same_surname(left.lower(), right.lower()) is False
    assert score(left, right) < THRESHOLD
    assert score(right, left) < THRESHOLD


def test_names_that_are_not_chinese_surnames_are_left_to_spelling():
    assert same_surname("smith", "smyth") is None
    assert score("Sergei Lavrov", "Sergey Lavrov") >= THRESHOLD


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Amanda Chiu", "Amanda Qiu"),
        ("Chiu Anda", "Qiu An-Da"),  # hyphenated given name
        ("Khoo An Da", "邱安达"),  # split given name against Han
        ("Anda Khoo", "Qiu Anda"),
    ],
)
def test_full_names_match_across_romanisations_both_ways(left, right):
    assert score(left, right) >= THRESHOLD
    assert score(right, left) >= THRESHOLD


def test_a_different_surname_keeps_a_shared_given_name_apart():
    assert score("Wei Shen", "Wei Chen") < THRESHOLD
    assert score("Anda Chou", "Qiu Anda") < THRESHOLD
    assert score("Amanda Qiu", "Amanda Chou") < THRESHOLD


def alert_index() -> NameIndex:
    return NameIndex.build(
        [
            Entity("alert:1", "alerts", ("Amanda Qiu", "Amanda Qiu 邱安达"), PERSON),
            Entity("alert:2", "alerts", ("Amanda Qian",), PERSON),
            Entity("alert:3", "alerts", ("Qiu Anda",), PERSON),
        ]
    )


def test_amanda_chiu_finds_the_alert_on_amanda_qiu_as_a_match():
    found = {m.entity.entity_id: m.score for m in screen(alert_index(), Subject("Amanda Chiu"))}
    assert found["alert:1"] >= THRESHOLD
    assert found.get("alert:2", 0.0) < THRESHOLD  # Amanda Qian: another family


def test_han_script_finds_the_pinyin_alerts_as_matches_not_near_misses():
    found = {m.entity.entity_id: m.score for m in screen(alert_index(), Subject("邱安达"))}
    assert found["alert:1"] >= THRESHOLD
    assert found["alert:3"] >= THRESHOLD
