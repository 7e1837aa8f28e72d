"""Small charts drawn on the server as SVG: bar (stacked when there are several series) and line,
each with its figures in a table beside it. The SVG is an image with a title and a description
(`role="img"`), uses no script and no inline style (the CSP holds), scales to the column it is in
(320 px too) and prints; the table is the chart for screen readers and for anyone who would
rather read the numbers. Colours are GOV.UK's, at least 3:1 against white; lines also differ by
dash and marker, so colour is never the only cue.

    chart = Chart(title=..., description=..., categories=("Jan 26", ...), series=(Series(...),))
    {% load charts %}{% chart chart %}
"""

from __future__ import annotations

import math
from calendar import monthrange
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from dateutil.relativedelta import relativedelta
from django.db import models
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#0b0c0c", "#d53880", "#505a5f", "#7f3700")
DASHES = ("", "8 4", "2 4", "12 4 2 4", "4 4", "1 3", "16 6", "6 2")
MARKERS = ("circle", "square", "diamond", "triangle")

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 44
FONT = 15
Scale = Callable[[Any], float]


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Chart:
    """`categories` label the x axis briefly ("Mar 26"); `rows` name them in the table ("March
    2026"). `key` makes the ids unique on a page with several charts."""

    key: str
    title: str
    description: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    kind: Literal["bar", "line"] = "line"
    unit: str = ""
    maximum: float | None = None
    category_heading: str = "Month"
    rows: tuple[str, ...] = ()
    notes: str = ""

    @property
    def row_labels(self) -> tuple[str, ...]:
        return self.rows or self.categories

    @property
    def table_rows(self) -> list[tuple[str, list[str]]]:
        return [
            (label, [self.format(s.values[i]) for s in self.series])
            for i, label in enumerate(self.row_labels)
        ]

    @property
    def legend(self) -> list[tuple[str, str, str]]:
        return [
            (s.label, COLOURS[i % len(COLOURS)], DASHES[i % len(DASHES)])
            for i, s in enumerate(self.series)
        ]

    def format(self, value: float | None) -> str:
        return self.format_value(value, self.unit)

    @staticmethod
    def format_value(value: float | None, unit: str = "") -> str:
        if value is None:
            return "–"
        number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
        return f"{number}{unit}"

    @property
    def is_empty(self) -> bool:
        return not any(v for s in self.series for v in s.values)


def nice_ceiling(value: float) -> float:
    """The next 1, 2 or 5 × 10ⁿ at or above `value` (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return float(step * power)
    return float(10 * power)


def _ticks(top: float) -> list[float]:
    return [top * i / 4 for i in range(5)]


def svg(chart: Chart) -> SafeString:
    """The chart as an inline SVG image."""
    title_id, desc_id = f"{chart.key}-title", f"{chart.key}-desc"
    if chart.kind == "bar":
        totals = [sum(s.values[i] or 0 for s in chart.series) for i in range(len(chart.categories))]
        peak = max(totals, default=0)
    else:
        peak = max((v for s in chart.series for v in s.values if v is not None), default=0)
    top = chart.maximum if chart.maximum is not None else nice_ceiling(peak)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = max(len(chart.categories), 1)
    step = plot_w / count

    def y(value: float) -> float:
        return TOP + plot_h - (plot_h * min(value, top) / top if top else 0)

    def x(index: int) -> float:
        return LEFT + step * index + step / 2

    parts: list[str] = []
    for tick in _ticks(top):
        ty = y(tick)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" '
            f'stroke="#b1b4b6" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{ty + FONT / 3:.1f}" text-anchor="end" '
            f'font-size="{FONT}" fill="#0b0c0c">{escape(chart.format(tick))}</text>'
        )
    # Every label when they fit; otherwise every second or third, the latest always shown.
    every = max(1, math.ceil(count * 6 * FONT * 0.6 / plot_w))
    for i, label in enumerate(chart.categories):
        if (count - 1 - i) % every == 0:
            parts.append(
                f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + FONT + 8}" text-anchor="middle" '
                f'font-size="{FONT}" fill="#0b0c0c">{escape(label)}</text>'
            )
    if chart.kind == "bar":
        parts += _bars(chart, x, y, step)
    else:
        parts += _lines(chart, x, y)
    parts.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" '
        f'stroke="#0b0c0c" stroke-width="2"/>'
    )
    body = "".join(parts)
    return format_html(
        '<svg class="pc-chart__svg" viewBox="0 0 {} {}" role="img" aria-labelledby="{} {}" '
        'xmlns="http://www.w3.org/2000/svg" font-family="arial, sans-serif">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>{}</svg>',
        WIDTH,
        HEIGHT,
        title_id,
        desc_id,
        title_id,
        chart.title,
        desc_id,
        chart.description,
        mark_safe(body),  # noqa: S308 (built above from numbers and escaped labels)
    )


def _bars(chart: Chart, x: Scale, y: Scale, step: float) -> list[str]:
    width = max(step * 0.6, 2)
    parts = []
    for i in range(len(chart.categories)):
        base = 0.0
        for n, series in enumerate(chart.series):
            value = series.values[i] or 0
            if value <= 0:
                continue
            top, bottom = y(base + value), y(base)
            parts.append(
                f'<rect x="{x(i) - width / 2:.1f}" y="{top:.1f}" width="{width:.1f}" '
                f'height="{max(bottom - top, 0.5):.1f}" fill="{COLOURS[n % len(COLOURS)]}" '
                f'stroke="#ffffff" stroke-width="1"/>'
            )
            base += value
    return parts


def _marker(shape: str, cx: float, cy: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{cx - 4:.1f}" y="{cy - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if shape == "diamond":
        corners = ((cx, cy - 5), (cx + 5, cy), (cx, cy + 5), (cx - 5, cy))
        points = " ".join(f"{px:.1f},{py:.1f}" for px, py in corners)
        return f'<polygon points="{points}" fill="{colour}"/>'
    if shape == "triangle":
        points = f"{cx:.1f},{cy - 5:.1f} {cx + 5:.1f},{cy + 4:.1f} {cx - 5:.1f},{cy + 4:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="{colour}"/>'


def _lines(chart: Chart, x: Scale, y: Scale) -> list[str]:
    parts = []
    for n, series in enumerate(chart.series):
        colour, dash = COLOURS[n % len(COLOURS)], DASHES[n % len(DASHES)]
        runs: list[list[tuple[float, float]]] = [[]]
        for i, value in enumerate(series.values):
            if value is None:
                runs.append([])
                continue
            runs[-1].append((x(i), y(value)))
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{px:.1f},{py:.1f}" for px, py in run)
                dashing = f' stroke-dasharray="{dash}"' if dash else ""
                parts.append(
                    f'<polyline points="{points}" fill="none" stroke="{colour}" '
                    f'stroke-width="3"{dashing}/>'
                )
            for px, py in run:
                parts.append(_marker(MARKERS[n % len(MARKERS)], px, py, colour))
    return parts


def month_ends(today: date, months: int = 12) -> list[date]:
    """The last day of each of the last `months` months, oldest first; this month ends today."""
    ends = []
    for back in range(months - 1, -1, -1):
        month = today - relativedelta(months=back)
        ends.append(min(month.replace(day=monthrange(month.year, month.month)[1]), today))
    return ends


def monthly_counts(
    rows: QuerySet[Any], *, when: str, by: str, today: date, months: int = 12
) -> tuple[list[date], dict[Any, list[int]]]:
    """Rows per month and per value of `by` over the last `months` months, counted by the
    database in one query (`when` is a date or date-time field)."""
    ends = month_ends(today, months)
    start = ends[0].replace(day=1)
    lookup = f"{when}__date__gte" if _is_datetime(rows, when) else f"{when}__gte"
    counted = (
        rows.filter(**{lookup: start})
        .annotate(pc_month=TruncMonth(when))
        .order_by()
        .values("pc_month", by)
        .annotate(pc_n=Count("pk"))
    )
    index = {(d.year, d.month): i for i, d in enumerate(ends)}
    found: dict[Any, list[int]] = {}
    for row in counted:
        month = row["pc_month"]
        i = index.get((month.year, month.month))
        if i is not None:
            found.setdefault(row[by], [0] * len(ends))[i] += row["pc_n"]
    return ends, found


def _is_datetime(rows: QuerySet[Any], name: str) -> bool:
    return isinstance(rows.model._meta.get_field(name), models.DateTimeField)


def latest_description(series: Sequence[Series], rows: Sequence[str], unit: str = "") -> str:
    """ "In December 2026: A 81%, B 70% (in January 2026: A 64%, B 70%)." for a chart's desc."""

    def at(i: int) -> str:
        values = [
            f"{s.label} {Chart.format_value(s.values[i], unit)}"
            for s in series
            if s.values[i] is not None
        ]
        return f"in {rows[i]}: " + ", ".join(values) if values else ""

    if not rows:
        return ""
    latest, first = at(len(rows) - 1), at(0)
    text = latest or "No figures for the latest month"
    if first and len(rows) > 1:
        text += f" ({first})"
    return text[:1].upper() + text[1:] + "."


def month_labels(ends: Sequence[date]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Short axis labels ("Mar 26") and table labels ("March 2026") for month-end dates."""
    return (
        tuple(format(d, "%b %y") for d in ends),
        tuple(format(d, "%B %Y") for d in ends),
    )


def monthly_chart(
    *,
    key: str,
    title: str,
    ends: Sequence[date],
    counts: dict[Any, list[int]],
    labels: Sequence[tuple[Any, str]],
    kind: Literal["bar", "line"] = "bar",
    notes: str = "",
) -> Chart:
    """A chart of `monthly_counts`: one series per (value, label) in `labels`, in that order
    (values with no rows count zero; values not in `labels` are left out)."""
    short, long = month_labels(ends)
    series = tuple(
        Series(label, tuple(float(n) for n in counts.get(value, [0] * len(ends))))
        for value, label in labels
    )
    totals = [sum(int(s.values[i] or 0) for s in series) for i in range(len(ends))]
    description = latest_description(series, long)
    if ends:
        description = f"{sum(totals):,} in {len(ends)} months. {description}"
    return Chart(
        key=key,
        title=title,
        description=description,
        categories=short,
        rows=long,
        series=series,
        kind=kind,
        notes=notes,
    )


@dataclass(frozen=True)
class Graph:
    """Two columns of nodes (say reports and what they share) and the links between them, drawn
    as an SVG image; the page lists the same links in a table beside it."""

    key: str
    title: str
    description: str
    left: tuple[tuple[str, str], ...]  # (id, label)
    right: tuple[tuple[str, str], ...]
    edges: tuple[tuple[str, str], ...]  # (left id, right id)
    left_heading: str = ""
    right_heading: str = ""


def _fit(label: str, room: int = 26) -> str:
    return label if len(label) <= room else label[: room - 1] + "…"


def graph_svg(graph: Graph) -> SafeString:
    row = 34
    rows = max(len(graph.left), len(graph.right), 1)
    height = TOP + FONT * 2 + rows * row + 10
    lx, rx = 230.0, WIDTH - 230.0
    heading_y = TOP + FONT
    ly = {node: TOP + FONT * 2 + row * i + row / 2 for i, (node, _) in enumerate(graph.left)}
    ry = {node: TOP + FONT * 2 + row * i + row / 2 for i, (node, _) in enumerate(graph.right)}
    parts = [
        f'<text x="{lx:.0f}" y="{heading_y}" text-anchor="end" font-size="{FONT}" '
        f'font-weight="700" fill="#0b0c0c">{escape(graph.left_heading)}</text>',
        f'<text x="{rx:.0f}" y="{heading_y}" font-size="{FONT}" font-weight="700" '
        f'fill="#0b0c0c">{escape(graph.right_heading)}</text>',
    ]
    for a, b in graph.edges:
        if a in ly and b in ry:
            parts.append(
                f'<line x1="{lx + 8:.0f}" y1="{ly[a]:.1f}" x2="{rx - 8:.0f}" y2="{ry[b]:.1f}" '
                f'stroke="#1d70b8" stroke-width="2"/>'
            )
    for node, label in graph.left:
        y = ly[node]
        parts.append(
            f'<circle cx="{lx + 8:.0f}" cy="{y:.1f}" r="6" fill="#0b0c0c"/>'
            f'<text x="{lx - 4:.0f}" y="{y + FONT / 3:.1f}" text-anchor="end" '
            f'font-size="{FONT}" fill="#0b0c0c">{escape(_fit(label))}</text>'
        )
    for node, label in graph.right:
        y = ry[node]
        parts.append(
            f'<rect x="{rx - 14:.0f}" y="{y - 6:.1f}" width="12" height="12" fill="#d4351c"/>'
            f'<text x="{rx + 4:.0f}" y="{y + FONT / 3:.1f}" font-size="{FONT}" '
            f'fill="#0b0c0c">{escape(_fit(label))}</text>'
        )
    title_id, desc_id = f"{graph.key}-title", f"{graph.key}-desc"
    return format_html(
        '<svg class="pc-chart__svg" viewBox="0 0 {} {}" role="img" aria-labelledby="{} {}" '
        'xmlns="http://www.w3.org/2000/svg" font-family="arial, sans-serif">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>{}</svg>',
        WIDTH,
        height,
        title_id,
        desc_id,
        title_id,
        graph.title,
        desc_id,
        graph.description,
        mark_safe("".join(parts)),  # noqa: S308 (built above from numbers and escaped labels)
    )
