from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0002_compliance_summary"),
    ]

    operations = [
        migrations.CreateModel(
            name="ComplianceGeneration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveBigIntegerField(default=0)),
            ],
        ),
    ]
