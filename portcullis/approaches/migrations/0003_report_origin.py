# Each report becomes an intel Origin: its sightings, alert matches and campaign move there.

import django.db.models.deletion
from django.db import migrations, models
from django.urls import reverse


def to_origins(apps, schema_editor):
    Report = apps.get_model("approaches", "Report")
    AlertMatch = apps.get_model("approaches", "AlertMatch")
    Origin = apps.get_model("intel", "Origin")
    Sighting = apps.get_model("intel", "Sighting")
    Match = apps.get_model("intel", "Match")
    for report in Report.objects.order_by("pk").iterator(chunk_size=500):
        origin, _ = Origin.objects.get_or_create(
            app="approaches",
            kind="report",
            key=str(report.pk),
            defaults={
                "label": "Approach report R-" + report.public_id.hex[:8].upper(),
                "category": "Approach report",
                "url": reverse("approaches:detail", args=[report.public_id]),
                "office_id": report.office_id,
                "occurred_at": report.created_at,
                "campaign_id": report.campaign_id,
            },
        )
        Report.objects.filter(pk=report.pk).update(origin=origin)
        Sighting.objects.filter(report_id=report.pk).update(origin=origin)
        Match.objects.bulk_create(
            [
                Match(
                    origin=origin,
                    alert_id=m.alert_id,
                    indicator_id=m.indicator_id,
                    how=m.how,
                    score=m.score,
                    matched_text=m.matched_text,
                )
                for m in AlertMatch.objects.filter(report_id=report.pk)
            ],
            ignore_conflicts=True,
        )


def from_origins(apps, schema_editor):
    Report = apps.get_model("approaches", "Report")
    AlertMatch = apps.get_model("approaches", "AlertMatch")
    Sighting = apps.get_model("intel", "Sighting")
    Match = apps.get_model("intel", "Match")
    for report in Report.objects.exclude(origin=None).select_related("origin"):
        Report.objects.filter(pk=report.pk).update(campaign_id=report.origin.campaign_id)
        Sighting.objects.filter(origin_id=report.origin_id).update(report_id=report.pk)
        for m in Match.objects.filter(origin_id=report.origin_id):
            AlertMatch.objects.get_or_create(
                report_id=report.pk,
                indicator_id=m.indicator_id,
                defaults={
                    "alert_id": m.alert_id,
                    "how": m.how,
                    "score": m.score,
                    "matched_text": m.matched_text,
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("approaches", "0002_initial"),
        ("intel", "0002_origins"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="origin",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="intel.origin",
            ),
        ),
        migrations.RunPython(to_origins, from_origins),
        migrations.RemoveField(model_name="report", name="campaign"),
        migrations.DeleteModel(name="AlertMatch"),
    ]
