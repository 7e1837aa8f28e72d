#!/usr/bin/env python
import os
import sys
from pathlib import Path

# `make setup` writes this checkout's development settings here (gitignored). A variable already
# set in the environment wins, so production, which has no such file, sets everything itself.
DEVELOPMENT_SETTINGS = Path(__file__).resolve().parent / "development.env"


def read_development_settings(path: Path) -> None:
    if not path.is_file():
        return
    for line in path.read_text().splitlines():
        name, sep, value = line.partition("=")
        if sep and not name.lstrip().startswith("#"):
            os.environ.setdefault(name.strip(), value.strip())


if __name__ == "__main__":
    read_development_settings(DEVELOPMENT_SETTINGS)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portcullis.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
