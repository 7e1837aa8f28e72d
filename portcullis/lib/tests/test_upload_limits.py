"""Uploads are cut off at their view's limit while they stream in, before the CSRF check or any
form reads them: a gigabyte sent to a 5 MB form costs the server 5 MB and one byte."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, SimpleTestCase
from django.urls import resolve

from portcullis.intel.stix import MAX_BUNDLE_BYTES
from portcullis.lib import uploads
from portcullis.lib.csvsafe import MAX_CSV_BYTES
from portcullis.phishing.models.reports import MAX_RAW_BYTES
from portcullis.screening.batch import MAX_BYTES as MAX_BATCH_BYTES
from portcullis.screening.forms import MAX_LIST_BYTES
from portcullis.test import BaseTestCase
from portcullis.training.authoring import MAX_IMAGE_BYTES

ID = "00000000-0000-4000-8000-000000000000"
MB = 1024 * 1024

# Every page or API endpoint that takes files, and the most one file may bring.
UPLOADING = {
    "/phishing/report/": MAX_RAW_BYTES,
    "/api/v1/phishing/reports/": MAX_RAW_BYTES,
    "/phishing/lures/new/": MAX_RAW_BYTES,
    f"/phishing/lures/{ID}/edit/": MAX_RAW_BYTES,
    "/approaches/report/": uploads.EVIDENCE_MAX_BYTES,
    f"/training/people/{ID}/briefings/": uploads.EVIDENCE_MAX_BYTES,
    f"/training/authoring/{ID}/sections/new/": MAX_IMAGE_BYTES,
    "/screening/batches/": MAX_BATCH_BYTES,
    f"/screening/lists/{ID}/import/": MAX_LIST_BYTES,
    "/intel/alerts/import/": MAX_BUNDLE_BYTES,
    "/people/import/": MAX_CSV_BYTES,
}


def received(path: str, size: int, field: str = "file") -> HttpRequest:
    """A POST of a `size`-byte file and a text field to `path`, through the middleware that
    applies the view's limit, with its body parsed the way the view would see it."""
    request = RequestFactory().post(
        path, {field: SimpleUploadedFile("big.bin", b"x" * size), "note": "kept"}
    )
    middleware = uploads.UploadLimitMiddleware(lambda r: HttpResponse())
    middleware.process_view(request, resolve(path).func, (), {})
    return request


class EveryUploadIsBoundedTests(SimpleTestCase):
    def test_each_view_that_takes_files_names_its_limit(self) -> None:
        for path, limit in UPLOADING.items():
            with self.subTest(path):
                request = received(path, 1)
                self.assertEqual(getattr(request, "upload_limit", None), limit)

    def test_a_file_far_over_the_limit_arrives_as_one_byte_over_it(self) -> None:
        for path in ("/intel/alerts/import/", "/people/import/", "/phishing/report/"):
            limit = UPLOADING[path]
            with self.subTest(path):
                request = received(path, limit + 7 * MB)
                upload = request.FILES["file"]
                self.assertEqual(upload.size, limit + 1)
                self.assertEqual(len(upload.read()), limit + 1)
                self.assertEqual(request.POST["note"], "kept")  # the rest of the form arrives

    def test_a_file_within_the_limit_arrives_whole(self) -> None:
        request = received("/intel/alerts/import/", MAX_BUNDLE_BYTES)
        self.assertEqual(request.FILES["file"].size, MAX_BUNDLE_BYTES)

    def test_a_view_that_names_no_limit_takes_the_default(self) -> None:
        request = RequestFactory().post(
            "/anywhere/", {"file": SimpleUploadedFile("big.bin", b"x" * (11 * MB))}
        )
        uploads.UploadLimitMiddleware(lambda r: HttpResponse()).process_view(
            request, lambda r: HttpResponse(), (), {}
        )
        self.assertEqual(request.FILES["file"].size, settings.UPLOAD_DEFAULT_MAX_BYTES + 1)

    def test_the_limit_is_set_before_the_csrf_check_reads_the_body(self) -> None:
        order = settings.MIDDLEWARE
        self.assertLess(
            order.index("portcullis.lib.uploads.UploadLimitMiddleware"),
            order.index("django.middleware.csrf.CsrfViewMiddleware"),
        )
        self.assertEqual(
            settings.FILE_UPLOAD_HANDLERS[0], "portcullis.lib.uploads.StreamLimitHandler"
        )


class OversizedUploadThroughTheSiteTests(BaseTestCase):
    def test_a_30_mb_report_is_refused_by_name_after_10_mb_and_one_byte(self) -> None:
        response = self.client_for(self.staffer).post(
            "/phishing/report/",
            {
                "message": SimpleUploadedFile(
                    "huge.eml", b"From: a@b.example\r\n" + b"x" * (30 * MB)
                )
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "larger than 10 MB")
