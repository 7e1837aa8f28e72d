"""Reading and writing CSV that came from, or goes to, people's spreadsheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from .safetext import clean_text

MAX_CSV_BYTES = 5 * 1024 * 1024
MAX_FIELD_CHARS = 2000
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class CSVError(ValueError):
    pass


def decode(data: bytes, *, max_bytes: int = MAX_CSV_BYTES) -> str:
    if len(data) > max_bytes:
        raise CSVError(f"The file is larger than {max_bytes // (1024 * 1024)} MB.")
    if b"\x00" in data[:4096]:
        raise CSVError("This is not a CSV file (it contains binary data).")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CSVError("The file is neither UTF-8 nor Windows-1252 text.")


def read_rows(
    text: str, *, required: set[str], blank: bool = False
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row with lower-cased headers); rows of empty cells only with `blank`.
    Raises CSVError on a bad header."""
    csv.field_size_limit(MAX_FIELD_CHARS)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    headers = {(h or "").strip().lower() for h in reader.fieldnames or []}
    missing = required - headers
    if missing:
        raise CSVError(
            f"The first line must name the columns; missing: {', '.join(sorted(missing))}."
        )
    try:
        for row in reader:
            cells = {
                clean_text(k or "").strip().lower(): clean_text(v or "").strip()
                for k, v in row.items()
                if k
            }
            if blank or any(cells.values()):
                yield reader.line_num, cells
    except csv.Error as exc:
        if "field limit" in str(exc):
            line = reader.line_num + 1  # the reader has not counted the line it gave up on
            raise CSVError(
                f"Line {line}: a cell holds more than {MAX_FIELD_CHARS:,} characters."
            ) from exc
        raise CSVError(f"Line {reader.line_num}: {exc}.") from exc


def escape_formula(value: object) -> str:
    """Stop spreadsheet programs from running a cell as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def unescape_formula(text: str) -> str:
    """What `escape_formula` was given: a file we wrote reads back to the same values."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_STARTS) else text
