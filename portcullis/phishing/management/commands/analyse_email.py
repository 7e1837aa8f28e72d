"""manage.py analyse_email FILE [--json]: the verdict, score and indicators of one message."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from portcullis.phishing.analysis import analyse
from portcullis.phishing.context import analysis_context
from portcullis.phishing.models.reports import MAX_RAW_BYTES


class Command(BaseCommand):
    help = "Analyse an .eml or .msg file (read as bytes; nothing in it is opened or fetched)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--json", action="store_true", help="print the full result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            with path.open("rb") as handle:
                raw = handle.read(MAX_RAW_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        if len(raw) > MAX_RAW_BYTES:
            raise CommandError(f"{path} is larger than {MAX_RAW_BYTES} bytes")
        try:
            context = analysis_context()  # the directory and the protected domains
        except DatabaseError as exc:
            raise CommandError(
                "the database is not set up yet: run `make setup` first "
                "(or `.venv/bin/python manage.py migrate`)"
            ) from exc
        result = analyse(raw, context)
        if options["json"]:
            self.stdout.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
            return
        self.stdout.write(f"verdict: {result.verdict.value}")
        self.stdout.write(f"score: {result.score:.2f}")
        for indicator in result.indicators:
            self.stdout.write(
                f"- [{indicator.severity.value}] {indicator.code}: {indicator.title} "
                f"({indicator.evidence})"
            )
