"""Reported e-mails (`reports`) and mystery-shopper simulations (`simulations`)."""

from .reports import ReportedEmail, ReportedEmailQuerySet
from .simulations import (
    Authorisation,
    Campaign,
    CampaignQuerySet,
    DoNotTest,
    EmailTemplate,
    Event,
    LandingPage,
    SendingProfile,
    Target,
    TargetQuerySet,
)

__all__ = [
    "Authorisation",
    "Campaign",
    "CampaignQuerySet",
    "DoNotTest",
    "EmailTemplate",
    "Event",
    "LandingPage",
    "ReportedEmail",
    "ReportedEmailQuerySet",
    "SendingProfile",
    "Target",
    "TargetQuerySet",
]
