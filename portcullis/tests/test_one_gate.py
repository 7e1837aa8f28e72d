"""One gate for reads, one writer per model (issue 9, items 5 and 6).

Every registered Django admin is read-only for a superuser unless its model is content that no
service writes (none is left), and an admin over a model with
`visible_to` lists only what that queryset gives the administrator; sign-in secrets are not
registered at all. Every DRF viewset behind the URL resolver derives from the one base whose
queryset is `Model.objects.visible_to(request.user)`. Each checker is also shown to catch the
shape it forbids.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.contrib import admin
from django.contrib.admin.sites import AdminSite
from django.db.models import Model
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, path
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework import viewsets
from rest_framework.authtoken.models import Token, TokenProxy
from rest_framework.request import Request
from rest_framework.routers import SimpleRouter
from rest_framework.viewsets import ViewSetMixin

from portcullis.accounts.models import Person, User
from portcullis.accounts.viewsets import ReadOnlyVisibleViewSet, VisibleViewSet
from portcullis.lib.admin import VisibleReadOnlyAdmin
from portcullis.test import BaseTestCase

ROOT = Path(__file__).resolve().parents[1]
WRITES = {"create", "get_or_create", "update_or_create", "bulk_create", "update", "delete"}
# Content authored in Django admin: no service writes these (checked below), so admin may. None
# is left: courses, their questions and requirements are written in the app (training.authoring).
AUTHORED_IN_ADMIN: set[str] = set()
SECRETS: set[type[Model]] = {TOTPDevice, StaticDevice, Token, TokenProxy}


def written_by_code() -> set[str]:
    """Class names of models some non-test module writes (`Name.objects.create(...)` and the
    like), demo loaders and migrations aside."""
    names: set[str] = set()
    for source in ROOT.rglob("*.py"):
        parts = source.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts or source.name in {"demo.py", "test.py"}:
            continue
        for node in ast.walk(ast.parse(source.read_text())):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in WRITES
                and isinstance(node.value, ast.Attribute)
                and node.value.attr in {"objects", "_default_manager"}
                and isinstance(node.value.value, ast.Name)
            ):
                names.add(node.value.value.id)
    return names


def admin_offences(site: AdminSite, superuser: User) -> list[str]:
    request = RequestFactory().get("/admin/")
    request.user = superuser
    written = written_by_code()
    offences = []
    for model, model_admin in site._registry.items():
        label = model._meta.label
        if model in SECRETS:
            offences.append(f"{label}: a sign-in secret is registered")
        editable = [
            verb
            for verb, allowed in (
                ("add", model_admin.has_add_permission(request)),
                ("change", model_admin.has_change_permission(request)),
                ("delete", model_admin.has_delete_permission(request)),
            )
            if allowed
        ]
        for inline in model_admin.get_inline_instances(request):
            if inline.has_add_permission(request, None) or inline.has_change_permission(request):
                editable.append(f"inline {inline.model._meta.label}")
        if editable and (label not in AUTHORED_IN_ADMIN or model.__name__ in written):
            offences.append(f"{label}: editable ({', '.join(editable)}) but written by a service")
        if hasattr(model._default_manager, "visible_to") and not isinstance(
            model_admin, VisibleReadOnlyAdmin
        ):
            offences.append(f"{label}: listed without visible_to")
    return offences


def viewsets_behind(patterns: Iterable[URLPattern | URLResolver]) -> Iterator[type[Any]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from viewsets_behind(pattern.url_patterns)
            continue
        cls = getattr(pattern.callback, "cls", None)
        if cls is not None and issubclass(cls, ViewSetMixin):
            yield cls


def viewset_offences(classes: Iterable[type[Any]]) -> list[str]:
    offences = []
    for cls in set(classes):
        name = f"{cls.__module__}.{cls.__name__}"
        if not issubclass(cls, VisibleViewSet):
            offences.append(f"{name}: not derived from VisibleViewSet")
            continue
        if cls.get_queryset is not VisibleViewSet.get_queryset:
            offences.append(f"{name}: overrides get_queryset")
        if getattr(cls, "queryset", None) is not None:
            offences.append(f"{name}: sets a queryset")
        if not hasattr(getattr(cls, "model", None), "_default_manager"):
            offences.append(f"{name}: names no model")
        elif not hasattr(cls.model._default_manager, "visible_to"):
            offences.append(f"{name}: its model has no visible_to")
    return sorted(offences)


def all_viewsets() -> set[type[Any]]:
    return set(viewsets_behind(get_resolver().url_patterns))


class EveryAdminIsAWindow(BaseTestCase):
    def setUp(self) -> None:
        self.superuser = User.objects.create_superuser("root@test.example", "x")

    def test_no_registered_admin_is_a_second_writer_or_unscoped(self) -> None:
        self.assertGreater(len(admin.site._registry), 20)
        self.assertEqual(admin_offences(admin.site, self.superuser), [])

    def test_sign_in_secrets_are_not_in_admin(self) -> None:
        for model in SECRETS:
            with self.subTest(model=model._meta.label):
                self.assertFalse(admin.site.is_registered(model))

    def test_content_authored_in_admin_is_written_by_no_service(self) -> None:
        written = written_by_code()
        self.assertIn("Assignment", written)  # the scan sees services' writes
        self.assertIn("Requirement", written)  # written in the app now, so read-only in admin
        for label in AUTHORED_IN_ADMIN:
            with self.subTest(model=label):
                self.assertNotIn(label.split(".")[1], written)

    def test_the_checker_flags_an_editable_admin_over_a_service_written_model(self) -> None:
        site = AdminSite(name="temporary")
        site.register(Person, admin.ModelAdmin)
        offences = admin_offences(site, self.superuser)
        self.assertIn(
            "accounts.Person: editable (add, change, delete) but written by a service", offences
        )
        self.assertIn("accounts.Person: listed without visible_to", offences)

    def test_the_checker_flags_a_registered_secret(self) -> None:
        site = AdminSite(name="temporary")
        site.register(TOTPDevice, admin.ModelAdmin)
        self.assertIn(
            "otp_totp.TOTPDevice: a sign-in secret is registered",
            admin_offences(site, self.superuser),
        )

    def test_an_administrator_sees_no_one_elses_security_data_in_admin(self) -> None:
        self.client.force_login(self.superuser)
        from portcullis.screening.models import Screening

        self.assertFalse(
            admin.site._registry[Screening].get_queryset(self.admin_request()).exists()
        )
        people = admin.site._registry[Person].get_queryset(self.admin_request())
        self.assertEqual(list(people), [])  # a superuser with no role is in no one's directory

    def admin_request(self) -> Any:
        request = RequestFactory().get("/admin/")
        request.user = self.superuser
        return request


class EveryViewsetReadsThroughVisibleTo(BaseTestCase):
    def test_every_routed_viewset_derives_its_queryset_from_visible_to(self) -> None:
        found = all_viewsets()
        self.assertGreater(len(found), 15)
        self.assertEqual(viewset_offences(found), [])

    def test_as_two_users_each_sees_only_their_visible_rows(self) -> None:
        for cls in sorted(all_viewsets(), key=lambda c: c.__name__):
            for user in (self.outsider, self.security):
                with self.subTest(viewset=cls.__name__, user=user.email):
                    view = cls()
                    request = Request(RequestFactory().get("/"))
                    request.user = user
                    view.request, view.kwargs, view.format_kwarg = request, {}, None
                    view.action = "list"
                    shown = set(view.get_queryset().values_list("pk", flat=True))
                    visible = cls.model._default_manager.visible_to(user)
                    self.assertLessEqual(shown, set(visible.values_list("pk", flat=True)))

    def test_the_checker_flags_a_raw_viewset_and_an_overridden_queryset(self) -> None:
        class RawPeople(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
            queryset = Person.objects.all()

        class Widened(ReadOnlyVisibleViewSet[Person]):
            model = Person

            def get_queryset(self) -> Any:
                return Person.objects.all()

        router = SimpleRouter()
        router.register("raw", RawPeople, basename="raw")
        router.register("widened", Widened, basename="widened")
        found = set(viewsets_behind([path("", include_router(router))]))
        self.assertEqual(found, {RawPeople, Widened})
        offences = viewset_offences(found)
        self.assertIn(f"{__name__}.RawPeople: not derived from VisibleViewSet", offences)
        self.assertIn(f"{__name__}.Widened: overrides get_queryset", offences)


def include_router(router: SimpleRouter) -> Any:
    from django.urls import include

    return include(router.urls)
