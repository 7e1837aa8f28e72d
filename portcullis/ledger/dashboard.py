from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from portcullis.accounts.access import READS_LEDGER, AuthenticatedHttpRequest
from portcullis.lib.dashboard import panel

from .models import LedgerCheck, LedgerEntry


@panel(
    "ledger.sign_ins",
    template="ledger/panels/sign_ins.html",
    order=40,
    rule=READS_LEDGER,
)
def sign_ins(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    since = timezone.now() - timedelta(hours=24)
    recent = LedgerEntry.objects.visible_to(request.user).filter(at__gte=since)
    failures = recent.filter(action="session.sign_in_failed")
    return {
        "sign_ins": recent.filter(action="session.sign_in").count(),
        "failures": failures.count(),
        "last_check": LedgerCheck.objects.first(),
    }
