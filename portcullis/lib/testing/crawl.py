"""Walk the site as one signed-in person: every link on every page, through Django's test client.

A page is followed (its own links collected) for the first few addresses of each *shape* (the path
with its ids and query values blanked), so a ledger of ten thousand entries costs a few pages, not
ten thousand; every link found is still requested and its status kept.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import cast
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.http import StreamingHttpResponse
from django.test import Client

# Not walked: signing out ends the walk; static files are whitenoise's; /l/ are simulation links
# (a visit would be recorded as a click); the Django admin is Django's own.
SKIP_PREFIXES = ("/sign-out/", "/static/", "/l/", "/admin/")
PAGES_PER_SHAPE = 3
_ID = re.compile(r"/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/|/\d+/")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def shape(url: str) -> str:
    parts = urlsplit(url)
    path = _ID.sub("/*/", _ID.sub("/*/", parts.path))
    return path + "?" + "&".join(sorted({key for key, _ in parse_qsl(parts.query)}))


def internal_links(html: str, base: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        parts = urlsplit(urljoin(base, href))
        if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
            continue
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        if not url.startswith(SKIP_PREFIXES):
            found.append(url)
    return found


@dataclass
class Walk:
    status: dict[str, int] = field(default_factory=dict)
    found_on: dict[str, str] = field(default_factory=dict)
    pages: list[str] = field(default_factory=list)  # HTML pages followed, in visiting order

    def broken(self) -> list[str]:
        return [
            f"{url} ({code}), linked from {self.found_on.get(url, 'the start')}"
            for url, code in self.status.items()
            if code == 404 or code >= 500
        ]


def walk(client: Client, start: str = "/", per_shape: int = PAGES_PER_SHAPE) -> Walk:
    result, shapes, queue = Walk(), Counter[str](), [start]
    while queue:
        url = queue.pop(0)
        if url in result.status:
            continue
        response = client.get(url)
        result.status[url] = response.status_code
        html = response.status_code == 200 and "text/html" in response.get("Content-Type", "")
        shapes[shape(url)] += 1
        if not html or shapes[shape(url)] > per_shape:
            # A file (certificate, download) is read to its end so the test client closes it
            # itself. Calling close() here would send request_finished with Django's
            # close_old_connections listening, closing the database connection mid-test
            # (on PostgreSQL, once the connection is older than CONN_MAX_AGE).
            if response.streaming:
                content = cast(StreamingHttpResponse, response).streaming_content
                for _ in cast(Iterator[bytes], content):  # the test client's are synchronous
                    pass
            continue
        result.pages.append(url)
        for link in internal_links(response.content.decode(), url):
            if link not in result.status:
                result.found_on.setdefault(link, url)
                queue.append(link)
    return result


@dataclass
class PageForm:
    action: str
    hidden: dict[str, str]
    fields: list[str]  # names of the fields a person fills in


class _Forms(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base
        self.forms: list[PageForm] = []
        self._open: PageForm | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._open = PageForm(urljoin(self.base, a.get("action") or self.base), {}, [])
        elif self._open is not None and tag in ("input", "select", "textarea") and a.get("name"):
            kind = a.get("type", "text").lower() if tag == "input" else tag
            if kind == "hidden":
                self._open.hidden[a["name"]] = a.get("value", "")
            elif kind not in ("submit", "button", "image", "reset"):
                self._open.fields.append(a["name"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._open is not None:
            self.forms.append(self._open)
            self._open = None


def post_forms(html: str, base: str) -> list[PageForm]:
    """The POST forms on a page that have something to fill in (not bare action buttons)."""
    parser = _Forms(base)
    parser.feed(html)
    return [form for form in parser.forms if form.fields]
