"""manage.py export_stix ID [--as EMAIL]: an alert (id or reference, e.g. A-2025-11) or a campaign
as a STIX 2.1 bundle on stdout. An alert is exported as the person `--as` names may read it (a
security officer's export carries its campaign and sightings); without `--as`, as any of its
readers gets it. A campaign is the security team's, so exporting one needs a security officer."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser

from portcullis.accounts.models import User
from portcullis.intel import stix
from portcullis.intel.models import Alert, Campaign


class Command(BaseCommand):
    help = "Write an alert or campaign as a STIX 2.1 bundle to stdout."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id", help="alert id or reference (A-2025-11), or campaign id")
        parser.add_argument("--as", dest="reader", help="e-mail of the person the export is for")

    def handle(self, *args: Any, **options: Any) -> None:
        key = options["id"]
        reader = self._reader(options.get("reader"))
        alert = Alert.objects.filter(reference=key).first()
        try:
            public_id = uuid.UUID(key)
        except ValueError:
            public_id = None
        if alert is None and public_id:
            alert = Alert.objects.filter(public_id=public_id).first()
        if alert is not None:
            readable = Alert.objects.visible_to(reader).filter(pk=alert.pk).exists()
            if reader.is_authenticated and not readable:
                raise CommandError(f"{reader} may not read {alert.reference}.")
            bundle = stix.export_alert(alert, reader=reader)
        else:
            campaign = Campaign.objects.filter(public_id=public_id).first() if public_id else None
            if campaign is None:
                raise CommandError(f"No alert or campaign {key!r}.")
            if not Campaign.objects.visible_to(reader).filter(pk=campaign.pk).exists():
                raise CommandError("A campaign is the security team's: --as a security officer.")
            bundle = stix.export_campaign(campaign)
        self.stdout.write(json.dumps(bundle, indent=2, ensure_ascii=False))

    def _reader(self, email: str | None) -> User | AnonymousUser:
        if not email:
            return AnonymousUser()
        user: User | None = User.objects.filter(email=email.lower()).first()
        if user is None:
            raise CommandError(f"No user {email}.")
        return user
