"""Vetting and SOS device records: states, rules and the ledger."""

from __future__ import annotations

from datetime import date, timedelta

from portcullis.ledger.actors import WORKER
from portcullis.ledger.models import LedgerEntry
from portcullis.protection import services
from portcullis.protection.models import Clearance, SosDevice
from portcullis.test import BaseTestCase

TODAY = date(2026, 3, 2)


class ClearanceTests(BaseTestCase):
    def clearance(self, **kwargs):  # type: ignore[no-untyped-def]
        values = {
            "person": self.staffer.person,
            "level": "ctc",
            "status": "cleared",
            "applied_on": TODAY - timedelta(days=400),
            "granted_on": TODAY - timedelta(days=300),
            "actor": self.security,
        } | kwargs
        return services.record_clearance(**values)

    def test_a_clearance_reads_cleared_then_renewal_due_then_expired(self) -> None:
        c = self.clearance(expires_on=TODAY + timedelta(days=365))
        self.assertEqual(c.state(TODAY), "cleared")
        self.assertEqual(c.renewal_due_on(), TODAY + timedelta(days=185))
        self.assertEqual(c.state(TODAY + timedelta(days=200)), "renewal due")
        self.assertEqual(c.state(TODAY + timedelta(days=366)), "expired")
        self.assertFalse(c.is_current(TODAY + timedelta(days=366)))

    def test_a_pending_application_is_not_current(self) -> None:
        c = self.clearance(status="in_progress", granted_on=None)
        self.assertEqual(c.state(TODAY), "pending")
        self.assertEqual(Clearance.objects.current(TODAY).count(), 0)

    def test_cleared_without_a_grant_date_is_refused(self) -> None:
        with self.assertRaises(services.InvalidChangeError):
            self.clearance(granted_on=None)

    def test_recording_a_clearance_is_in_the_ledger(self) -> None:
        self.clearance()
        self.assertTrue(LedgerEntry.objects.filter(action="clearance.record").exists())


class DeviceTests(BaseTestCase):
    def test_a_device_is_issued_tested_and_returned(self) -> None:
        device = services.issue_device(
            person=self.member.person, serial="SOS-1", actor=self.security, today=TODAY
        )
        self.assertTrue(device.test_overdue(TODAY + timedelta(days=91)))
        services.record_device_test(
            device=device, actor=self.security, today=TODAY + timedelta(days=91)
        )
        self.assertEqual(device.state(TODAY + timedelta(days=92)), "issued and tested")
        services.return_device(
            device=device, actor=self.security, today=TODAY + timedelta(days=100)
        )
        self.assertEqual(device.state(TODAY + timedelta(days=100)), "returned")
        self.assertEqual(SosDevice.objects.issued().count(), 0)
        actions = set(LedgerEntry.objects.values_list("action", flat=True))
        self.assertTrue({"sos_device.issue", "sos_device.test", "sos_device.return"} <= actions)

    def test_a_returned_device_cannot_be_returned_or_tested_again(self) -> None:
        device = services.issue_device(
            person=self.member.person, serial="SOS-2", actor=WORKER, today=TODAY
        )
        services.return_device(device=device, actor=WORKER, today=TODAY)
        with self.assertRaises(services.InvalidChangeError):
            services.return_device(device=device, actor=WORKER, today=TODAY)
        with self.assertRaises(services.InvalidChangeError):
            services.record_device_test(device=device, actor=WORKER, today=TODAY)

    def test_a_serial_is_issued_once(self) -> None:
        services.issue_device(person=self.member.person, serial="SOS-3", actor=WORKER, today=TODAY)
        with self.assertRaises(services.InvalidChangeError):
            services.issue_device(
                person=self.staffer.person, serial="SOS-3", actor=WORKER, today=TODAY
            )


class ProtectionPageTests(BaseTestCase):
    def test_a_security_officer_records_vetting_and_devices_from_the_record_page(self) -> None:
        client = self.client_for(self.security)
        person = self.staffer.person
        record = f"/training/people/{person.public_id}/"
        client.post(
            f"/protection/people/{person.public_id}/clearances/",
            {
                "clearance-level": "ctc",
                "clearance-status": "cleared",
                "clearance-applied_on": "2026-01-05",
                "clearance-granted_on": "2026-02-01",
                "clearance-expires_on": "2031-02-01",
            },
        )
        client.post(f"/protection/people/{person.public_id}/devices/", {"device-serial": "SOS-9"})
        device = SosDevice.objects.get(serial="SOS-9")
        client.post(f"/protection/devices/{device.public_id}/test/")
        page = client.get(record)
        self.assertContains(page, "Counter-Terrorist Check (CTC): Cleared")
        self.assertContains(page, "SOS-9: issued")
        device.refresh_from_db()
        self.assertIsNotNone(device.last_tested_on)

    def test_a_bad_clearance_is_refused_with_a_message(self) -> None:
        client = self.client_for(self.security)
        person = self.staffer.person
        response = client.post(
            f"/protection/people/{person.public_id}/clearances/",
            {
                "clearance-level": "ctc",
                "clearance-status": "cleared",
                "clearance-applied_on": "2026-01-05",
            },
            follow=True,
        )
        self.assertContains(response, "A cleared clearance needs the date it was granted.")
        self.assertFalse(Clearance.objects.exists())

    def test_only_security_officers_record_vetting_and_devices(self) -> None:
        person = self.staffer.person
        device = SosDevice.objects.create(person=person, serial="SOS-8", issued_on=TODAY)
        urls = [
            f"/protection/people/{person.public_id}/clearances/",
            f"/protection/people/{person.public_id}/devices/",
            f"/protection/devices/{device.public_id}/return/",
        ]
        for role in ("member", "staffer", "manager", "outsider", "gate", "party_officer", "admin"):
            for url in urls:
                with self.subTest(role=role, url=url):
                    self.assertEqual(
                        self.client_for(getattr(self, role)).post(url).status_code, 403
                    )
