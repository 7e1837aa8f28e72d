import time

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from portcullis.scheduler.services import run_due_jobs


class Command(BaseCommand):
    help = "Enqueue periodic jobs when they fall due. Safe to run on several machines at once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="check once and exit")
        parser.add_argument("--interval", type=int, default=30, help="seconds between checks")

    def handle(self, *args: object, once: bool, interval: int, **options: object) -> None:
        while True:
            for name in run_due_jobs(now=timezone.now()):
                self.stdout.write(f"enqueued {name}")
            if once:
                return
            time.sleep(interval)
