"""Work queues: free-text search, sortable columns and CSV export, shared by every queue page.

A queue page declares its columns once (`Queue`); the page, its sort links and its export all
read that declaration, so a column cannot be sortable on screen and missing from the export.
Everything a URL can say is bounded here: the search is cut to a few words of plain text and the
sort key must be one the queue declared (anything else falls back to the default order).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Lower
from django.db.models.query import ModelIterable
from django.http import HttpRequest, QueryDict, StreamingHttpResponse
from django.urls import reverse

from .csvsafe import escape_formula
from .safetext import clean_text

MAX_SEARCH_CHARS = 100
MAX_SEARCH_WORDS = 6
EXPORT_CHUNK = 2000
MAX_QUERY_CHARS = 1000
COUNT_CAP = 10_000
PER_PAGE = 50


# Every queue by name, for the pages that serve all of them (saved filters).
QUEUES: dict[str, Queue] = {}


@dataclass(frozen=True)
class Column:
    """One column: its heading, how to sort by it (None: not sortable) and its export cell."""

    key: str
    label: str
    order_by: tuple[str, ...] = ()
    cell: Callable[[Any], object] | None = None
    shown: bool = True  # False: in the export only (the page shows it inside another column)

    @property
    def sortable(self) -> bool:
        return bool(self.order_by)


@dataclass(frozen=True)
class Queue:
    name: str
    url_name: str
    columns: tuple[Column, ...]
    default_sort: str
    search_fields: tuple[str, ...] = ()
    # A lower-cased column holding all the searchable words (a `GeneratedField`, trigram-indexed
    # on PostgreSQL): searched instead of `search_fields`, one LIKE per word.
    search_column: str = ""
    # The request parameters that are the queue's filters (kept when a filter is saved).
    filter_keys: tuple[str, ...] = ()
    # The row's stable tie-breaker, so that pages never repeat or skip a row.
    tie_breaker: str = "pk"
    _by_key: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {c.key: c for c in self.columns})
        if QUEUES.setdefault(self.name, self) is not self:
            raise ValueError(f"two queues are named {self.name!r}")
        if self.default_sort.lstrip("-") not in self._by_key:
            raise ValueError(f"default sort {self.default_sort!r} is not a column")

    def sort_key(self, requested: str | None) -> str:
        """The sort the request asked for if the queue has it, otherwise the default."""
        key = (requested or "").strip()
        column = self._by_key.get(key.lstrip("-"))
        return key if column is not None and column.sortable else self.default_sort

    def ordered(self, qs: QuerySet[Any], sort: str) -> QuerySet[Any]:
        descending = sort.startswith("-")
        column = self._by_key[sort.lstrip("-")]
        fields = [f"-{f}" if descending else f for f in column.order_by]
        tie = f"-{self.tie_breaker}" if descending else self.tie_breaker
        return qs.order_by(*fields, tie)

    def searched(self, qs: QuerySet[Any], text: str) -> QuerySet[Any]:
        """Every word must appear in one of the search fields (case-insensitive)."""
        for word in search_words(text):
            if self.search_column:
                # Lowered by the database, as the column was, so both sides fold case alike.
                qs = qs.filter(**{f"{self.search_column}__contains": Lower(Value(word))})
                continue
            condition = Q()
            for name in self.search_fields:
                condition |= Q(**{f"{name}__icontains": word})
            qs = qs.filter(condition)
        return qs

    def headings(self, request: HttpRequest, sort: str) -> list[dict[str, Any]]:
        """Each column's heading, with a link that sorts by it and its `aria-sort` state."""
        current, descending = sort.lstrip("-"), sort.startswith("-")
        out = []
        for column in self.columns:
            if not column.shown:
                continue
            heading: dict[str, Any] = {"label": column.label, "key": column.key}
            if column.sortable:
                active = column.key == current
                flip = column.key if active and descending else f"-{column.key}"
                query = request.GET.copy()
                query["sort"] = flip
                query.pop("page", None)
                heading["href"] = "?" + query.urlencode()
                heading["aria_sort"] = (
                    ("descending" if descending else "ascending") if active else "none"
                )
            out.append(heading)
        return out

    def kept_query(self, params: QueryDict) -> str:
        """The filters, search and sort of a request, without anything else it carried."""
        kept = QueryDict(mutable=True)
        for key in (*self.filter_keys, "q", "sort"):
            values = [clean_text(v)[:MAX_SEARCH_CHARS] for v in params.getlist(key) if v]
            if values:
                kept.setlist(key, values[:20])
        return kept.urlencode()[:MAX_QUERY_CHARS]

    def url(self, query: str = "") -> str:
        """The queue's page, with a query kept by `kept_query` (bulk actions return here)."""
        return reverse(self.url_name) + (f"?{query}" if query else "")

    def back_from(self, request: HttpRequest) -> str:
        """Where a bulk action posted from the queue returns: its page with the filters it
        carried in its `back` field, and nothing else."""
        return self.url(self.kept_query(QueryDict(request.POST.get("back", "")[:2000])))

    def csv_response(self, rows: Iterable[Any], *, filename: str) -> StreamingHttpResponse:
        """The queue as CSV, streamed row by row; cells are made safe for spreadsheets."""
        columns = [c for c in self.columns if c.cell is not None]
        return csv_download(
            [c.label for c in columns],
            ([c.cell(row) for c in columns] for row in rows),  # type: ignore[misc]
            filename=filename,
        )


def csv_download(
    header: Sequence[str], rows: Iterable[Sequence[object]], *, filename: str
) -> StreamingHttpResponse:
    """Rows of cells as a CSV download, streamed row by row; every cell is made safe for
    spreadsheets (`csvsafe.escape_formula`). Queues and figure pages export through this."""
    response = StreamingHttpResponse(
        _csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class _Line:
    def write(self, value: str) -> str:
        return value


def _csv_lines(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow([escape_formula(h) for h in header])  # the mark: UTF-8
    for row in rows:
        yield writer.writerow([escape_formula(cell) for cell in row])


def search_words(text: str | None) -> list[str]:
    """A URL's search text as at most a few words of plain text."""
    cleaned = clean_text((text or "")[: MAX_SEARCH_CHARS * 2]).strip()[:MAX_SEARCH_CHARS]
    return cleaned.split()[:MAX_SEARCH_WORDS]


class CappedPaginator(Paginator):
    """Pages of a queue that counts at most `cap` rows: the first page of 100,000 reports
    needs no count of all of them. Past the cap the page says "more than" and asks for a
    narrower search; its pages stop at the cap.

    A page of model rows is read in two steps: the ids of its rows in the queue's order (only
    the sort columns are read, from an index where the queue has one), then those rows with
    everything the page shows. Sorting by a joined column (an office's name) then sorts narrow
    index entries, not 100,000 wide rows with their joins."""

    def __init__(self, object_list: Any, per_page: int = 0, cap: int = COUNT_CAP) -> None:
        super().__init__(object_list, per_page or PER_PAGE)
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        rows: Any = self.object_list
        return int(rows.order_by()[: self.cap + 1].count())

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self._counted > self.cap

    def page(self, number: Any) -> Page:
        page = super().page(number)
        rows: Any = self.object_list
        if isinstance(rows, QuerySet) and rows._iterable_class is ModelIterable:
            sliced: Any = page.object_list
            ids = list(sliced.values_list("pk", flat=True))
            found = {row.pk: row for row in rows.order_by().filter(pk__in=ids)}
            page.object_list = [found[pk] for pk in ids if pk in found]
        return page


@dataclass(frozen=True)
class CappedCount:
    """A figure counted no further than `cap` (a dashboard's 100,000 untriaged reports cost as
    much as 10,001): it reads "more than 10,000" past the cap."""

    counted: int
    cap: int = COUNT_CAP

    @classmethod
    def of(cls, rows: QuerySet[Any], cap: int = COUNT_CAP) -> CappedCount:
        return cls(int(rows.order_by()[: cap + 1].count()), cap)

    @property
    def capped(self) -> bool:
        return self.counted > self.cap

    def __bool__(self) -> bool:
        return self.counted > 0

    def __float__(self) -> float:  # for templates' `pluralize`
        return float(min(self.counted, self.cap))

    def __str__(self) -> str:
        return f"more than {self.cap:,}" if self.capped else str(self.counted)
