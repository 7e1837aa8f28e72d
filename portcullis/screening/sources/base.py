"""What every list parser shares: a size bound, one error type, a simple protocol.

A parser turns the bytes of one published file into `Entity` records. It
never touches the database: the app layer stores what `load` returns as a new
version only if the whole file parsed, so a malformed file leaves the
previous version in force.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import ClassVar

from ..matching.model import Entity

DEFAULT_MAX_BYTES = 200 * 1024 * 1024  # the largest real list (OpenSanctions default) is ~150 MB


class SourceFormatError(ValueError):
    """The file is not what its format promises; `location` says where."""

    def __init__(self, source: str, location: str, problem: str) -> None:
        self.source = source
        self.location = location
        self.problem = problem
        super().__init__(f"{source}: {location}: {problem}")


class ListSource(ABC):
    """One file format. Subclasses set `key`/`label` and implement `iter_entities`.

    `key` prefixes every entity id (`un-sc:6907993`), so ids stay stable
    across versions of the same list and can be diffed.
    """

    key: ClassVar[str]
    label: ClassVar[str]

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes

    def load(self, path: str | Path) -> list[Entity]:
        """Parse a whole file; raises `SourceFormatError` before returning anything."""
        path = Path(path)
        size = path.stat().st_size
        if size > self.max_bytes:
            raise self.error("file", f"{size} bytes is over the {self.max_bytes}-byte limit")
        return self.parse(path.read_bytes())

    def parse(self, data: bytes) -> list[Entity]:
        if len(data) > self.max_bytes:
            raise self.error("file", f"{len(data)} bytes is over the {self.max_bytes}-byte limit")
        entities = list(self.iter_entities(data))
        if not entities:
            raise self.error("file", "no entities found")
        return entities

    def published(self, data: bytes) -> date | None:
        """The date the list's publisher gives the file, when the format carries one."""
        return None

    @abstractmethod
    def iter_entities(self, data: bytes) -> Iterator[Entity]:
        """Yield entities in file order; raise `SourceFormatError` on the first bad record."""

    def error(self, location: str, problem: str) -> SourceFormatError:
        return SourceFormatError(self.label, location, problem)


def clean(value: str | None) -> str:
    return " ".join((value or "").split())


def unique(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))
