"""Every role × inside and outside its scope, for vetting clearances and SOS devices, on the API
(list and detail) and the security team's pages that change them. A staffer sees their own; an
office manager the people of the offices they manage; the security team everyone; anyone else
(gate officers, party officers, administrators, members of other offices) only their own, and an
out-of-scope record answers 404 exactly like a missing one."""

from __future__ import annotations

import uuid
from datetime import date

from django.urls import reverse

from portcullis.protection.models import Clearance, ExposureProfile, SosDevice
from portcullis.test import BaseTestCase

TODAY = date(2026, 3, 2)
EVERYONE = BaseTestCase.cast_roles
# Whose records each role sees: own, plus their managed office's people, plus everyone (security).
SEES = {
    "member": {"member"},
    "staffer": {"staffer"},
    "manager": {"member", "staffer", "manager"},
    "outsider": {"outsider"},
    "security": {"member", "staffer", "manager", "outsider"},
    "gate": set(),
    "party_officer": set(),
    "admin": set(),
}
HOLDERS = ("member", "staffer", "manager", "outsider")


class ProtectionAccessTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.clearances, cls.devices = {}, {}
        for n, name in enumerate(HOLDERS):
            person = getattr(cls, name).person
            cls.clearances[name] = Clearance.objects.create(
                person=person, level="ctc", status="cleared", applied_on=TODAY, granted_on=TODAY
            )
            cls.devices[name] = SosDevice.objects.create(
                person=person, serial=f"SOS-{n}", issued_on=TODAY
            )

    def api(self, role: str, url: str) -> tuple[int, dict]:
        response = self.client_for(getattr(self, role)).get(url)
        return response.status_code, response.json() if response.status_code == 200 else {}

    def test_each_role_lists_exactly_the_records_in_its_scope(self) -> None:
        for url in ("/api/v1/protection/clearances/", "/api/v1/protection/devices/"):
            for role in EVERYONE:
                with self.subTest(url=url, role=role):
                    status, body = self.api(role, url)
                    self.assertEqual(status, 200)
                    people = {row["person"] for row in body["results"]}
                    expected = {str(getattr(self, n).person.public_id) for n in SEES[role]}
                    self.assertEqual(people, expected)

    def test_each_record_opens_in_scope_and_is_a_404_like_a_missing_one_outside(self) -> None:
        for kind, records in (("clearances", self.clearances), ("devices", self.devices)):
            missing = self.client_for(self.staffer).get(
                f"/api/v1/protection/{kind}/{uuid.uuid4()}/"
            )
            for holder, record in records.items():
                url = f"/api/v1/protection/{kind}/{record.public_id}/"
                for role in EVERYONE:
                    with self.subTest(kind=kind, holder=holder, role=role):
                        response = self.client_for(getattr(self, role)).get(url)
                        if holder in SEES[role]:
                            self.assertEqual(response.status_code, 200)
                        else:
                            self.assertEqual(response.status_code, 404)
                            self.assertEqual(response.content, missing.content)

    def test_only_the_security_team_records_clearances_and_devices(self) -> None:
        person = self.staffer.person.public_id
        device = self.devices["staffer"].public_id
        urls = (
            reverse("protection:clearance-add", args=[person]),
            reverse("protection:device-issue", args=[person]),
            reverse("protection:device-event", args=[device, "test"]),
            reverse("protection:exposure", args=[person]),
        )
        for url in urls:
            for role in EVERYONE:
                if role == "security":
                    continue
                with self.subTest(url=url, role=role):
                    self.assertEqual(
                        self.client_for(getattr(self, role)).post(url).status_code, 403
                    )
        self.assertEqual(Clearance.objects.count(), len(HOLDERS))
        self.assertIsNone(SosDevice.objects.get(public_id=device).last_tested_on)

    def test_the_security_team_cannot_reach_a_record_that_does_not_exist(self) -> None:
        url = reverse("protection:exposure", args=[uuid.uuid4()])
        self.assertEqual(self.client_for(self.security).get(url).status_code, 404)


class ExposureTierPageTests(BaseTestCase):
    def url(self) -> str:
        return reverse("protection:exposure", args=[self.member.person.public_id])

    def test_the_security_team_overrides_a_tier_with_a_ledger_row(self) -> None:
        from portcullis.ledger.models import LedgerEntry

        client = self.client_for(self.security)
        self.assertContains(client.get(self.url()), "Exposure tier")
        response = client.post(self.url(), {"tier": "3", "reason": "Chairs the defence committee"})
        self.assertEqual(response.status_code, 302)
        profile = ExposureProfile.objects.get(person=self.member.person)
        self.assertEqual((profile.tier, profile.reason), (3, "Chairs the defence committee"))
        self.assertEqual(LedgerEntry.objects.get(action="exposure.set").actor, self.security)

    def test_an_empty_override_names_its_fields(self) -> None:
        response = self.client_for(self.security).post(self.url(), {})
        self.assertEqual(
            dict(response.context["form"].errors),
            {"tier": ["Choose the exposure tier"], "reason": ["Enter why the tier changes"]},
        )
        self.assertFalse(ExposureProfile.objects.exists())
