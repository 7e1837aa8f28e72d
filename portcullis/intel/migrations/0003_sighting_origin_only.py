# Sightings point at origins only (approaches 0003 moved every report's sightings there).

import django.db.models.deletion
from django.db import migrations, models


def drop_unplaced(apps, schema_editor):
    # A sighting of no report said nowhere it was seen; none is written, but one would block
    # the column becoming required.
    apps.get_model("intel", "Sighting").objects.filter(origin=None).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("intel", "0002_origins"),
        ("approaches", "0003_report_origin"),
    ]

    operations = [
        migrations.RunPython(drop_unplaced, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="sighting", name="sighting_unique"),
        migrations.RemoveField(model_name="sighting", name="report"),
        migrations.AlterField(
            model_name="sighting",
            name="origin",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="sightings",
                to="intel.origin",
            ),
        ),
        migrations.AddConstraint(
            model_name="sighting",
            constraint=models.UniqueConstraint(
                fields=("observable", "origin"), name="sighting_unique_origin"
            ),
        ),
    ]
