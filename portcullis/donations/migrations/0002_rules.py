"""The rules of DOMAIN.md §1, §2 and §9 as dated rows (portcullis/donations/seed_rules.py)."""

from django.db import migrations

from portcullis.donations.seed_rules import seed_rules


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    seed_rules(apps.get_model("donations", "PolicyRule"))


class Migration(migrations.Migration):
    dependencies = [("donations", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
