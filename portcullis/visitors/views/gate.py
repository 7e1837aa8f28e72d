"""The gate: a page for a tablet at the entrance (a barcode scanner types the QR code into the
search box and presses Enter), the check of photo ID, admit or refuse, the pass and its badge,
walk-ins, who is on site, check-out and a change of escort."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portcullis.accounts.access import WORKS_THE_GATE, AuthenticatedHttpRequest, requires
from portcullis.accounts.models import PersonEmail, User

from .. import badges, services
from ..forms import CheckInForm, EscortForm, GateSearchForm, RefuseForm, WalkInForm
from ..models import Presence, Visit, current_level
from ..rules import rules_for
from .visits import visible_visit

MAX_RESULTS = 25


@requires(WORKS_THE_GATE)
def gate(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = GateSearchForm(request.GET or None)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    today = Visit.objects.at_the_gate(request.user, timezone.localdate())
    results = list(today.search(text).for_lists()[: MAX_RESULTS + 1]) if text else []
    if len(results) == 1 and results[0].code == text.strip().upper().removeprefix(
        "PORTCULLIS-VISIT:"
    ):
        return redirect("visitors:gate-visit", public_id=results[0].public_id)
    counts = today.aggregate(
        expected=Count("pk", filter=Q(status=Visit.Status.EXPECTED)),
        on_site=Count("pk", filter=Q(status=Visit.Status.ON_SITE)),
        held=Count("pk", filter=Q(clearance=Visit.Clearance.HELD)),
    )
    level = current_level()
    context = {
        "form": form,
        "text": text,
        "results": results[:MAX_RESULTS],
        "more": len(results) > MAX_RESULTS,
        "counts": counts,
        "rules": rules_for(level),
        "level": level,
    }
    return render(request, "visitors/gate.html", context)


def _escorts(visit: Visit) -> Any:
    present = Presence.objects.current().values("user_id")
    return (
        User.objects.filter(pk__in=visit.invitation.may_escort_ids())
        .filter(pk__in=present)
        .select_related("person")
        .order_by("person__full_name")
    )


@requires(WORKS_THE_GATE)
def gate_visit(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    found = visible_visit(request, public_id)
    escorts = _escorts(found)
    form = CheckInForm(request.POST if request.method == "POST" else None, escorts=escorts)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_in_visit(
                visit=found,
                id_check=form.id_check(),
                escort=form.cleaned_data["escort"],
                actor=request.user,
            )
        except services.VisitError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{found.name} admitted. Hand over the pass.")
            return redirect("visitors:pass", public_id=found.public_id)
    level = current_level()
    context = {
        "visit": found,
        "form": form,
        "refuse_form": RefuseForm(),
        "problem": found.admission_problem(),
        "rules": rules_for(level),
        "colour": services.pass_colour_for(found, level),
    }
    return render(request, "visitors/gate_visit.html", context)


@requires(WORKS_THE_GATE)
@require_POST
def refuse(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    found = visible_visit(request, public_id)
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            services.refuse_visit(
                visit=found, reason=form.cleaned_data["reason"], actor=request.user
            )
        except services.VisitError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{found.name} refused entry.")
            return redirect("visitors:gate")
    else:
        messages.error(request, "Enter the reason for refusing entry.")
    return redirect("visitors:gate-visit", public_id=found.public_id)


@requires(WORKS_THE_GATE)
def walk_in(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = WalkInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        host = _host(data["host_email"])
        try:
            found = services.register_walk_in(
                visitor=services.VisitorInput(
                    name=data["name"], organisation=data["organisation"], phone=data["phone"]
                ),
                host=host,
                area=data["area"],
                purpose=data["purpose"],
                actor=request.user,
            )
        except services.VisitError as exc:
            form.add_error("host_email" if host is None else None, str(exc))
        else:
            messages.success(
                request,
                f"{found.name} is waiting for {found.invitation.host} to approve. "
                "Do not admit them until then.",
            )
            return redirect("visitors:gate-visit", public_id=found.public_id)
    return render(request, "visitors/walk_in.html", {"form": form})


def _host(address: str) -> User | None:
    if not address:
        return None
    person = PersonEmail.objects.filter(address=address.strip().lower()).values("person_id")
    return User.objects.filter(person_id__in=person, is_active=True).first()


@requires(WORKS_THE_GATE)
def on_site(request: AuthenticatedHttpRequest) -> HttpResponse:
    shown = Visit.objects.visible_to(request.user).on_site().for_lists()
    area = request.GET.get("area", "")[:120]
    areas = sorted({v.invitation.area.name for v in shown})
    if area:
        shown = shown.filter(invitation__area__name=area)
    rows = list(shown.order_by("invitation__area__name", "name"))
    now = timezone.now()
    context = {
        "visits": rows,
        "areas": areas,
        "area": area,
        "overstaying": sum(v.invitation.ends_at < now for v in rows),
        "now": now,
    }
    return render(request, "visitors/on_site.html", context)


@requires(WORKS_THE_GATE)
@require_POST
def check_out(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    found = visible_visit(request, public_id)
    try:
        services.check_out_visit(visit=found, actor=request.user)
    except services.VisitError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{found.name} checked out.")
    return redirect(request.POST.get("next") == "gate" and "visitors:gate" or "visitors:on-site")


@requires(WORKS_THE_GATE)
def escort(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    found = visible_visit(request, public_id)
    form = EscortForm(request.POST if request.method == "POST" else None, escorts=_escorts(found))
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_escort(
                visit=found, escort=form.cleaned_data["escort"], actor=request.user
            )
        except services.VisitError as exc:
            form.add_error("escort", str(exc))
        else:
            messages.success(request, f"{found.name} is now escorted by {found.escort}.")
            return redirect("visitors:on-site")
    return render(request, "visitors/escort.html", {"visit": found, "form": form})


@requires(WORKS_THE_GATE)
def visitor_pass(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    found = visible_visit(request, public_id)
    return render(request, "visitors/pass.html", {"visit": found})


@requires(WORKS_THE_GATE)
def badge(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    found = visible_visit(request, public_id)
    if found.status != Visit.Status.ON_SITE:
        return redirect(found.get_absolute_url())
    response = HttpResponse(badges.badge_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="pass-{found.reference}.pdf"'
    return response
