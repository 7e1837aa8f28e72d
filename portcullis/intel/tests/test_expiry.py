"""An alert past its expiry date stops meeting new reports and screenings: matching ignores it
from the next day, and the hourly job takes its names out of the screening index once, with a
ledger entry. Moving the date on puts it back."""

from __future__ import annotations

import datetime

from django.utils import timezone

from portcullis.approaches.tests.builders import make_report
from portcullis.intel.models import Alert, Match
from portcullis.intel.services import AlertInput, expire_alerts, update_alert
from portcullis.intel.tests.builders import QIU_INDICATORS, make_alert, media_in_tmp
from portcullis.intel.tests.test_screening_feed import hits
from portcullis.ledger.actors import SCHEDULER
from portcullis.ledger.models import LedgerEntry
from portcullis.test import BaseTestCase


def _expire(alert: Alert, on: datetime.date) -> None:
    # As if the alert had been written with this expiry date: set on the row, as time passing
    # would leave it, without going through the service that would re-feed screening.
    Alert.objects.filter(pk=alert.pk).update(expires_on=on)
    alert.refresh_from_db()


def _input(alert: Alert, expires_on: datetime.date | None) -> AlertInput:
    return AlertInput(
        title=alert.title,
        summary=alert.summary,
        guidance=alert.guidance,
        tlp=alert.tlp,
        audience=alert.audience,
        indicators=list(QIU_INDICATORS),
        expires_on=expires_on,
    )


@media_in_tmp()
class AlertExpiryTests(BaseTestCase):
    def setUp(self) -> None:
        self.alert = make_alert(self.security)
        self.today = timezone.localdate()

    def matched(self, **report: str) -> bool:
        made = make_report(self.staffer, **report)
        return Match.objects.filter(origin=made.origin, alert=self.alert).exists()

    def test_an_alert_matches_on_its_last_day_and_not_after(self) -> None:
        _expire(self.alert, self.today)
        self.assertTrue(self.matched(approacher_name="QIU Amanda"))
        _expire(self.alert, self.today - datetime.timedelta(days=1))
        self.assertFalse(self.matched(approacher_name="QIU Amanda"))
        self.assertFalse(self.matched(account="write to amanda.qiu@br-yr.example"))

    def test_the_job_takes_the_names_out_of_screening_once_with_a_ledger_entry(self) -> None:
        self.assertIn("Amanda Qiu", hits("QIU Amanda", self.security))
        _expire(self.alert, self.today - datetime.timedelta(days=1))
        self.assertEqual(expire_alerts(actor=SCHEDULER), 1)
        self.assertNotIn("Amanda Qiu", hits("QIU Amanda", self.security))
        self.alert.refresh_from_db()
        self.assertIsNotNone(self.alert.expired_at)
        self.assertEqual(expire_alerts(actor=SCHEDULER), 0)
        entries = LedgerEntry.objects.about(self.alert).filter(action="alert.expire")
        self.assertEqual(entries.count(), 1)

    def test_a_draft_or_withdrawn_alert_is_not_expired_by_the_job(self) -> None:
        draft = make_alert(self.security, title="Draft", publish=False)
        _expire(draft, self.today - datetime.timedelta(days=3))
        self.assertEqual(expire_alerts(actor=SCHEDULER), 0)

    def test_moving_the_expiry_date_on_puts_the_alert_back(self) -> None:
        _expire(self.alert, self.today - datetime.timedelta(days=1))
        expire_alerts(actor=SCHEDULER)
        later = self.today + datetime.timedelta(days=30)
        update_alert(alert=self.alert, data=_input(self.alert, later), actor=self.security)
        self.alert.refresh_from_db()
        self.assertIsNone(self.alert.expired_at)
        self.assertIn("Amanda Qiu", hits("QIU Amanda", self.security))
        self.assertTrue(self.matched(approacher_name="QIU Amanda"))

    def test_the_security_team_is_told_on_the_alert_page(self) -> None:
        _expire(self.alert, self.today - datetime.timedelta(days=1))
        page = self.client_for(self.security).get(self.alert.get_absolute_url())
        self.assertContains(page, "no longer matched against it")
