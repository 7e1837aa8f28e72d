"""Helpers for intel and approaches tests: alerts built through the services."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.test import override_settings

from portcullis.accounts.models import Office, Organisation, Person, User
from portcullis.intel.extract import Kind
from portcullis.intel.models import Alert
from portcullis.intel.services import AlertInput, IndicatorInput, create_alert, publish_alert
from portcullis.intel.tlp import Tlp

IMMEDIATE_TASKS = override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
)


def media_in_tmp() -> Any:
    """Evidence files go to a throw-away directory, never to var/."""
    location = tempfile.mkdtemp(prefix="portcullis-test-media-")
    return override_settings(
        STORAGES={
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": location},
            },
            "staticfiles": settings.STORAGES["staticfiles"],
        }
    )


QIU_INDICATORS = [
    IndicatorInput(Kind.PERSON, "Amanda Qiu"),
    IndicatorInput(Kind.ORGANISATION, "BR-YR Executive Search"),
    IndicatorInput(Kind.URL, "https://www.linkedin.com/in/amanda-qiu-example"),
    IndicatorInput(Kind.EMAIL, "amanda.qiu@br-yr.example"),
    IndicatorInput(Kind.PHONE, "+44 20 7946 0018"),
]


def make_alert(
    actor: User,
    *,
    title: str = "LinkedIn recruiter working for a hostile state",
    tlp: str = Tlp.GREEN,
    audience: str = Alert.Audience.EVERYONE,
    offices: Sequence[Office] = (),
    parties: Sequence[Organisation] = (),
    recipients: Sequence[Person] = (),
    indicators: Sequence[IndicatorInput] = tuple(QIU_INDICATORS),
    publish: bool = True,
) -> Alert:
    alert = create_alert(
        data=AlertInput(
            title=title,
            summary="Profiles seeking non-public insights, offering paid consultancy.",
            guidance="Do not engage. Do not accept the connection.",
            tlp=tlp,
            audience=audience,
            offices=list(offices),
            parties=list(parties),
            recipients=list(recipients),
            indicators=list(indicators),
        ),
        actor=actor,
    )
    if publish:
        publish_alert(alert=alert, actor=actor)
    return alert
