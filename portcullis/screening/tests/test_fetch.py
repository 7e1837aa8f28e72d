"""Scheduled list fetches against a real HTTP server on loopback."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from portcullis.ledger.actors import WORKER
from portcullis.ledger.models import LedgerEntry
from portcullis.screening.fetch import FetchError, download, fetch_due, fetch_source
from portcullis.screening.imports import source_for
from portcullis.screening.models import ListSource
from portcullis.test import BaseTestCase

from .test_uk_sanctions_list import BANK, PUTIN, SHIP, listing


class Publisher(BaseHTTPRequestHandler):
    """Serves `files[path]` with an ETag; answers 304 to a matching If-None-Match."""

    files: dict[str, bytes] = {}
    requests: list[dict[str, str]] = []
    slow_finished = False

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        Publisher.requests.append({"path": self.path, **dict(self.headers.items())})
        if self.path == "/slow.xml":
            self.send_response(200)
            self.end_headers()
            try:
                for _ in range(40):
                    self.wfile.write(b"<Designations>" * 10)
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:  # the client hung up
                return
            Publisher.slow_finished = True
            return
        if self.path == "/endless.xml":  # no Content-Length, more bytes than allowed
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"x" * 5000)
            return
        if self.path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
            return
        body = self.files.get(self.path)
        if body is None:
            self.send_error(404)
            return
        etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return None


@pytest.fixture
def publisher() -> Iterator[str]:
    Publisher.files = {}
    Publisher.requests = []
    Publisher.slow_finished = False
    server = ThreadingHTTPServer(("127.0.0.1", 0), Publisher)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def uk_source(url: str) -> ListSource:
    source = source_for(kind="uk-sanctions-list", name=None, actor=WORKER)
    source.download_url = url
    source.save()
    return source


@pytest.mark.django_db
def test_a_changed_file_imports_and_an_unchanged_one_is_a_conditional_get(publisher):
    Publisher.files["/uksl.xml"] = listing(PUTIN)
    source = uk_source(f"{publisher}/uksl.xml")

    first = fetch_source(source=source, actor=WORKER)
    assert first.status == ListSource.FetchStatus.IMPORTED
    source.refresh_from_db()
    assert source.current_version.number == 1
    assert source.fetch_etag

    again = fetch_source(source=source, actor=WORKER)
    assert again.status == ListSource.FetchStatus.UNCHANGED
    assert Publisher.requests[-1]["If-None-Match"] == source.fetch_etag
    assert source.versions.count() == 1

    Publisher.files["/uksl.xml"] = listing(PUTIN, BANK)
    changed = fetch_source(source=source, actor=WORKER)
    assert changed.status == ListSource.FetchStatus.IMPORTED
    assert "1 added" in changed.message
    source.refresh_from_db()
    assert source.current_version.number == 2
    outcomes = LedgerEntry.objects.filter(action="list_source.fetch").values_list("data", flat=True)
    assert [o["outcome"] for o in outcomes] == ["imported", "unchanged", "imported"]


@pytest.mark.django_db
def test_a_publisher_that_ignores_conditional_get_still_makes_no_new_version(publisher):
    Publisher.files["/uksl.xml"] = listing(PUTIN)
    source = uk_source(f"{publisher}/uksl.xml")
    fetch_source(source=source, actor=WORKER)
    ListSource.objects.filter(pk=source.pk).update(fetch_etag="")  # as if no validator came
    outcome = fetch_source(source=source, actor=WORKER)
    assert outcome.status == ListSource.FetchStatus.UNCHANGED
    assert "Identical to version 1" in outcome.message
    assert source.versions.count() == 1


@pytest.mark.django_db
def test_a_broken_file_is_rejected_and_the_version_in_force_stays(publisher):
    Publisher.files["/uksl.xml"] = listing(PUTIN)
    source = uk_source(f"{publisher}/uksl.xml")
    fetch_source(source=source, actor=WORKER)
    Publisher.files["/uksl.xml"] = listing(PUTIN, SHIP)[:-50]
    outcome = fetch_source(source=source, actor=WORKER)
    assert outcome.status == ListSource.FetchStatus.REJECTED
    assert "malformed XML" in outcome.message
    source.refresh_from_db()
    assert source.current_version.number == 1
    assert source.last_fetch_status == "rejected"


def test_too_large_files_are_refused_by_declared_length_and_by_what_arrives(publisher):
    Publisher.files["/uksl.xml"] = listing(PUTIN)
    with pytest.raises(FetchError, match="over the 100-byte limit"):
        download(f"{publisher}/uksl.xml", max_bytes=100, timeout=5)
    with pytest.raises(FetchError, match="over the 1000-byte limit"):
        download(f"{publisher}/endless.xml", max_bytes=1000, timeout=5)


def test_a_slow_download_is_cut_off_by_the_deadline_not_only_per_read(publisher):
    with pytest.raises(FetchError, match="longer than 1 seconds"):
        download(f"{publisher}/slow.xml", max_bytes=10**6, timeout=1)
    assert not Publisher.slow_finished  # given up while the server was still trickling bytes


def test_only_web_addresses_are_fetched_even_after_a_redirect(publisher):
    with pytest.raises(FetchError, match="starts with https://"):
        download("file:///etc/passwd", max_bytes=10**6, timeout=5)
    with pytest.raises(FetchError, match="file:///etc/passwd' is not allowed"):
        download(f"{publisher}/to-file", max_bytes=10**6, timeout=5)
    with pytest.raises(FetchError, match="answered 404"):
        download(f"{publisher}/missing.xml", max_bytes=10**6, timeout=5)


@pytest.mark.django_db
@override_settings(PORTCULLIS_LIST_FETCH_TIMEOUT=1)
def test_the_schedule_fetches_only_sources_that_are_due(publisher):
    Publisher.files["/uksl.xml"] = listing(PUTIN)
    uk_source(f"{publisher}/uksl.xml")
    unreachable = source_for(kind="un-sc", name=None, actor=WORKER)
    unreachable.download_url = f"{publisher}/slow.xml"
    unreachable.save()

    assert fetch_due(actor=WORKER) == 2
    unreachable.refresh_from_db()
    assert unreachable.last_fetch_status == ListSource.FetchStatus.FAILED
    assert fetch_due(actor=WORKER) == 0  # both fetched within the last 24 hours
    assert fetch_due(actor=WORKER, now=timezone.now() + timedelta(hours=25)) == 2


class DownloadAddressPageTests(BaseTestCase):
    def test_the_security_team_sets_an_address_and_a_party_officer_cannot(self):
        source = source_for(kind="uk-sanctions-list", name=None, actor=WORKER)
        url = reverse("screening:list-download", args=[source.public_id])
        client = self.client_for(self.security)

        response = client.post(url, {"download_url": "not an address"}, follow=True)
        self.assertContains(response, "Enter the download address as a full web address")
        response = client.post(url, {"download_url": "https://example.org/UK_Sanctions_List.xml"})
        source.refresh_from_db()
        self.assertEqual(source.download_url, "https://example.org/UK_Sanctions_List.xml")
        page = client.get(reverse("screening:list-detail", args=[source.public_id]))
        self.assertContains(page, "Fetch from the publisher")
        self.assertTrue(LedgerEntry.objects.filter(action="list_source.set_download").exists())

        officer = self.client_for(self.party_officer)
        refused = officer.post(url, {"download_url": "https://evil.example/list.xml"})
        self.assertIn(refused.status_code, (403, 404))
        source.refresh_from_db()
        self.assertEqual(source.download_url, "https://example.org/UK_Sanctions_List.xml")
