"""Intel, phishing and screening compare identifiers in one canonical form
(`portcullis.lib.observables`): the same address, domain, URL or phone number written
different ways is one value in each of them."""

from __future__ import annotations

from portcullis.intel.extract import Kind, extract, identify
from portcullis.phishing.analysis import analyse
from portcullis.screening import matching
from portcullis.screening.matching import Entity, Identifier, NameIndex, Subject

ADDRESSES = ["Amanda.Qiu@BR-YR.example", "amanda.qiu@br-yr.example", "AMANDA.QIU@www.br-yr.example"]
DOMAINS = ["BR-YR.example", "mail.br-yr.example", "www.br-yr.example."]
URLS = [
    "https://uk.linkedin.com/in/Amanda-Qiu-Example/?trk=public",
    "linkedin.com/in/amanda-qiu-example",
    "https://www.linkedin.com/in/amanda%2Dqiu%2Dexample#about",
]
PHONES = ["+44 7700 900123", "07700 900123", "+44 (0)7700 900-123"]


def intel_forms(kind: Kind, written: list[str]) -> set[str]:
    typed = {identify(kind, w).value for w in written}  # type: ignore[union-attr]
    found = {f.value for w in written for f in extract(f"see {w} now") if f.kind == kind}
    return typed | found


def test_intel_stores_each_thing_once_however_it_is_written() -> None:
    assert intel_forms(Kind.EMAIL, ADDRESSES) == {"amanda.qiu@br-yr.example"}
    assert intel_forms(Kind.DOMAIN, DOMAINS) == {"br-yr.example"}
    assert intel_forms(Kind.URL, URLS) == {"https://www.linkedin.com/in/amanda-qiu-example"}
    assert intel_forms(Kind.PHONE, PHONES) == {"+447700900123"}


def email(sender: str, body: str) -> bytes:
    return (
        f"From: Amanda <{sender}>\r\nTo: staff@parliament.uk\r\nSubject: An offer\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    ).encode()


def test_the_email_analyser_names_the_same_domain_as_intel() -> None:
    for sender, link in zip(ADDRESSES, DOMAINS, strict=True):
        analysis = analyse(email(sender, f"Our vacancies: https://{link.rstrip('.')}/jobs"))
        assert analysis.observables.domains == ["br-yr.example"]


def screened(kind: str, entity_value: str, subject_value: str) -> set[str]:
    entity = Entity(
        entity_id="1",
        source="t",
        names=("Amanda Qiu",),
        identifiers=(Identifier(entity_value, kind),),
    )
    subject = Subject(name="Amanda Qiu", identifiers=(Identifier(subject_value, kind),))
    [match] = matching.screen(NameIndex.build([entity]), subject, min_score=0.0)
    return {f.name for f in match.features}


def test_screening_sees_the_same_identifier_written_another_way() -> None:
    for kind, variants in (("email", ADDRESSES), ("url", URLS), ("phone", PHONES)):
        keys = {Identifier(v, kind).key for v in variants}
        assert keys == {intel_forms(Kind(kind), variants).pop()}
        assert "identifier_match" in screened(kind, variants[0], variants[-1])
    assert Identifier("BR-YR.example", "domain").key == Identifier(DOMAINS[1], "domain").key


def test_different_things_stay_different_in_screening() -> None:
    assert "identifier_match" not in screened("phone", "+44 7700 900123", "+44 7700 900124")
