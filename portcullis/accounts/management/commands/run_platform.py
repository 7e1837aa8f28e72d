"""Run the web server, a task worker and the scheduler together; Ctrl-C stops all three."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Portcullis with a background task worker and the periodic-job scheduler."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args: object, addr: str, **options: object) -> None:
        manage = [sys.executable, "manage.py"]
        commands = {
            "web": [*manage, "runserver", addr, "--noreload"],
            "worker": [*manage, "db_worker", "--interval", "1", "--no-reload"],
            "scheduler": [*manage, "run_scheduler"],
        }
        children = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}  # noqa: S603
        self.stdout.write(f"Portcullis is running on http://{addr}/ (Ctrl-C stops it)")
        try:
            while all(child.poll() is None for child in children.values()):
                time.sleep(0.5)
            dead = [name for name, child in children.items() if child.poll() is not None]
            self.stderr.write(f"stopped because {', '.join(dead)} exited")
        except KeyboardInterrupt:
            self.stdout.write("stopping…")
        finally:
            for child in children.values():
                if child.poll() is None:
                    child.send_signal(signal.SIGINT)
            for child in children.values():
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
