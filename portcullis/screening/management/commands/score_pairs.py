import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portcullis.screening import matching

COLUMNS = ("left", "right", "left_dob", "right_dob")


class Command(BaseCommand):
    help = (
        "Score a CSV of name pairs (left,right[,left_dob,right_dob]; a header row naming those "
        "columns is optional) with the default algorithm: one result per pair."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--algorithm", default=matching.DEFAULT_ALGORITHM)
        parser.add_argument("--json", action="store_true", help="one JSON object per line")

    def handle(self, *args: object, file: Path, algorithm: str, **options: object) -> None:
        try:
            scorer = matching.get_algorithm(algorithm)
        except KeyError as exc:
            raise CommandError(str(exc.args[0])) from exc
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        for line, pair in read_pairs(file):
            score = scorer.score(*pair)
            result = {
                "line": line,
                "left": pair[0].name,
                "right": pair[1].caption,
                "score": score.score,
                "match": score.score >= scorer.threshold,
                "threshold": scorer.threshold,
                "algorithm": scorer.name,
                "features": [
                    {
                        "name": f.name,
                        "value": round(f.value, 4),
                        "contribution": round(f.contribution, 4),
                        "explanation": f.explanation,
                    }
                    for f in score.features
                ],
            }
            if options["json"]:
                self.stdout.write(json.dumps(result, ensure_ascii=False))
            else:
                verdict = "match" if result["match"] else "no"
                self.stdout.write(
                    f"{score.score:.3f}\t{verdict}\t{pair[0].name}\t{pair[1].caption}"
                )


Pair = tuple[matching.Subject, matching.Entity]


def read_pairs(path: Path) -> Iterator[tuple[int, Pair]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows: Iterator[list[str]] = csv.reader(handle)
        first = next(rows, None)
        if first is None:
            return
        header = [c.strip().lower() for c in first]
        if {"left", "right"} <= set(header):
            where = {name: header.index(name) for name in COLUMNS if name in header}
        else:
            where = {name: i for i, name in enumerate(COLUMNS)}
            rows = iter([first, *rows])
        for line, row in enumerate(rows, start=2 if "left" in header else 1):
            cells = {name: row[i].strip() if i < len(row) else "" for name, i in where.items()}
            if not cells.get("left") or not cells.get("right"):
                raise CommandError(f"line {line}: left and right names are both needed")
            left = matching.Subject(
                name=cells["left"], birth_dates=_dates(cells.get("left_dob", ""))
            )
            right = matching.Entity(
                entity_id=f"pair:{line}",
                source="pairs",
                names=(cells["right"],),
                birth_dates=_dates(cells.get("right_dob", "")),
            )
            yield line, (left, right)


def _dates(value: str) -> tuple[str, ...]:
    """Several dates are separated by ; or | (the shared name pairs use |)."""
    return tuple(v.strip() for v in re.split(r"[;|]", value) if v.strip())
