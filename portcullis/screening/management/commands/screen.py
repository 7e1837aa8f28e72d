import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portcullis.screening import matching
from portcullis.screening.live import current_index


class Command(BaseCommand):
    help = (
        "Screen one name against every list in force and print the explained results. "
        "Nothing is stored: for operators and evaluation (use the page or API for casework)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--alias", action="append", default=[], help="another name (repeat)")
        parser.add_argument("--dob", action="append", default=[], help="1961-03-02, 1961-03, 1961")
        parser.add_argument("--country", action="append", default=[], help="name or ISO code")
        parser.add_argument(
            "--type", choices=[t.value for t in matching.EntityType], default="unknown"
        )
        parser.add_argument("--algorithm", default=matching.DEFAULT_ALGORITHM)
        parser.add_argument("--threshold", type=float, help="default: the algorithm's own")
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument(
            "--near-misses", action="store_true", help="also show results below the threshold"
        )
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: object, **o: object) -> None:
        try:
            scorer = matching.get_algorithm(str(o["algorithm"]))
        except KeyError as exc:
            raise CommandError(str(exc.args[0])) from exc
        subject = matching.Subject(
            name=str(o["name"]),
            aliases=tuple(o["alias"]),  # type: ignore[arg-type]
            birth_dates=tuple(o["dob"]),  # type: ignore[arg-type]
            countries=tuple(o["country"]),  # type: ignore[arg-type]
            entity_type=matching.EntityType(str(o["type"])),
        )
        live = current_index()
        threshold = o["threshold"] if o["threshold"] is not None else scorer.threshold
        matches = matching.screen(
            live.index,
            subject,
            algorithm=scorer.name,
            threshold=threshold,  # type: ignore[arg-type]
            limit=o["limit"],  # type: ignore[arg-type]
            min_score=0.0 if o["near_misses"] else None,
        )
        if o["json"]:
            payload = {
                "query": {
                    "name": subject.name,
                    "aliases": list(subject.aliases),
                    "birth_dates": list(subject.birth_dates),
                    "countries": list(subject.countries),
                    "type": subject.entity_type.value,
                },
                "algorithm": scorer.name,
                "threshold": threshold,
                "lists": live.versions,
                "results": [
                    m.as_dict() | {"list_version": live.versions.get(m.entity.source)}
                    for m in matches
                ],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        if not live.versions:
            self.stdout.write("No lists are loaded: run manage.py import_list first.")
        for m in matches:
            self.stdout.write(
                f"{m.score:.3f} {'MATCH' if m.is_match else '     '} {m.entity.caption} "
                f"[{m.entity.source} {m.entity.entity_id}]"
            )
            for f in m.features:
                if f.value:
                    self.stdout.write(f"        {f.name} {f.contribution:+.2f}: {f.explanation}")
