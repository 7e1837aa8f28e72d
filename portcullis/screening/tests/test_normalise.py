import pytest

from portcullis.screening.matching import EntityType, normalise_name
from portcullis.screening.matching.normalise import normalise_country
from portcullis.screening.matching.romanise import arabic_skeleton


def tokens(raw: str, kind: EntityType = EntityType.UNKNOWN) -> tuple[str, ...]:
    return normalise_name(raw, kind).tokens


def test_it_folds_case_accents_and_width():
    assert tokens("Ştefan ÖZDEMİR") == ("stefan", "ozdemir")
    assert tokens("Ｆｕｌｌｗｉｄｔｈ Name") == ("fullwidth", "name")


def test_it_transliterates_cyrillic_greek_arabic_and_han_to_latin():
    assert tokens("Владимир Путин") == ("vladimir", "putin")
    assert tokens("Βλαδίμηρος Πούτιν") == ("vladimiros", "poutin")
    assert tokens("محمد") == ("mhmd",)
    assert tokens("邱安达") == ("qiu", "an", "da")


def test_it_marks_abjad_script_for_skeleton_comparison():
    assert normalise_name("محمد طاهر").abjad
    assert not normalise_name("Muhammad Taher").abjad
    assert arabic_skeleton("muhammad") == arabic_skeleton("mhmd") == "mhmd"


def test_it_drops_person_honorifics():
    assert tokens("Mr. John SMITH", EntityType.PERSON) == ("john", "smith")


def test_it_sets_company_legal_forms_aside_in_any_language():
    cases = {
        "Acme Trading Ltd": ("acme", "trading"),
        "ООО «ЦСТ»": ("tsst",),
        "ПАО Сбербанк": ("sberbank",),
        "PJSC Gazprom": ("gazprom",),
        "Müller GmbH": ("muller",),
        "深圳市华为技术有限公司": ("shen", "zhen", "shi", "hua", "wei", "ji", "shu"),
        "Limited Liability Company Unmanned Systems": ("unmanned", "systems"),
    }
    for raw, expected in cases.items():
        form = normalise_name(raw, EntityType.ORGANISATION)
        assert form.tokens == expected, raw
        assert form.legal_forms, raw


def test_a_name_that_is_only_a_legal_form_keeps_its_words():
    assert tokens("LLC", EntityType.ORGANISATION) == ("llc",)


def test_it_gives_spelling_variants_the_same_phonetic_key():
    assert normalise_name("Mohammed").phonetic == normalise_name("Muhammad").phonetic
    assert normalise_name("Sergei").phonetic == normalise_name("Sergey").phonetic


def test_countries_compare_by_code_whatever_their_spelling():
    assert normalise_country("Russian Federation") == normalise_country("RU") == "ru"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Presidente Vladimir Putin", ("vladimir", "putin")),
        ("Президент Путин", ("putin",)),
        ("Sra. María GÓMEZ", ("maria", "gomez")),
        ("Commandant Jérôme", ("jerome",)),
        ("Mullah Abdul Rauf Aliza", ("abdul", "rauf", "aliza")),
        ("الرئيس بشار الأسد", ("bshar", "al", "asd")),
        ("普京总统", ("pu", "jing")),
    ],
)
def test_it_drops_titles_in_other_languages(raw, expected):
    assert tokens(raw, EntityType.PERSON) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Don Johnson", ("don", "johnson")),  # a name as well as a Spanish title: kept
        ("General", ("general",)),  # a title with no name after it is the name
        ("Presidente Bank", ("presidente", "bank")),  # organisations keep every word
    ],
)
def test_it_keeps_title_words_that_are_names(raw, expected):
    kind = EntityType.ORGANISATION if "Bank" in raw else EntityType.PERSON
    assert tokens(raw, kind) == expected
