"""The FCDO UK Sanctions List importer, on files written in its published XML layout."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from portcullis.ledger.actors import WORKER
from portcullis.screening.imports import ListImportError, import_list, source_for
from portcullis.screening.matching import EntityType, Identifier
from portcullis.screening.models import ListSource, Screening
from portcullis.screening.sources import SOURCES, SourceFormatError, UkSanctionsListXmlSource
from portcullis.screening.tests.builders import SCREEN
from portcullis.test import BaseTestCase

PUTIN = """
  <Designation>
    <LastUpdated>2022-03-15T00:00:00</LastUpdated>
    <DateDesignated>2022-02-25T00:00:00</DateDesignated>
    <UniqueID>RUS0264</UniqueID>
    <OFSIGroupID>14195</OFSIGroupID>
    <UNReferenceNumber />
    <Names>
      <Name><Name1>Vladimir</Name1><Name2>Vladimirovich</Name2><Name6>PUTIN</Name6>
        <NameType>Primary Name</NameType><AliasStrength /></Name>
      <Name><Name1>Vladimir</Name1><Name6>POUTINE</Name6>
        <NameType>Primary Name Variation</NameType></Name>
    </Names>
    <NonLatinNames><NonLatinName>
      <NameNonLatinScript>Владимир Владимирович Путин</NameNonLatinScript>
      <NonLatinScriptType>Cyrillic</NonLatinScriptType>
      <NonLatinScriptLanguage>Russian</NonLatinScriptLanguage>
    </NonLatinName></NonLatinNames>
    <RegimeName>Russia</RegimeName>
    <IndividualEntityShip>Individual</IndividualEntityShip>
    <DesignationSource>UK</DesignationSource>
    <SanctionsImposed>Asset freeze|Travel Ban</SanctionsImposed>
    <OtherInformation>President of the Russian Federation.</OtherInformation>
    <UKStatementofReasons>Responsible for the invasion.</UKStatementofReasons>
    <Addresses><Address><AddressLine1>The Kremlin</AddressLine1>
      <AddressCountry>Russia</AddressCountry></Address></Addresses>
    <IndividualDetails><Individual>
      <DOBs><DOB>07/10/1952</DOB></DOBs>
      <Nationalities><Nationality>Russia</Nationality></Nationalities>
      <Positions><Position>President of the Russian Federation</Position></Positions>
      <BirthDetails><Location><TownOfBirth>Leningrad</TownOfBirth>
        <CountryOfBirth>Russia</CountryOfBirth></Location></BirthDetails>
      <PassportDetails><Passport><PassportNumber>100000001</PassportNumber></Passport></PassportDetails>
    </Individual></IndividualDetails>
  </Designation>"""

BANK = """
  <Designation>
    <UniqueID>RUS1445</UniqueID>
    <Names><Name><Name6>Moscow Industrial Bank</Name6><NameType>Primary Name</NameType></Name>
      <Name><Name6>Mosprombank</Name6><NameType>Alias</NameType></Name></Names>
    <RegimeName>Russia</RegimeName>
    <IndividualEntityShip>Entity</IndividualEntityShip>
    <SanctionsImposed>Asset freeze</SanctionsImposed>
  </Designation>"""

SHIP = """
  <Designation>
    <UniqueID>RUS2001</UniqueID>
    <Names><Name><Name6>SIG</Name6><NameType>Primary Name</NameType></Name></Names>
    <IndividualEntityShip>Ship</IndividualEntityShip>
    <ShipDetails><Ship><IMONumbers><IMONumber>9191337</IMONumber></IMONumbers></Ship></ShipDetails>
  </Designation>"""

UNKNOWN_DAY = """
  <Designation>
    <UniqueID>DPR0099</UniqueID>
    <Names><Name><Name1>Kim</Name1><Name6>CHOL</Name6>
      <NameType>Primary Name</NameType></Name></Names>
    <IndividualEntityShip>Individual</IndividualEntityShip>
    <IndividualDetails><Individual><DOBs><DOB>dd/mm/1965</DOB><DOB>dd/04/1966</DOB>
      <DOB>circa 1960</DOB></DOBs></Individual></IndividualDetails>
  </Designation>"""


def listing(*designations: str, generated: str = "2026-11-28T09:15:02") -> bytes:
    body = "".join(designations)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<Designations xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<DateGenerated>{generated}</DateGenerated>{body}</Designations>"
    ).encode()


def parse(data: bytes):
    return UkSanctionsListXmlSource().parse(data)


def test_the_source_is_registered_under_its_own_key():
    assert SOURCES["uk-sanctions-list"] is UkSanctionsListXmlSource
    assert ListSource.Kind("uk-sanctions-list").label == "UK Sanctions List (FCDO) XML"


def test_a_person_keeps_every_name_script_date_country_and_identifier():
    (putin,) = parse(listing(PUTIN))
    assert putin.entity_id == "uk-sanctions-list:RUS0264"
    assert putin.entity_type is EntityType.PERSON
    assert putin.names == (
        "Vladimir Vladimirovich PUTIN",
        "Vladimir POUTINE",
        "Владимир Владимирович Путин",
    )
    assert putin.birth_dates == ("1952-10-07",)
    assert putin.countries == ("Russia",)
    assert Identifier("100000001", "passport") in putin.identifiers
    notes = dict(putin.notes)
    assert notes["regime"] == "Russia"
    assert notes["OFSI group"] == "14195"
    assert notes["designated on"] == "2022-02-25"
    assert [text for label, text in putin.notes if label == "sanction"] == [
        "Asset freeze",
        "Travel Ban",
    ]


def test_entities_and_ships_are_kept_with_their_aliases_and_imo_numbers():
    bank, ship = parse(listing(BANK, SHIP))
    assert bank.entity_type is EntityType.ORGANISATION
    assert bank.names == ("Moscow Industrial Bank", "Mosprombank")
    assert ship.entity_type is EntityType.UNKNOWN
    assert ship.identifiers == (Identifier("9191337", "IMO number"),)


def test_unknown_day_or_month_keeps_what_is_known_and_an_unreadable_date_is_a_note():
    (kim,) = parse(listing(UNKNOWN_DAY))
    assert kim.birth_dates == ("1965", "1966-04")
    assert ("date of birth (as published)", "circa 1960") in kim.notes


def test_the_publication_date_is_read_from_date_generated():
    assert UkSanctionsListXmlSource().published(listing(BANK)) == date(2026, 11, 28)
    assert UkSanctionsListXmlSource().published(listing(BANK, generated="soon")) is None


def test_a_default_namespace_does_not_hide_the_designations():
    data = listing(BANK).replace(b"<Designations ", b'<Designations xmlns="urn:fcdo:uksl" ')
    (bank,) = parse(data)
    assert bank.names[0] == "Moscow Industrial Bank"


@pytest.mark.parametrize(
    ("data", "where", "problem"),
    [
        (listing(BANK.replace("<UniqueID>RUS1445</UniqueID>", "")), "Designation 1", "UniqueID"),
        (listing(BANK, BANK), "Designation 2", "UniqueID uk-sanctions-list:RUS1445 repeats"),
        (
            listing(BANK.replace("Entity</Individual", "Vessel</Individual")),
            "RUS1445",
            "IndividualEntityShip is vessel",
        ),
        (listing(SHIP.replace("<Name6>SIG</Name6>", "")), "RUS2001", "no name in Names"),
        (listing(PUTIN)[:-40], "line", "malformed XML"),
        (b"<ConsolidatedList/>", "root element", "expected Designations"),
        (listing(), "file", "no entities found"),
    ],
)
def test_a_hostile_or_broken_file_is_refused_naming_the_place(data, where, problem):
    with pytest.raises(SourceFormatError) as refused:
        parse(data)
    assert where in str(refused.value)
    assert problem in str(refused.value)


def test_entity_expansion_and_external_entities_are_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Designations>&b;</Designations>'
    )
    with pytest.raises(SourceFormatError, match="forbidden XML construct"):
        parse(bomb)
    external = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<Designations>&x;</Designations>"
    )
    with pytest.raises(SourceFormatError, match="forbidden XML construct"):
        parse(external)


def test_a_file_over_the_size_limit_is_refused_before_parsing():
    with pytest.raises(SourceFormatError, match="over the 100-byte limit"):
        UkSanctionsListXmlSource(max_bytes=100).parse(listing(PUTIN))


@pytest.mark.django_db
def test_an_import_records_the_publication_date_and_an_old_file_shows_as_stale(client):
    source = source_for(kind="uk-sanctions-list", name=None, actor=WORKER)
    version = import_list(source=source, data=listing(PUTIN, BANK), actor=WORKER, file_name="u.xml")
    assert version.published_on == date(2026, 11, 28)
    assert version.entity_count == 2
    source.refresh_from_db()
    assert source.stale_since(today=date(2026, 12, 1)) is None
    assert source.stale_since(today=date(2026, 12, 12)) == date(2026, 12, 12)

    old = listing(PUTIN, BANK, SHIP, generated="2018-04-13T00:00:00")
    import_list(source=source, data=old, actor=WORKER, file_name="old.xml")
    source.refresh_from_db()
    assert source.stale_since(today=date(2026, 12, 1)) == date(2018, 4, 27)


@pytest.mark.django_db
def test_a_corrupted_copy_leaves_the_version_in_force():
    source = source_for(kind="uk-sanctions-list", name=None, actor=WORKER)
    first = import_list(source=source, data=listing(PUTIN), actor=WORKER)
    with pytest.raises(ListImportError, match="previous version stays in force"):
        import_list(source=source, data=listing(PUTIN, BANK)[:-60], actor=WORKER)
    source.refresh_from_db()
    assert source.current_version == first


@pytest.mark.django_db
def test_an_identical_file_makes_no_new_version_but_records_the_check():
    source = source_for(kind="uk-sanctions-list", name=None, actor=WORKER)
    first = import_list(source=source, data=listing(PUTIN, BANK), actor=WORKER)
    assert first.confirmed_at is None
    again = import_list(source=source, data=listing(PUTIN, BANK), actor=WORKER)
    assert again.pk == first.pk
    assert again.confirmed_at is not None
    assert source.versions.count() == 1
    changed = import_list(source=source, data=listing(PUTIN, BANK, SHIP), actor=WORKER)
    assert changed.number == 2
    assert changed.added_count == 1


class StaleListPageTests(BaseTestCase):
    def test_an_old_list_is_flagged_on_the_lists_screening_and_dashboard_pages(self):
        source = source_for(kind="uk-sanctions-list", name=None, actor=WORKER)
        import_list(
            source=source, data=listing(BANK, generated="2018-04-13T00:00:00"), actor=WORKER
        )
        client = self.client_for(self.security)
        lists = client.get(reverse("screening:lists"))
        self.assertContains(lists, "Out of date since 27 Apr 2018")
        self.assertContains(lists, "13 Apr 2018")  # the publisher's date beside the import time
        # Above the table too: on a phone the table's date columns are off to the side.
        self.assertContains(lists, "A list is out of date")
        screen = client.get(reverse("screening:screen"))
        self.assertContains(screen, "A list is out of date")
        dashboard = client.get(reverse("dashboard"))
        self.assertContains(dashboard, "1 list out of date")

        client.post(reverse("screening:screen"), SCREEN)
        screening = Screening.objects.get()
        detail = client.get(reverse("screening:screening-detail", args=[screening.public_id]))
        self.assertContains(detail, "version 1: published 13 Apr 2018")

    def test_a_fresh_list_raises_no_warning(self):
        source = source_for(kind="uk-sanctions-list", name=None, actor=WORKER)
        today = timezone.localdate().isoformat()
        import_list(source=source, data=listing(BANK, generated=today), actor=WORKER)
        client = self.client_for(self.security)
        lists = client.get(reverse("screening:lists"))
        self.assertNotContains(lists, "Out of date since")
        self.assertNotContains(lists, "out of date")
        self.assertNotContains(client.get(reverse("screening:screen")), "out of date")
