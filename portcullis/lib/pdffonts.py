"""Unicode fonts for the PDFs we print (certificates, disclosure lists), embedded in every file.

reportlab's base-14 fonts (Helvetica) are Latin-1 only and never embedded, so Welsh ŵ/ŷ, Polish
Ł or a Chinese name printed as boxes. We embed subsets of DejaVu Sans (Latin, Greek, Cyrillic,
and the rest of Europe's scripts) and, for the characters DejaVu lacks (Chinese, Japanese,
Korean), Droid Sans Fallback: each run of text is set in the first font that has its glyphs.
Both come from Debian packages (`make fonts` installs them; licences in `licences/`); they are
TrueType-outlined, which reportlab needs (Noto CJK is CFF-outlined, which it cannot embed).

The files are looked for in `settings.PDF_FONT_DIRS` (PORTCULLIS_PDF_FONT_DIRS), then in the
system's font directories, wherever below them the package put them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Face:
    name: str  # as registered with reportlab
    file: str
    package: str  # the Debian package that ships it


SANS = Face("PortcullisSans", "DejaVuSans.ttf", "fonts-dejavu-core")
SANS_BOLD = Face("PortcullisSans-Bold", "DejaVuSans-Bold.ttf", "fonts-dejavu-core")
CJK = Face("PortcullisCJK", "DroidSansFallbackFull.ttf", "fonts-droid-fallback")
FACES = (SANS, SANS_BOLD, CJK)

SYSTEM_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "/usr/share/fonts-droid-fallback",
    "~/.local/share/fonts",
    "~/.fonts",
)


class FontMissing(ImproperlyConfigured):
    pass


def _search_dirs() -> list[Path]:
    dirs = [*getattr(settings, "PDF_FONT_DIRS", []), *SYSTEM_DIRS]
    return [Path(d).expanduser() for d in dirs]


def find_font(face: Face) -> Path:
    """The font file, wherever the system keeps it (Debian's layout has moved before)."""
    for root in _search_dirs():
        if not root.is_dir():
            continue
        direct = root / face.file
        if direct.is_file():
            return direct
        for found in sorted(root.rglob(face.file)):
            if found.is_file():
                return found
    raise FontMissing(
        f"The font {face.file} is not installed: PDFs need it to print every name. "
        f"Install the Debian package {face.package} (make fonts), or put the file in a "
        f"directory named in PDF_FONT_DIRS."
    )


def check_fonts(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A system check (`manage.py check`, `migrate`, `runserver`): a server without the fonts
    runs, but cannot print a certificate or a published list, so its operator is told at once."""
    warnings: list[checks.CheckMessage] = []
    for face in FACES:
        try:
            find_font(face)
        except FontMissing as missing:
            warnings.append(checks.Warning(str(missing), id="portcullis.W001"))
    return warnings


def pdf_response(request: HttpRequest, make: Callable[[], bytes], filename: str) -> HttpResponse:
    """The PDF `make` returns, as a download named `filename`; where the server lacks a font,
    a page that says so (503, the fault logged for the operator) instead of an error page."""
    try:
        body = make()
    except FontMissing:
        logger.exception("PDF %s not made: a font is missing on this server", filename)
        return render(request, "pdf_unavailable.html", status=503)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@cache
def register() -> None:
    """Register the faces with reportlab once per process."""
    for face in FACES:
        pdfmetrics.registerFont(TTFont(face.name, str(find_font(face))))
    for bold in (False, True):
        for italic in (False, True):
            addMapping(SANS.name, bold, italic, SANS_BOLD.name if bold else SANS.name)


def _has(face: Face, char: str) -> bool:
    font: Any = pdfmetrics.getFont(face.name)
    return ord(char) in font.face.charToGlyph


def runs(text: str, *, bold: bool = False) -> list[tuple[str, str]]:
    """`text` cut into (font name, piece): each piece in the first face that has its glyphs.
    Spaces and characters no face has stay in the main face."""
    register()
    main = SANS_BOLD if bold else SANS
    pieces: list[tuple[str, str]] = []
    for char in text:
        face = CJK if not _has(main, char) and _has(CJK, char) else main
        if pieces and pieces[-1][0] == face.name:
            pieces[-1] = (face.name, pieces[-1][1] + char)
        else:
            pieces.append((face.name, char))
    return pieces


def width(text: str, size: float, *, bold: bool = False) -> float:
    return sum(pdfmetrics.stringWidth(piece, font, size) for font, piece in runs(text, bold=bold))


def draw(canvas: Any, x: float, y: float, text: str, size: float, *, bold: bool = False) -> None:
    """Draw `text` starting at (x, y), switching faces where the script needs it."""
    for font, piece in runs(text, bold=bold):
        canvas.setFont(font, size)
        canvas.drawString(x, y, piece)
        x += pdfmetrics.stringWidth(piece, font, size)


def draw_centred(
    canvas: Any, x: float, y: float, text: str, size: float, *, bold: bool = False
) -> None:
    draw(canvas, x - width(text, size, bold=bold) / 2, y, text, size, bold=bold)


def markup(text: str, *, bold: bool = False) -> str:
    """`text` as reportlab Paragraph markup (a small XML dialect, so names must not be taken as
    markup): escaped, with <font> runs for the scripts the main face lacks."""
    main = SANS_BOLD if bold else SANS
    out = []
    for font, piece in runs(text, bold=bold):
        escaped = piece.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        out.append(escaped if font == main.name else f'<font face="{font}">{escaped}</font>')
    return "".join(out)
