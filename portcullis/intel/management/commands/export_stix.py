"""manage.py export_stix ID: an alert (id or reference, e.g. A-2025-11) or a campaign as a STIX 2.1
bundle on stdout. Run by operators; it includes sightings, as the security team sees it."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portcullis.intel import stix
from portcullis.intel.models import Alert, Campaign


class Command(BaseCommand):
    help = "Write an alert or campaign as a STIX 2.1 bundle to stdout."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id", help="alert id or reference (A-2025-11), or campaign id")

    def handle(self, *args: Any, **options: Any) -> None:
        key = options["id"]
        alert = Alert.objects.filter(reference=key).first()
        try:
            public_id = uuid.UUID(key)
        except ValueError:
            public_id = None
        if alert is None and public_id:
            alert = Alert.objects.filter(public_id=public_id).first()
        if alert is not None:
            bundle = stix.export_alert(alert, with_sightings=True)
        else:
            campaign = Campaign.objects.filter(public_id=public_id).first() if public_id else None
            if campaign is None:
                raise CommandError(f"No alert or campaign {key!r}.")
            bundle = stix.export_campaign(campaign)
        self.stdout.write(json.dumps(bundle, indent=2, ensure_ascii=False))
