"""Builders shared by the phishing analysis tests."""

from __future__ import annotations

from pathlib import Path

from portcullis.phishing.analysis import (
    Analysis,
    AnalysisContext,
    Directory,
    DirectoryPerson,
    analyse,
)

DATA = Path(__file__).parent / "data"

CONTEXT = AnalysisContext(
    directory=Directory(
        [
            DirectoryPerson("Jane Smith", ("jane.smith.mp@parliament.uk",)),
            DirectoryPerson("Tom Brown", ("tom.brown@parliament.uk",)),
        ]
    ),
    protected_domains=("parliament.uk",),
)


def analyse_sample(name: str, context: AnalysisContext = CONTEXT) -> Analysis:
    return analyse((DATA / name).read_bytes(), context)
