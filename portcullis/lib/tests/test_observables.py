"""The one canonical form of identifiers: each thing written several ways is one value."""

from __future__ import annotations

import pytest

from portcullis.lib.observables import (
    canonical,
    canonical_domain,
    canonical_email,
    canonical_phone,
    canonical_url,
    phones_in,
    registrable_domain,
)


@pytest.mark.parametrize(
    "written",
    ["Amanda.Qiu@BR-YR.example", " amanda.qiu@br-yr.example. ", "<amanda.qiu@www.br-yr.example>"],
)
def test_an_address_written_several_ways_is_one_address(written: str) -> None:
    assert canonical_email(written) == "amanda.qiu@br-yr.example"


@pytest.mark.parametrize("written", ["not an address", "a@b@c.example", "someone@co.uk", "@x.com"])
def test_what_is_not_an_address_has_no_form(written: str) -> None:
    assert canonical_email(written) is None


@pytest.mark.parametrize(
    ("written", "domain"),
    [
        ("BR-YR.example", "br-yr.example"),
        ("mail.br-yr.example.", "br-yr.example"),
        ("www.talent.br-yr.example", "br-yr.example"),
        ("news.bbc.co.uk", "bbc.co.uk"),
        # Hosting platforms on the private part of the list: each customer is its own domain.
        ("evil.firebaseapp.com", "evil.firebaseapp.com"),
        ("bücher.example", "xn--bcher-kva.example"),
    ],
)
def test_a_domain_is_its_registrable_domain(written: str, domain: str) -> None:
    assert canonical_domain(written) == domain


@pytest.mark.parametrize("written", ["co.uk", "localhost", "example", "10.0.0.1", "a..b.com"])
def test_suffixes_bare_hosts_and_addresses_are_not_domains(written: str) -> None:
    assert canonical_domain(written) is None


def test_registrable_domain_keeps_what_has_no_known_suffix() -> None:
    assert registrable_domain("a.b.example.co.uk") == "example.co.uk"
    assert registrable_domain("192.168.1.1") == "192.168.1.1"
    assert registrable_domain("printer.local") == "printer.local"


@pytest.mark.parametrize(
    ("written", "form"),
    [
        (
            "https://www.linkedin.com/in/amanda-qiu-example/",
            "https://www.linkedin.com/in/amanda-qiu-example",
        ),
        (
            "linkedin.com/in/Amanda-Qiu-Example?originalSubdomain=uk",
            "https://www.linkedin.com/in/amanda-qiu-example",
        ),
        (
            "https://cn.linkedin.com/in/amanda%2Dqiu%2Dexample#about",
            "https://www.linkedin.com/in/amanda-qiu-example",
        ),
        (
            "http://uk.linkedin.com/IN/amanda-qiu-example/details/experience",
            "https://www.linkedin.com/in/amanda-qiu-example",
        ),
        ("https://www.linkedin.com/company/BR-YR/posts/", "https://www.linkedin.com/company/br-yr"),
        ("https://twitter.com/AmandaQ/status/1", "https://x.com/amandaq"),
        ("https://x.com/@amandaq", "https://x.com/amandaq"),
        ("HTTPS://Example.ORG/a/?utm_source=x&id=3", "https://example.org/a/?id=3"),
        ("https://www.br-yr.example/", "https://br-yr.example"),
    ],
)
def test_profile_and_web_addresses_reduce_to_one_form(written: str, form: str) -> None:
    assert canonical_url(written) == form


@pytest.mark.parametrize("written", ["javascript:alert(1)", "ftp://br-yr.example/x", "http://[::1"])
def test_what_is_not_a_web_address_has_no_form(written: str) -> None:
    assert canonical_url(written) is None


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("+44 7700 900123", "+447700900123"),
        ("07700 900123", "+447700900123"),
        ("020 7946 0018", "+442079460018"),
        ("+44 (0)20 7946 0018", "+442079460018"),
        ("+86 10 6552 9988", "+861065529988"),
    ],
)
def test_phone_numbers_become_e164(written: str, e164: str) -> None:
    assert canonical_phone(written) == e164


@pytest.mark.parametrize("written", ["12345", "+44 20 7946", "call me"])
def test_invalid_phone_numbers_have_no_form(written: str) -> None:
    assert canonical_phone(written) is None


def test_phone_numbers_in_text_are_found_once_each() -> None:
    text = "Call +44 7700 900123 or 07700 900123, office 020 7946 0018; ref 2025-11-18, 12345."
    assert phones_in(text) == ["+447700900123", "+442079460018"]


def test_handles_compare_without_case_or_at_sign() -> None:
    assert canonical("handle", "@BRYR_Talent") == "@bryr_talent"
    assert canonical("handle", "bryr_talent") == "@bryr_talent"
