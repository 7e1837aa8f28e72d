"""Issue 10 finding 12: certificates and disclosure lists printed non-Latin-1 names as boxes (the
base-14 Helvetica, never embedded). The attack: people whose names are Welsh, Polish and Chinese
download their PDFs; a text extractor must read every name back exactly, from embedded fonts."""

from __future__ import annotations

import io
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

from django.core import checks
from django.test import SimpleTestCase
from pypdf import PdfReader

from portcullis.ledger.actors import WORKER
from portcullis.lib import pdffonts
from portcullis.test import BaseTestCase
from portcullis.training import disclosure as steps
from portcullis.training import documents, services
from portcullis.training.services import sync_all_assignments

from .builders import make_course, make_requirement, set_started

NAMES = ["Siân Ŵyn", "Łukasz Żółć", "王秀英"]
OFFICE = "Swyddfa Tŷ’r Cyffredin"  # Welsh ŷ in an office name
START = date(2026, 1, 5)
DRAFT_DAY = START + timedelta(days=61)  # due in 30 days, 30 days' grace


def text_and_fonts(pdf: bytes) -> tuple[list[str], list[dict[str, Any]]]:
    """The PDF's lines of text as an extractor reads them, and every font it uses."""
    reader = PdfReader(io.BytesIO(pdf))
    lines = [line.strip() for page in reader.pages for line in page.extract_text().splitlines()]
    fonts = [
        font.get_object()
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()  # type: ignore[index, union-attr]
    ]
    return lines, fonts


class PdfScriptTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.people = [cls.member, cls.staffer, cls.outsider]
        for user, name in zip(cls.people, NAMES, strict=True):
            user.person.full_name = name
            user.person.save(update_fields=["full_name"])
        cls.office_b.name = OFFICE
        cls.office_b.save(update_fields=["name"])
        cls.course = make_course()

    def assert_embedded(self, fonts: list[dict[str, Any]]) -> None:
        self.assertTrue(fonts)
        for font in fonts:
            with self.subTest(font=font["/BaseFont"]):
                self.assertEqual(font["/Subtype"], "/TrueType")  # not a base-14 Type1 font
                self.assertIn("/FontFile2", font["/FontDescriptor"])  # the glyphs are in the file
                self.assertIn("/ToUnicode", font)  # and can be read back as text

    def test_each_persons_certificate_prints_their_name(self) -> None:
        for user, name in zip(self.people, NAMES, strict=True):
            with self.subTest(name=name):
                completion = services._complete(
                    person=user.person, course=self.course, version=1, on=START, actor=WORKER
                )
                response = self.client_for(user).get(
                    f"/training/certificates/{completion.public_id}/"
                )
                self.assertEqual(response["Content-Type"], "application/pdf")
                lines, fonts = text_and_fonts(response.content)
                self.assertIn(name, lines)
                self.assert_embedded(fonts)

    def test_the_disclosure_list_prints_every_name_and_office(self) -> None:
        make_requirement(self.course, due_within_days=30, grace_days=30)
        for user in self.people:
            set_started(user.person, START)
        sync_all_assignments(actor=WORKER, today=START)
        disclosure = steps.draft_disclosure_list(actor=self.security, today=DRAFT_DAY)
        lines, fonts = text_and_fonts(documents.disclosure_pdf(disclosure))
        for name in NAMES:
            self.assertIn(name, lines)
        self.assertIn(OFFICE, lines)
        self.assert_embedded(fonts)


class FontFindingTests(SimpleTestCase):
    def test_a_font_in_a_configured_directory_is_found_first(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            nested = Path(directory, "some", "layout")
            nested.mkdir(parents=True)
            copy = nested / pdffonts.SANS.file
            copy.write_bytes(pdffonts.find_font(pdffonts.SANS).read_bytes())
            with self.settings(PDF_FONT_DIRS=[directory]):
                self.assertEqual(pdffonts.find_font(pdffonts.SANS), copy)

    def test_a_missing_font_names_the_package_to_install(self) -> None:
        absent = pdffonts.Face("Absent", "NoSuchFont.ttf", "fonts-no-such")
        with self.assertRaisesMessage(
            pdffonts.FontMissing, "Install the Debian package fonts-no-such"
        ):
            pdffonts.find_font(absent)


class ServerWithoutFontsTests(BaseTestCase):
    """A server set up without `make fonts`: the operator is told by the system check, and a
    person who asks for a certificate reads why there is none, not an error page."""

    def setUp(self) -> None:
        super().setUp()
        empty = self.enterContext(tempfile.TemporaryDirectory())
        self.enterContext(self.settings(PDF_FONT_DIRS=[empty]))
        self.enterContext(mock.patch.object(pdffonts, "SYSTEM_DIRS", ()))
        pdffonts.register.cache_clear()
        self.addCleanup(pdffonts.register.cache_clear)

    def test_the_system_check_names_each_missing_font_and_its_package(self) -> None:
        warnings = checks.run_checks()
        found = [w.msg for w in warnings if w.id == "portcullis.W001"]
        self.assertEqual(len(found), len(pdffonts.FACES))
        self.assertTrue(any("fonts-dejavu-core" in m for m in found), found)
        self.assertTrue(any("fonts-droid-fallback" in m for m in found), found)

    def test_a_certificate_asked_for_says_why_it_cannot_be_printed(self) -> None:
        course = make_course()
        completion = services._complete(
            person=self.staffer.person, course=course, version=1, on=START, actor=WORKER
        )
        with self.assertLogs("portcullis.lib.pdffonts", "ERROR"):
            response = self.client_for(self.staffer).get(
                f"/training/certificates/{completion.public_id}/"
            )
        self.assertEqual(response.status_code, 503)
        self.assertContains(response, "This document cannot be printed yet", status_code=503)
        self.assertNotIn("Content-Disposition", response)


class FontsInstalledTests(SimpleTestCase):
    def test_the_system_check_is_silent_where_the_fonts_are_installed(self) -> None:
        self.assertEqual(pdffonts.check_fonts(), [])
