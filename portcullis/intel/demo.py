"""Demo alert from the public facts of MI5's espionage alert to Parliament of 18 November 2025
(see DOMAIN.md §3.2): two LinkedIn profiles and the companies they claimed."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from portcullis.accounts.models import User
from portcullis.lib.demo import demo_loader

from .extract import Kind
from .models import Alert
from .services import AlertInput, IndicatorInput, create_alert, publish_alert
from .tlp import Tlp

REFERENCE = "A-2025-11"

SUMMARY = (
    "On 18 November 2025 MI5 issued an espionage alert, which the Speakers passed to all Members "
    "and staff. Two LinkedIn profiles – “Amanda Qiu” of BR-YR Executive Search (the profile says "
    "Beijing-based, chief executive for over six years) and “Shirly Shen” of Internship Union "
    "(co-founder, Hangzhou) – have been used to conduct outreach at scale for China's Ministry of "
    "State Security (MSS), seeking non-public and insider insights. They are reportedly not "
    "intelligence officers themselves but collect and pass on information.\n\n"
    "Tradecraft: cover companies and outside headhunters; offers of paid “consultancy”; "
    "all-expenses-paid trips to China; payment in cash or cryptocurrency; building long-term "
    "relationships. Targets include staff, economists, think-tank researchers, consultants and "
    "civil servants. China has a low threshold for what information it values."
)
GUIDANCE = (
    "Do not engage. Do not accept the connection and do not reply. Take a screenshot, then "
    "report it here (Report an approach); the security team has been told about these profiles. "
    "If you are already in contact with either profile, tell the security team today – you are "
    "not in trouble for having been approached."
)
INDICATORS = [
    IndicatorInput(Kind.PERSON, "Amanda Qiu"),
    IndicatorInput(Kind.ORGANISATION, "BR-YR Executive Search"),
    IndicatorInput(Kind.PERSON, "Shirly Shen"),
    IndicatorInput(Kind.ORGANISATION, "Internship Union", ("InternshipUnion",)),
]


@demo_loader("intel", order=60)
def load() -> str:
    if Alert.objects.filter(reference=REFERENCE).exists():
        return f"alert {REFERENCE} already present"
    officer = User.objects.filter(email="security@demo.test").first()
    alert = create_alert(
        data=AlertInput(
            title="MI5 espionage alert: LinkedIn “recruiters” working for China's MSS",
            summary=SUMMARY,
            guidance=GUIDANCE,
            tlp=Tlp.GREEN,
            audience=Alert.Audience.EVERYONE,
            indicators=INDICATORS,
        ),
        actor=officer,
        reference=REFERENCE,
        origin={"demo": True},
    )
    if officer is not None:
        publish_alert(alert=alert, actor=officer)
    published = datetime.datetime(2025, 11, 18, 17, 0, tzinfo=ZoneInfo("Europe/London"))
    Alert.objects.filter(pk=alert.pk).update(published_at=published)
    return f"alert {REFERENCE} (MI5, 18 Nov 2025) published to everyone at TLP:GREEN"
