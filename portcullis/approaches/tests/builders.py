"""Helpers for approaches tests: reports built through the service."""

from __future__ import annotations

import datetime
from typing import Any

from portcullis.accounts.models import User
from portcullis.approaches.models import Channel, Persona, Report
from portcullis.approaches.services import ReportInput, submit_report


def make_report(reporter: User, **fields: Any) -> Report:
    offices = sorted(reporter.scope.office_ids)
    from portcullis.accounts.models import Office

    defaults: dict[str, Any] = {
        "channel": Channel.NETWORK,
        "persona": Persona.RECRUITER,
        "occurred_on": datetime.date(2025, 11, 20),
        "office": Office.objects.get(pk=offices[0]) if offices else None,
    }
    return submit_report(data=ReportInput(**(defaults | fields)), actor=reporter)


def form_data(**fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "channel": Channel.NETWORK,
        "persona": Persona.RECRUITER,
        "occurred_on": "20/11/2025",
        "approacher_name": "",
        "approacher_organisation": "",
        "approacher_contact": "",
        "account": "",
    }
    return data | fields
