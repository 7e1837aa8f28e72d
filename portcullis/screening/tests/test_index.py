import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from portcullis.lib.audience import Audience
from portcullis.screening.matching import (
    Entity,
    EntityType,
    Identifier,
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


# --- one saved index, mapped by every process ---------------------------------------------

ALERT = Audience(label="TLP:RED", people=frozenset({7}))
SAVED = [
    Entity("w:1", "watch", ("Qiu Anda", "邱安达"), PERSON, ("1970-01-02",), ("CN",)),
    Entity(
        "w:2",
        "watch",
        ("Aleksandr ZAKHAROV",),
        PERSON,
        identifiers=(Identifier("AB123456", "passport"),),
        topics=("sanction",),
        notes=(("regime", "Russia"),),
    ),
    Entity("a:1", "alerts", ("Amanda Qiu",), PERSON, audience=ALERT),
    Entity("w:3", "watch", ("ООО «ЦСТ»", "Zala Aero Group"), ORG),
]
QUERIES = [
    Subject("Qiu Anda", birth_dates=("1970",), countries=("China",)),
    Subject("Alexander Zakharov", identifiers=(Identifier("AB 123456", "passport"),)),
    Subject("Amanda Chiu"),
    Subject("TsST LLC", entity_type=ORG),
]


def answers(index: NameIndex, where=None) -> list[list[dict]]:
    return [[m.as_dict() for m in screen(index, q, min_score=0.0, where=where)] for q in QUERIES]


def test_a_saved_index_is_mapped_read_only_and_answers_exactly_as_built(tmp_path):
    built = NameIndex.build_with_payloads((e, [n, f"print-{n}"]) for n, e in enumerate(SAVED))
    built.save(tmp_path / "index")
    loaded = NameIndex.load(tmp_path / "index")
    assert isinstance(loaded._posting_data.base, np.memmap)
    assert not loaded._posting_data.flags.writeable
    assert list(loaded.entities) == SAVED  # every field, the alert's audience included
    assert [loaded.payload(n) for n in range(len(SAVED))] == [[n, f"print-{n}"] for n in range(4)]
    assert answers(loaded) == answers(built)
    assert any(m["entity_id"] == "a:1" for m in answers(loaded)[2])
    hidden = answers(loaded, where=lambda source, audience: audience is None)
    assert hidden == answers(built, where=lambda source, audience: audience is None)
    assert not any(m["entity_id"] == "a:1" for m in hidden[2])


def test_another_process_opens_the_saved_index_without_building_and_finds_the_same(tmp_path):
    built = NameIndex.build(SAVED)
    built.save(tmp_path / "index")
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from portcullis.screening import matching\n"
        "def no_build(*a, **k): raise AssertionError('built again')\n"
        "matching.NameIndex.build_with_payloads = no_build\n"
        "index = matching.NameIndex.load(Path(sys.argv[1]))\n"
        "subjects = [matching.Subject(n) for n in json.loads(sys.argv[2])]\n"
        "print(json.dumps([[m.as_dict() for m in matching.screen(index, s, min_score=0.0)]"
        " for s in subjects]))\n"
    )
    names = ["Qiu Anda", "Aleksandr Zakharov", "Amanda Chiu", "Zala Aero"]
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run(  # noqa: S603 - this interpreter, this script
        [sys.executable, "-c", script, str(tmp_path / "index"), json.dumps(names)],
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    theirs = json.loads(done.stdout)
    ours = [[m.as_dict() for m in screen(built, Subject(n), min_score=0.0)] for n in names]
    assert theirs == ours
    assert [r[0]["entity_id"] for r in theirs] == ["w:1", "w:2", "a:1", "w:3"]


def test_an_index_of_another_format_is_refused_and_an_empty_one_loads(tmp_path):
    NameIndex.build([]).save(tmp_path / "empty")
    assert screen(NameIndex.load(tmp_path / "empty"), Subject("Qiu Anda")) == []
    meta = tmp_path / "empty" / "meta.json"
    meta.write_text(meta.read_text().replace('"format": 1', '"format": 0'))
    with pytest.raises(ValueError, match="index format 0"):
        NameIndex.load(tmp_path / "empty")
