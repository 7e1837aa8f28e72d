"""The pure extractor: canonical observables from text, bounded work on any input."""

from __future__ import annotations

from pathlib import Path

from portcullis.intel.extract import (
    MAX_PER_KIND,
    Kind,
    canonical_name,
    extract,
    identify,
    name_candidates,
)

DATA = Path(__file__).parent / "data"


def values(text: str) -> set[tuple[str, str]]:
    return {(f.kind.value, f.value) for f in extract(text)}


def test_a_linkedin_recruiter_message_yields_every_identifier_in_canonical_form() -> None:
    found = values((DATA / "linkedin_recruiter.txt").read_text())
    assert found == {
        ("url", "https://www.linkedin.com/in/amanda-qiu-example"),
        ("url", "https://br-yr.example/jobs"),
        ("domain", "br-yr.example"),
        ("email", "amanda.qiu@br-yr.example"),
        ("phone", "+442079460018"),
        ("handle", "@bryr_talent"),
    }


def test_a_message_with_no_identifiers_yields_none() -> None:
    assert extract((DATA / "no_observables.txt").read_text()) == []


def test_phone_numbers_become_e164_and_invalid_ones_are_ignored() -> None:
    assert identify(Kind.PHONE, "020 7946 0018").value == "+442079460018"  # type: ignore[union-attr]
    assert identify(Kind.PHONE, "+86 10 6552 9988").value == "+861065529988"  # type: ignore[union-attr]
    assert identify(Kind.PHONE, "12345") is None


def test_a_uk_mobile_from_the_drama_range_is_a_valid_phone_indicator() -> None:
    found = identify(Kind.PHONE, "+44 7700 900123")
    assert found is not None and found.value == "+447700900123"
    assert ("phone", "+447700900123") in values("WhatsApp me on 07700 900123 today")


def test_webmail_and_platform_domains_are_not_observables() -> None:
    found = values("write to someone@gmail.com or https://www.linkedin.com/in/someone")
    assert ("domain", "gmail.com") not in found
    assert ("domain", "linkedin.com") not in found
    assert ("email", "someone@gmail.com") in found


def test_names_compare_regardless_of_order_case_and_accents() -> None:
    assert canonical_name("QIU Amanda") == canonical_name("Amanda  Qiu") == "amanda qiu"
    assert canonical_name("Zoë Ünal") == canonical_name("zoe unal")


def test_name_candidates_are_capitalised_runs_and_cjk_names() -> None:
    text = (DATA / "linkedin_recruiter.txt").read_text()
    candidates = name_candidates(text)
    assert "QIU Amanda" in candidates
    assert "BR-YR Executive Search" in candidates
    assert "邱安达" in candidates
    assert "Hi" not in candidates


def test_work_is_bounded_for_huge_and_pathological_input() -> None:
    huge = "a" * 2_000_000 + "@" + "b." * 200_000
    assert extract(huge) == []
    many = " ".join(f"user{i}@spam{i}.example" for i in range(5_000))
    assert len([f for f in extract(many) if f.kind == Kind.EMAIL]) == MAX_PER_KIND
    assert len(name_candidates("Ab Cd " * 200_000)) <= 200
    assert extract("1-" * 500_000) == []


def test_odd_unicode_does_not_break_extraction() -> None:
    text = "lone \ud800 surrogate, rtl \u202e moc.liame@evil, nul \x00 byte, http://[::1"
    extract(text)
    name_candidates(text)
    assert identify(Kind.URL, "http://[::1") is None


def test_names_in_lower_case_or_capitals_only_text_are_still_candidates() -> None:
    lower = name_candidates("met amanda qiu from bryr exec search about a job in hong kong")
    assert "amanda qiu" in lower
    assert "bryr exec search" in lower
    shouting = name_candidates("URGENT: MET AMANDA QIU OF BR-YR EXECUTIVE SEARCH TODAY")
    assert "AMANDA QIU" in shouting
    assert "BR-YR EXECUTIVE SEARCH" in shouting
    mixed = name_candidates("I met Amanda Qiu today.\nshe said call sergei lavrov back")
    assert "Amanda Qiu" in mixed
    assert "sergei lavrov" in mixed  # the second line has no capitals to go by
    assert "met" not in " ".join(name_candidates("Then I met Amanda Qiu"))
