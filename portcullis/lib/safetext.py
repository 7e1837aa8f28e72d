"""Text fit to store and show: what arrives from outside (headers, form fields, URL parameters,
uploaded rows) loses the characters PostgreSQL or the templates cannot hold.

PostgreSQL refuses NUL in text and jsonb; lone surrogates cannot be encoded as UTF-8; the other
C0 controls (and DEL) have no business in a name, a subject or a query and break e-mails and
CSV. Tab, line feed and carriage return stay. This is the one cleaner; apply it at the edge.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, QueryDict

_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def has_unsafe(value: str) -> bool:
    return _UNSAFE.search(value) is not None


def clean_text(value: str) -> str:
    """`value` without NUL, other control characters (but tab and line breaks) or surrogates."""
    return _UNSAFE.sub("", value) if _UNSAFE.search(value) else value


def clean_data(value: Any) -> Any:
    """The same for every string in a JSON-like structure (dicts, lists, tuples, keys too)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_data(key): clean_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clean_data(item) for item in value]
    return value


def _clean_query(query: QueryDict) -> QueryDict:
    if not any(has_unsafe(k) or any(has_unsafe(v) for v in query.getlist(k)) for k in query):
        return query
    cleaned = QueryDict(mutable=True)
    for key in query:
        cleaned.setlist(clean_text(key), [clean_text(v) for v in query.getlist(key)])
    cleaned._mutable = False
    return cleaned


class SafeTextMiddleware:
    """The edge: a path holding such characters names nothing (404); URL parameters, form fields,
    cookies, request headers and uploaded file names lose them before any view or middleware
    reads them. (JSON bodies go through REST framework's fields, which refuse NUL themselves.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_unsafe(request.path_info) or has_unsafe(request.path):
            raise Http404("No page here.")
        for name, value in list(request.META.items()):
            if name.startswith("HTTP_") and isinstance(value, str) and has_unsafe(value):
                request.META[name] = clean_text(value)
        request.COOKIES = {clean_text(k): clean_text(v) for k, v in request.COOKIES.items()}
        request.GET = _clean_query(request.GET)  # type: ignore[assignment]
        if request.method == "POST":
            _clean_body_when_read(request)
        return self.get_response(request)


def _clean_body_when_read(request: HttpRequest) -> None:
    # The body is parsed lazily, on first use of POST or FILES, and a view may first add an
    # upload handler (approaches' evidence size guard), so it is cleaned then, not read here.
    load = request._load_post_and_files

    def load_and_clean() -> None:
        load()
        request._post = _clean_query(request._post)  # type: ignore[attr-defined]
        for upload in request._files.values():  # type: ignore[attr-defined]
            upload.name = clean_text(upload.name or "")

    request._load_post_and_files = load_and_clean  # type: ignore[method-assign]
