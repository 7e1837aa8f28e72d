"""Reported e-mails (`reports`) and mystery-shopper simulations (`simulations`)."""

from .reports import MessageGroup, MessageGroupQuerySet, ReportedEmail, ReportedEmailQuerySet
from .simulations import (
    Authorisation,
    DoNotTest,
    EmailTemplate,
    Event,
    LandingPage,
    LureAttachment,
    SendingProfile,
    SimulationCampaign,
    SimulationCampaignQuerySet,
    Target,
    TargetQuerySet,
)

__all__ = [
    "Authorisation",
    "SimulationCampaign",
    "SimulationCampaignQuerySet",
    "DoNotTest",
    "EmailTemplate",
    "Event",
    "LandingPage",
    "LureAttachment",
    "MessageGroup",
    "MessageGroupQuerySet",
    "ReportedEmail",
    "ReportedEmailQuerySet",
    "SendingProfile",
    "Target",
    "TargetQuerySet",
]
