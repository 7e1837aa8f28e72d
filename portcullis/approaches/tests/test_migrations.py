"""The move of approach reports' sightings, alert matches and campaigns onto intel origins
(approaches 0003, intel 0002–0003), run forwards and back on real rows."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase
from django.utils import timezone

BEFORE = [("intel", "0001_initial"), ("approaches", "0002_initial")]
AFTER = [("intel", "0003_sighting_origin_only"), ("approaches", "0003_report_origin")]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


class ReportsBecomeOriginsTests(TransactionTestCase):
    def tearDown(self) -> None:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        super().tearDown()

    def _old_rows(self, apps: Any) -> tuple[Any, Any, Any]:
        user = apps.get_model("accounts", "User").objects.create(email="r@test.example")
        org = apps.get_model("accounts", "Organisation").objects.create(
            name="House", short_name="House", kind="house"
        )
        office = apps.get_model("accounts", "Office").objects.create(
            name="Office A", organisation=org
        )
        campaign = apps.get_model("intel", "Campaign").objects.create(name="Approaches naming X")
        report = apps.get_model("approaches", "Report").objects.create(
            public_id=uuid.UUID("12345678-0000-4000-8000-000000000000"),
            reporter=user,
            office=office,
            channel="network",
            persona="recruiter",
            occurred_on=timezone.localdate(),
            campaign=campaign,
        )
        observable = apps.get_model("intel", "Observable").objects.create(
            kind="person", value="amanda qiu", display="Amanda Qiu"
        )
        apps.get_model("intel", "Sighting").objects.create(
            observable=observable,
            report=report,
            office=office,
            field="approacher_name",
            seen_at=timezone.now(),
        )
        alert = apps.get_model("intel", "Alert").objects.create(
            reference="A-2025-01", title="T", summary="S", guidance="G", status="published"
        )
        indicator = apps.get_model("intel", "Indicator").objects.create(
            alert=alert, kind="person", observable=observable, display="Amanda Qiu"
        )
        apps.get_model("approaches", "AlertMatch").objects.create(
            report=report,
            alert=alert,
            indicator=indicator,
            how="name",
            score=0.97,
            matched_text="QIU Amanda",
        )
        return report, campaign, alert

    def test_sightings_matches_and_campaign_move_to_the_reports_origin_and_back(self) -> None:
        report, campaign, alert = self._old_rows(_migrate(BEFORE))

        apps = _migrate(AFTER)
        moved = apps.get_model("approaches", "Report").objects.get(pk=report.pk)
        origin = apps.get_model("intel", "Origin").objects.get(pk=moved.origin_id)
        self.assertEqual(
            (origin.app, origin.kind, origin.key, origin.label, origin.category),
            (
                "approaches",
                "report",
                str(report.pk),
                "Approach report R-12345678",
                "Approach report",
            ),
        )
        self.assertEqual(origin.url, f"/approaches/{report.public_id}/")
        self.assertEqual(origin.campaign_id, campaign.pk)
        self.assertEqual(origin.office_id, report.office_id)
        sighting = apps.get_model("intel", "Sighting").objects.get()
        self.assertEqual((sighting.origin_id, sighting.field), (origin.pk, "approacher_name"))
        match = apps.get_model("intel", "Match").objects.get()
        self.assertEqual(
            (match.origin_id, match.alert_id, match.how, match.score, match.matched_text),
            (origin.pk, alert.pk, "name", 0.97, "QIU Amanda"),
        )

        apps = _migrate(BEFORE)
        back = apps.get_model("approaches", "Report").objects.get(pk=report.pk)
        self.assertEqual(back.campaign_id, campaign.pk)
        self.assertEqual(apps.get_model("intel", "Sighting").objects.get().report_id, report.pk)
        self.assertEqual(apps.get_model("approaches", "AlertMatch").objects.get().score, 0.97)
