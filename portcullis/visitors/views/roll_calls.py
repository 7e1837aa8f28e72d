"""Evacuation roll calls: a security officer starts one; marshals (gate officers and the security
team) share its live list, mark people located and filter by area; a PDF snapshot is printed at
the start; the end gives the report of who was accounted for."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from portcullis.accounts.access import (
    SECURITY_TEAM,
    WORKS_THE_GATE,
    AuthenticatedHttpRequest,
    requires,
)

from .. import badges, services
from ..models import RollCall, RollCallEntry


def _roll_call(request: AuthenticatedHttpRequest, public_id: Any) -> RollCall:
    return get_object_or_404(RollCall.objects.visible_to(request.user), public_id=public_id)


def _counted(roll_calls: Any) -> Any:
    return roll_calls.annotate(
        total=Count("entries"),
        located=Count("entries", filter=Q(entries__located_at__isnull=False)),
    )


@requires(WORKS_THE_GATE)
def roll_calls(request: AuthenticatedHttpRequest) -> HttpResponse:
    shown = _counted(RollCall.objects.visible_to(request.user).select_related("started_by__person"))
    shown = shown.order_by("-started_at", "-pk")
    page = Paginator(shown, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "visitors/roll_calls.html",
        {"page": page, "may_start": SECURITY_TEAM(request.user)},
    )


@requires(SECURITY_TEAM)
@require_POST
def start(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        roll_call = services.start_roll_call(actor=request.user)
    except services.VisitError as exc:
        messages.error(request, str(exc))
        return redirect("visitors:roll-calls")
    messages.success(
        request, "Roll call started. Print the snapshot now in case the network fails."
    )
    return redirect(roll_call.get_absolute_url())


@requires(WORKS_THE_GATE)
def roll_call(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    found = _roll_call(request, public_id)
    entries = found.entries.select_related("located_by__person")
    areas = list(found.entries.order_by("area").values_list("area", flat=True).distinct())
    area = request.GET.get("area", "")[:120]
    if area:
        entries = entries.filter(area=area)
    counts = found.entries.aggregate(
        total=Count("pk"), located=Count("pk", filter=Q(located_at__isnull=False))
    )
    context = {
        "roll_call": found,
        "entries": entries,
        "areas": areas,
        "area": area,
        "counts": counts,
        "may_end": SECURITY_TEAM(request.user) and found.ended_at is None,
    }
    return render(request, "visitors/roll_call.html", context)


@requires(WORKS_THE_GATE)
@require_POST
def locate(request: AuthenticatedHttpRequest, public_id: Any, entry_id: Any) -> HttpResponse:
    found = _roll_call(request, public_id)
    entry = get_object_or_404(RollCallEntry, roll_call=found, public_id=entry_id)
    try:
        services.mark_located(entry=entry, actor=request.user)
    except services.VisitError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{entry.name} located.")
    area = request.POST.get("area", "")[:120]
    url = found.get_absolute_url() + (f"?area={area}" if area else "")
    return redirect(url)


@requires(SECURITY_TEAM)
@require_POST
def end(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    found = _roll_call(request, public_id)
    try:
        services.end_roll_call(roll_call=found, actor=request.user)
    except services.VisitError as exc:
        messages.error(request, str(exc))
    return redirect("visitors:roll-call-report", public_id=found.public_id)


@requires(WORKS_THE_GATE)
def report(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    found = _roll_call(request, public_id)
    entries = list(found.entries.select_related("located_by__person"))
    context = {
        "roll_call": found,
        "missing": [e for e in entries if e.located_at is None],
        "located": [e for e in entries if e.located_at is not None],
    }
    return render(request, "visitors/roll_call_report.html", context)


@requires(WORKS_THE_GATE)
def snapshot(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    found = _roll_call(request, public_id)
    response = HttpResponse(badges.snapshot_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="roll-call-{found.started_at:%Y%m%d-%H%M}.pdf"'
    )
    return response
