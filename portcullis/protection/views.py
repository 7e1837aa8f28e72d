"""Security officers record vetting and SOS devices from a person's protective-security record
(the page lives in training: `training:person`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portcullis.accounts.access import SECURITY_TEAM, AuthenticatedHttpRequest, requires

from . import services
from .forms import ClearanceForm, DeviceForm, ExposureForm
from .models import ExposureProfile, SosDevice
from .scoping import protected_people


def _back(person_public_id: object) -> HttpResponse:
    return redirect("training:person", person_public_id)


def _report(request: AuthenticatedHttpRequest, form: ClearanceForm | DeviceForm) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


@require_POST
@requires(SECURITY_TEAM)
def add_clearance(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    actor = request.user
    person = get_object_or_404(protected_people(actor), public_id=public_id)
    form = ClearanceForm(request.POST, prefix="clearance")
    if not form.is_valid():
        _report(request, form)
        return _back(person.public_id)
    try:
        services.record_clearance(person=person, actor=actor, **form.cleaned_data)
    except services.InvalidChangeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Clearance recorded.")
    return _back(person.public_id)


@require_POST
@requires(SECURITY_TEAM)
def issue_device(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    actor = request.user
    person = get_object_or_404(protected_people(actor), public_id=public_id)
    form = DeviceForm(request.POST, prefix="device")
    if not form.is_valid():
        _report(request, form)
        return _back(person.public_id)
    try:
        services.issue_device(
            person=person,
            serial=form.cleaned_data["serial"],
            actor=actor,
            today=timezone.localdate(),
        )
    except services.InvalidChangeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Device issued.")
    return _back(person.public_id)


@require_POST
@requires(SECURITY_TEAM)
def device_event(request: AuthenticatedHttpRequest, public_id: str, event: str) -> HttpResponse:
    actor = request.user
    device = get_object_or_404(SosDevice.objects.visible_to(actor), public_id=public_id)
    action = {"test": services.record_device_test, "return": services.return_device}.get(event)
    if action is None:
        raise PermissionDenied
    try:
        action(device=device, actor=actor, today=timezone.localdate())
    except services.InvalidChangeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Device tested." if event == "test" else "Device returned.")
    return _back(device.person.public_id)


@requires(SECURITY_TEAM)
def exposure(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """Override how exposed a person is (it decides which extra training and support apply)."""
    person = get_object_or_404(protected_people(request.user), public_id=public_id)
    current = ExposureProfile.objects.filter(person=person).first()
    initial = {"tier": current.tier, "reason": current.reason} if current else {}
    form = ExposureForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.set_exposure_tier(
            person=person, actor=request.user, today=timezone.localdate(), **form.cleaned_data
        )
        messages.success(request, f"{person}'s exposure tier is now recorded.")
        return _back(person.public_id)
    return render(
        request, "protection/exposure.html", {"person": person, "form": form, "current": current}
    )
