"""A picture in a course section: added by the security team with its alt text, read by Pillow
(not trusted from its name), shown in the preview and to learners, and served only to those who
may read the course."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portcullis.intel.tests.builders import media_in_tmp
from portcullis.ledger.models import LedgerEntry
from portcullis.test import BaseTestCase
from portcullis.training.models import Course, Module

from .builders import make_course


def picture(kind: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=kind)
    return buffer.getvalue()


@media_in_tmp()
class ModuleImageTests(BaseTestCase):
    def setUp(self) -> None:
        self.course = make_course("passes")
        self.course.is_published = False
        self.course.save()
        self.base = f"/training/authoring/{self.course.public_id}/sections/"

    def add(self, name: str, content: bytes, alt: str = "A red visitor pass", user=None):
        return self.client_for(user or self.security).post(
            self.base + "new/",
            {
                "title": "Your pass",
                "body": "Wear it where it can be seen.",
                "image": SimpleUploadedFile(name, content),
                "image_alt": alt,
            },
        )

    def image_url(self, module: Module) -> str:
        return f"/training/courses/{self.course.public_id}/sections/{module.order}/image/"

    def test_a_picture_is_shown_with_its_alt_text_in_the_preview_and_to_learners(self) -> None:
        for kind, name in (
            ("PNG", "pass.png"),
            ("JPEG", "pass.jpg"),
            ("GIF", "p.gif"),
            ("WEBP", "p.webp"),
        ):
            with self.subTest(kind=kind):
                answer = self.add(name, picture(kind))
                self.assertEqual(answer.status_code, 302)
        module = Module.objects.filter(course=self.course).first()
        self.assertEqual(module.image_alt, "A red visitor pass")
        self.assertNotIn("pass", module.image.name.rsplit("/", 1)[-1])  # a random stored name
        entry = LedgerEntry.objects.filter(action="module.create").order_by("pk").first()
        self.assertEqual(entry.data["image"], "pass.png")
        officer = self.client_for(self.security)
        preview = officer.get(f"/training/authoring/{self.course.public_id}/preview/")
        self.assertContains(preview, f'src="{self.image_url(module)}" alt="A red visitor pass"')
        served = officer.get(self.image_url(module))
        self.assertEqual(served["Content-Type"], "image/png")
        self.assertEqual(served["X-Content-Type-Options"], "nosniff")
        self.assertEqual(b"".join(served.streaming_content), picture("PNG"))
        Course.objects.filter(pk=self.course.pk).update(is_published=True)
        page = self.client_for(self.staffer).get(f"/training/courses/{self.course.public_id}/")
        self.assertContains(page, 'alt="A red visitor pass"')
        self.assertEqual(self.client_for(self.staffer).get(self.image_url(module)).status_code, 200)

    def test_the_alt_text_is_required_and_named(self) -> None:
        answer = self.add("pass.png", picture(), alt="   ")
        self.assertEqual(answer.status_code, 400)
        self.assertIn(
            "Enter the picture's alt text", " ".join(answer.context["form"].errors["image_alt"])
        )
        self.assertFalse(Module.objects.filter(course=self.course).exists())

    def test_attack_files_that_are_not_pictures_are_refused_on_the_image_field(self) -> None:
        refused = (
            ("pass.svg", b"<svg onload=alert(1)>", "must be PNG, JPEG, GIF or WebP"),
            ("pass.png", b"MZ\x90\x00" + b"\x00" * 60, "not really a PNG"),
            ("pass.png", b"\x89PNG\r\n\x1a\n<script>alert(1)</script>", "not a picture"),
            ("pass.png", picture("GIF"), "not really a PNG"),
            ("pass.webp", b"RIFF\x00\x00\x00\x00WAVEfmt ", "not a picture"),
            ("huge.png", picture("PNG", (5000, 10)), "more than 4000 pixels"),
            ("big.jpg", b"\xff\xd8\xff" + b"0" * (2 * 1024 * 1024), "larger than 2 MB"),
        )
        for name, content, words in refused:
            with self.subTest(name=name, words=words):
                answer = self.add(name, content)
                self.assertEqual(answer.status_code, 400)
                self.assertIn(words, " ".join(answer.context["form"].errors["image"]))
        self.assertFalse(Module.objects.filter(course=self.course).exists())

    def test_attack_a_person_who_may_not_read_the_course_gets_404_for_its_picture(self) -> None:
        self.add("pass.png", picture())
        module = Module.objects.get(course=self.course)
        url = self.image_url(module)
        for role in ("staffer", "manager", "admin"):
            with self.subTest(role=role):
                self.assertEqual(self.client_for(getattr(self, role)).get(url).status_code, 404)
        self.assertNotEqual(self.client.get(url).status_code, 200)
        self.assertEqual(self.client_for(self.staffer).get(url + "x").status_code, 404)

    def test_attack_other_roles_cannot_add_a_picture(self) -> None:
        for role in ("staffer", "manager", "admin"):
            with self.subTest(role=role):
                self.assertEqual(
                    self.add("p.png", picture(), user=getattr(self, role)).status_code, 403
                )
        self.assertFalse(Module.objects.filter(course=self.course).exists())

    def test_a_picture_is_replaced_or_removed_and_the_alt_text_goes_with_it(self) -> None:
        self.add("pass.png", picture())
        module = Module.objects.get(course=self.course)
        url = f"{self.base}{module.order}/"
        officer = self.client_for(self.security)
        fields = {"title": "Your pass", "body": "Wear it.", "image_alt": ""}
        kept = officer.post(url, fields)
        self.assertIn("alt text", " ".join(kept.context["form"].errors["image_alt"]))
        officer.post(url, fields | {"remove_image": "on"})
        module.refresh_from_db()
        self.assertEqual((module.image.name, module.image_alt), ("", ""))
        self.assertEqual(LedgerEntry.objects.get(action="module.change").data["image"], "removed")
