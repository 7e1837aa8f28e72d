"""manage.py import_stix FILE: a STIX 2.1 bundle becomes a draft alert (use - for stdin)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portcullis.accounts.access import SECURITY_TEAM
from portcullis.accounts.models import User
from portcullis.intel import stix
from portcullis.ledger.actors import COMMAND, Actor


class Command(BaseCommand):
    help = "Import a STIX 2.1 bundle as a draft alert."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="path to a bundle (.json), or - for stdin")
        parser.add_argument("--actor", help="e-mail of the security officer recorded as importer")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        if path == "-":
            data = sys.stdin.buffer.read(stix.MAX_BUNDLE_BYTES + 1)
        else:
            file = Path(path)
            if not file.is_file():
                raise CommandError(f"No such file: {path}")
            if file.stat().st_size > stix.MAX_BUNDLE_BYTES:
                raise CommandError("The bundle is larger than 5 MB.")
            data = file.read_bytes()
        actor: Actor = COMMAND
        if options.get("actor"):
            officer = User.objects.filter(email=options["actor"].lower()).first()
            if officer is None or not SECURITY_TEAM(officer):
                raise CommandError(f"{options['actor']} is not a security officer.")
            actor = officer
        try:
            alert, skipped = stix.import_alert(data=data, actor=actor)
        except stix.StixError as exc:
            raise CommandError(str(exc)) from exc
        for line in skipped:
            self.stderr.write(f"not imported: {line}")
        self.stdout.write(f"Imported draft alert {alert.reference} ({alert.public_id})")
