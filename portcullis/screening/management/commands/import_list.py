from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portcullis.ledger.actors import COMMAND
from portcullis.screening.imports import ListImportError, import_list, source_for
from portcullis.screening.sources import SOURCES


class Command(BaseCommand):
    help = (
        "Import a published list file as the next version of its source. A malformed file is "
        "rejected naming the line or record, and the version in force stays in force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(SOURCES), help="the file's format")
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", help="the list's name (default: one list per format)")

    def handle(
        self, *args: object, kind: str, file: Path, source: str | None, **options: object
    ) -> None:
        if not file.is_file():
            raise CommandError(f"{file}: no such file")

        def progress(stage: str, percent: int) -> None:
            if options["verbosity"] > 1:  # type: ignore[operator]
                self.stdout.write(f"  {percent:3d}% {stage}")

        try:
            target = source_for(kind=kind, name=source, actor=COMMAND)
            before = target.current_version_id
            version = import_list(source=target, path=file, actor=COMMAND, progress=progress)
        except ListImportError as exc:
            raise CommandError(str(exc)) from exc
        if version.pk == before:
            self.stdout.write(
                f"{target.name}: identical to version {version.number} in force; "
                "no new version (recorded as checked)"
            )
            return
        self.stdout.write(
            f"{target.name}: version {version.number} in force, {version.entity_count} entities "
            f"({version.added_count} added, {version.removed_count} removed, "
            f"{version.changed_count} changed)"
        )
