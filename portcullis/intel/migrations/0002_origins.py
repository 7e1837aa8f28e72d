# Origins: what named an observable, as plain data (app, kind, key), so intel no longer points at
# approach reports. Approaches' own migration moves its sightings and matches onto origins.

import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("intel", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Origin",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("app", models.CharField(max_length=50)),
                ("kind", models.CharField(max_length=30)),
                ("key", models.CharField(max_length=64)),
                ("label", models.CharField(max_length=200)),
                ("category", models.CharField(max_length=100)),
                ("url", models.CharField(blank=True, max_length=500)),
                ("occurred_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "campaign",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="origins",
                        to="intel.campaign",
                    ),
                ),
                (
                    "office",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="accounts.office",
                    ),
                ),
            ],
            options={
                "ordering": ["occurred_at", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("app", "kind", "key"), name="origin_unique_key")
                ],
            },
        ),
        migrations.CreateModel(
            name="Match",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "how",
                    models.CharField(
                        choices=[("exact", "Same identifier"), ("name", "Similar name")],
                        max_length=10,
                    ),
                ),
                ("score", models.FloatField()),
                ("matched_text", models.CharField(max_length=500)),
                ("explanation", models.CharField(blank=True, max_length=500)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "alert",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="matches",
                        to="intel.alert",
                    ),
                ),
                (
                    "indicator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="matches",
                        to="intel.indicator",
                    ),
                ),
                (
                    "origin",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="matches",
                        to="intel.origin",
                    ),
                ),
            ],
            options={
                "ordering": ["-score", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("origin", "indicator"), name="match_unique_indicator"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="sighting",
            name="origin",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="sightings",
                to="intel.origin",
            ),
        ),
    ]
