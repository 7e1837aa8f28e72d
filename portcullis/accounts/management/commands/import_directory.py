from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portcullis.accounts.services import import_directory
from portcullis.ledger.actors import COMMAND


class Command(BaseCommand):
    help = "Add or update directory people from a CSV (name, emails, office, role)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: object, file: Path, **options: object) -> None:
        if not file.is_file():
            raise CommandError(f"{file} is not a file")
        report = import_directory(data=file.read_bytes(), actor=COMMAND, filename=file.name)
        for line, message in report.errors:
            self.stderr.write(f"line {line}: {message}")
        if not report.ok:
            raise CommandError(f"nothing imported: {len(report.errors)} row(s) need fixing")
        self.stdout.write(
            f"{report.created} added, {report.updated} updated, {report.unchanged} unchanged"
        )
