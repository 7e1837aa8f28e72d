"""Pure-Python e-mail analysis: `analyse(raw, context, limits) -> Analysis`.

No Django imports here; the phishing app wraps this package. See `model` for the value types
and `score.CATALOGUE` for every indicator code.
"""

from .analyse import analyse, looks_like_email
from .directory import Directory, DirectoryPerson
from .model import (
    Analysis,
    AnalysisContext,
    AttachmentInfo,
    Indicator,
    Limits,
    Observables,
    Severity,
    Verdict,
)
from .score import CATALOGUE

__all__ = [
    "CATALOGUE",
    "Analysis",
    "AnalysisContext",
    "AttachmentInfo",
    "Directory",
    "DirectoryPerson",
    "Indicator",
    "Limits",
    "Observables",
    "Severity",
    "Verdict",
    "analyse",
    "looks_like_email",
]
