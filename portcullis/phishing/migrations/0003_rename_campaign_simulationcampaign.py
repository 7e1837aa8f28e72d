from django.db import migrations


class Migration(migrations.Migration):
    """Simulation campaigns get their own name: intel has campaigns of approach reports too."""

    dependencies = [
        ("phishing", "0002_report_alert"),
    ]

    operations = [
        migrations.RenameModel(old_name="Campaign", new_name="SimulationCampaign"),
    ]
