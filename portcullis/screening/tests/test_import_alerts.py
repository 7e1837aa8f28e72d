from portcullis.ledger.actors import WORKER
from portcullis.screening.imports import WatchlistEntry, upsert_alert_watchlist_entries
from portcullis.screening.models import ListSource, OutcomeChange
from portcullis.screening.services import monitor_subject, rescreen_monitored, screen_subject
from portcullis.screening.tests.builders import query
from portcullis.test import BaseTestCase

ENTRY = WatchlistEntry(
    name="Oleg Vantorin",
    aliases=("Олег Ванторин",),
    entity_type="person",
    note="posed as a researcher",
    key="persona-1",
)


class AlertWatchlistTests(BaseTestCase):
    def alerts(self):
        return ListSource.objects.get(slug="security-alerts")

    def test_an_alert_puts_its_entries_on_the_security_alerts_watchlist(self):
        version = upsert_alert_watchlist_entries(
            alert_key="A-2026-11", entries=[ENTRY], actor=self.security
        )
        source = self.alerts()
        self.assertEqual(source.kind, "internal")
        self.assertEqual(source.current_version, version)
        entity = version.entities.get()
        self.assertEqual(entity.external_id, "alert:A-2026-11:persona-1")
        self.assertEqual(entity.topics, ["alert"])
        self.assertIn(["note", "security alert A-2026-11: posed as a researcher"], entity.notes)
        screening = screen_subject(subject=query("Олег Ванторин"), actor=WORKER, purpose="visitor")
        self.assertEqual(screening.results.get(is_match=True).caption, "Oleg Vantorin")

    def test_sending_the_same_alert_again_makes_no_new_version(self):
        upsert_alert_watchlist_entries(alert_key="A-1", entries=[ENTRY], actor=WORKER)
        self.assertIsNone(
            upsert_alert_watchlist_entries(alert_key="A-1", entries=[ENTRY], actor=WORKER)
        )
        self.assertEqual(self.alerts().versions.count(), 1)

    def test_alerts_update_in_place_and_leave_other_alerts_alone(self):
        upsert_alert_watchlist_entries(alert_key="A-1", entries=[ENTRY], actor=WORKER)
        other = WatchlistEntry(name="Meridian Policy Exchange Ltd", entity_type="organisation")
        upsert_alert_watchlist_entries(alert_key="A-2", entries=[other], actor=WORKER)
        changed = WatchlistEntry(name="Oleg Vantorin", birth_dates=("1975",), key="persona-1")
        version = upsert_alert_watchlist_entries(alert_key="A-1", entries=[changed], actor=WORKER)
        self.assertEqual(
            (version.added_count, version.removed_count, version.changed_count), (0, 0, 1)
        )
        self.assertEqual(version.entity_count, 2)

    def test_a_withdrawn_alert_is_recorded_as_a_hit_gone_for_monitored_subjects(self):
        upsert_alert_watchlist_entries(alert_key="A-1", entries=[ENTRY], actor=WORKER)
        screening = screen_subject(
            subject=query("Oleg Vantorin"), actor=self.security, purpose="visitor"
        )
        monitor_subject(
            subject=screening.subject, owner=self.security, purpose="visitor", actor=WORKER
        )
        upsert_alert_watchlist_entries(alert_key="A-1", entries=[], actor=WORKER)
        self.assertIsNone(self.alerts().current_version)
        rescreen_monitored(actor=WORKER)
        self.assertEqual(OutcomeChange.objects.get().kind, "hit_gone")
