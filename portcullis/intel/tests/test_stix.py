"""STIX 2.1: export parses with stix2, carries the fixed TLP 2.0 markings, and re-imports to an
equal alert; from the command line, the alert page and the API."""

from __future__ import annotations

import json
import tempfile
from io import StringIO
from typing import Any

import stix2
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from portcullis.approaches.tests.builders import make_report
from portcullis.approaches.tests.test_access import api_client
from portcullis.intel import stix
from portcullis.intel.extract import Kind
from portcullis.intel.models import Alert
from portcullis.intel.services import IndicatorInput
from portcullis.intel.tests.builders import QIU_INDICATORS, make_alert
from portcullis.intel.tlp import MARKING_IDS, Tlp
from portcullis.ledger.actors import WORKER
from portcullis.test import BaseTestCase

INDICATORS = [
    *QIU_INDICATORS,
    IndicatorInput(Kind.PERSON, "Shirly Shen", ("Shirley Shen", "沈 Shirly")),
    IndicatorInput(Kind.ORGANISATION, "Internship Union", ("InternshipUnion",)),
    IndicatorInput(Kind.DOMAIN, "br-yr.example"),
    IndicatorInput(Kind.HANDLE, "@amanda_q"),
    IndicatorInput(Kind.URL, "https://example.org/it's-a-trap?x=1"),
]


def essence(alert: Alert) -> dict[str, Any]:
    return {
        "title": alert.title,
        "summary": alert.summary,
        "guidance": alert.guidance,
        "tlp": alert.tlp,
        "indicators": sorted(
            (i.kind, i.observable.value, tuple(i.aliases)) for i in alert.indicators.all()
        ),
    }


class StixTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.alert = make_alert(cls.security, tlp=Tlp.AMBER, indicators=INDICATORS)

    def test_the_export_parses_with_stix2_and_carries_the_fixed_tlp_marking(self) -> None:
        bundle = stix.export_alert(self.alert, reader=self.security)
        parsed = stix2.parse(json.dumps(bundle), allow_custom=False)
        types = {o.type for o in parsed.objects}
        self.assertTrue(
            {"identity", "indicator", "threat-actor", "report", "course-of-action"} <= types
        )
        marking = next(o for o in bundle["objects"] if o["type"] == "marking-definition")
        self.assertEqual(marking["id"], MARKING_IDS[Tlp.AMBER])
        self.assertEqual(marking["id"], "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421")
        self.assertEqual(marking["created"], "2022-10-01T00:00:00.000Z")
        others = [o for o in bundle["objects"] if o["type"] != "marking-definition"]
        for obj in others:
            self.assertEqual(obj.get("object_marking_refs", [marking["id"]]), [marking["id"]])
        patterns = {o["pattern"] for o in bundle["objects"] if o["type"] == "indicator"}
        self.assertIn("[email-addr:value = 'amanda.qiu@br-yr.example']", patterns)
        self.assertIn("[url:value = 'https://example.org/it\\'s-a-trap?x=1']", patterns)

    def test_export_then_import_gives_an_equal_alert(self) -> None:
        bundle = stix.export_alert(self.alert, reader=self.security)
        imported, skipped = stix.import_alert(data=json.dumps(bundle).encode(), actor=self.security)
        self.assertEqual(skipped, [])
        self.assertEqual(imported.status, Alert.Status.DRAFT)
        self.assertEqual(imported.source, Alert.Source.STIX)
        self.assertEqual(essence(imported), essence(self.alert))

    def test_every_tlp_level_survives_the_round_trip(self) -> None:
        for level in Tlp:
            with self.subTest(level=level):
                alert = make_alert(
                    self.security,
                    tlp=level,
                    audience=Alert.Audience.PEOPLE,
                    recipients=[self.staffer.person],
                )
                bundle = stix.export_alert(alert, reader=self.security)
                imported, _ = stix.import_alert(data=json.dumps(bundle).encode(), actor=WORKER)
                self.assertEqual(imported.tlp, level)

    def test_sightings_name_offices_only_in_the_security_teams_export(self) -> None:
        make_report(self.staffer, approacher_name="QIU Amanda")
        full = stix.export_alert(self.alert, reader=self.security)
        sightings = [o for o in full["objects"] if o["type"] == "sighting"]
        self.assertTrue(sightings)
        offices = {o["name"] for o in full["objects"] if o["type"] == "identity"}
        self.assertIn("Office A", offices)
        stix2.parse(json.dumps(full))
        reader = api_client(self.staffer).get(f"/api/v1/alerts/{self.alert.public_id}/stix/")
        self.assertNotIn("Office A", json.dumps(reader.json()))

    def test_a_campaign_exports_as_a_bundle_with_its_sightings(self) -> None:
        first = make_report(self.staffer, approacher_name="Amanda Qiu")
        make_report(self.outsider, approacher_name="QIU Amanda")
        first.refresh_from_db()
        bundle = stix.export_campaign(first.campaign)  # type: ignore[arg-type]
        parsed = stix2.parse(json.dumps(bundle))
        types = [o.type for o in parsed.objects]
        self.assertIn("campaign", types)
        self.assertIn("sighting", types)
        self.assertIn(MARKING_IDS[Tlp.AMBER], {o.id for o in parsed.objects})

    def test_the_commands_export_and_import(self) -> None:
        out = StringIO()
        call_command("export_stix", self.alert.reference, stdout=out)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
            file.write(out.getvalue())
        result = StringIO()
        call_command("import_stix", file.name, "--actor", self.security.email, stdout=result)
        self.assertIn("Imported draft alert", result.getvalue())
        imported = Alert.objects.exclude(pk=self.alert.pk).get()
        self.assertEqual(essence(imported), essence(self.alert))
        with self.assertRaises(CommandError):
            call_command("export_stix", "A-1999-99", stdout=StringIO())

    def test_the_page_and_api_export_and_import(self) -> None:
        client = self.client_for(self.security)
        response = client.get(f"{self.alert.get_absolute_url()}stix/")
        self.assertTrue(response["Content-Disposition"].startswith("attachment;"))
        upload = SimpleUploadedFile("bundle.json", response.content)
        page = client.post("/intel/alerts/import/", {"bundle": upload}, follow=True)
        self.assertContains(page, "Imported as draft")
        api = api_client(self.security)
        bundle = api.get(f"/api/v1/alerts/{self.alert.public_id}/stix/").json()
        created = api.post("/api/v1/alerts/import-stix/", bundle, format="json")
        self.assertEqual(created.status_code, 201)
        self.assertEqual(created.json()["alert"]["title"], self.alert.title)
        self.assertEqual(
            api_client(self.staffer)
            .post("/api/v1/alerts/import-stix/", bundle, format="json")
            .status_code,
            403,
        )

    def test_a_broken_bundle_gets_a_clear_error(self) -> None:
        cases = [
            (b"not json", "not a JSON file"),
            (b'{"type": "indicator"}', "not a STIX bundle"),
            (
                b'{"type": "bundle", "id": "bundle--x", "objects": [{"type": "indicator"}]}',
                "not valid",
            ),
        ]
        for data, message in cases:
            with self.subTest(data=data), self.assertRaisesMessage(stix.StixError, message):
                stix.parse_bundle(data)
        client = self.client_for(self.security)
        page = client.post(
            "/intel/alerts/import/", {"bundle": SimpleUploadedFile("x.json", b"<script>")}
        )
        self.assertContains(page, "not a JSON file")
        self.assertEqual(Alert.objects.count(), 1)


class CampaignNeedToKnowTests(BaseTestCase):
    """Issue 10 finding 6: an alert's reader exported its security-only campaign (name, summary,
    and the times of its reports, anonymous ones included)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.report = make_report(cls.staffer, approacher_name="Amanda Qiu", anonymous=True)
        make_report(cls.outsider, approacher_name="QIU Amanda")
        cls.report.refresh_from_db()
        cls.campaign = cls.report.campaign
        assert cls.campaign is not None
        cls.alert = make_alert(cls.security, tlp=Tlp.GREEN)
        Alert.objects.filter(pk=cls.alert.pk).update(campaign=cls.campaign)

    def secrets(self) -> list[str]:
        return [self.campaign.name, self.campaign.summary, '"campaign"', "first_seen", "last_seen"]

    def test_a_staffer_who_reads_the_alert_exports_no_campaign_and_no_times(self) -> None:
        url = f"/api/v1/alerts/{self.alert.public_id}/stix/"
        for exported in (
            api_client(self.staffer).get(url).content.decode(),
            self.client_for(self.staffer).get(f"{self.alert.get_absolute_url()}stix/").content,
        ):
            text = exported if isinstance(exported, str) else exported.decode()
            self.assertIn(self.alert.title, text)  # the alert itself is theirs to read
            for secret in filter(None, self.secrets()):
                self.assertNotIn(secret, text)
        out = StringIO()
        call_command("export_stix", self.alert.reference, "--as", self.staffer.email, stdout=out)
        self.assertNotIn("campaign", {o["type"] for o in json.loads(out.getvalue())["objects"]})

    def test_the_security_officers_export_has_the_campaign_and_its_times(self) -> None:
        bundle = api_client(self.security).get(f"/api/v1/alerts/{self.alert.public_id}/stix/")
        campaign = next(o for o in bundle.json()["objects"] if o["type"] == "campaign")
        self.assertEqual(campaign["name"], self.campaign.name)
        self.assertIn("first_seen", campaign)
        self.assertIn("last_seen", campaign)
