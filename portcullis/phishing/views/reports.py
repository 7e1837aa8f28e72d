"""Reporting a suspect e-mail, and the security team's triage queue."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Max
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from portcullis.accounts.access import SECURITY_TEAM, AuthenticatedHttpRequest, check, requires

from .. import conf
from ..analysis import score
from ..forms import AlertRequestForm, OverrideForm, ReportUploadForm
from ..models import ReportedEmail
from ..services import reports


def report_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ReportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = reports.file_report(
                raw=form.cleaned_data["message"],
                actor=request.user,
                source=ReportedEmail.Source.UPLOAD,
            )
        except reports.ReportError as exc:
            form.add_error("message", str(exc))
        else:
            messages.success(request, "Thank you. The security team has your report.")
            return redirect("phishing:report-detail", report.public_id)
    user = request.user
    mine = ReportedEmail.objects.visible_to(user).filter(submitted_by=user).with_matches_for(user)
    rows = [(r, r.assessment_for(user).effective_verdict) for r in mine[:20]]
    return render(
        request,
        "phishing/report_new.html",
        {"form": form, "mine": rows, "report_address": conf.report_address()},
    )


def report_detail(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    report = get_object_or_404(ReportedEmail.objects.visible_to(request.user), public_id=public_id)
    security = SECURITY_TEAM(request.user)
    context = {
        "report": report,
        "security": security,
        "seen": report.assessment_for(request.user),
        "suspicious_at": score.SUSPICIOUS_AT,
        "malicious_at": score.MALICIOUS_AT,
    }
    if security:
        context |= {
            "copies": reports.group_of(report),
            "override_form": OverrideForm(initial={"verdict": report.effective_verdict}),
            "alert_form": AlertRequestForm(),
        }
    return render(request, "phishing/report_detail.html", context)


def report_raw(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """The message as received, as a download: never shown in the browser."""
    report = get_object_or_404(ReportedEmail.objects.visible_to(request.user), public_id=public_id)
    check(request, SECURITY_TEAM)
    response = HttpResponse(bytes(report.raw), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="report-{report.public_id}.eml.bin"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires(SECURITY_TEAM)
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    show_all = request.GET.get("show") == "all"
    qs = ReportedEmail.objects.visible_to(request.user)
    if not show_all:
        qs = qs.awaiting_triage()
    groups = (
        qs.values("fingerprint")
        .annotate(copies=Count("pk"), latest=Max("created_at"))
        .order_by("-latest")[:200]
    )
    user = request.user
    latest = {
        r.fingerprint: r
        for r in ReportedEmail.objects.filter(fingerprint__in=[g["fingerprint"] for g in groups])
        .with_matches_for(user)
        .order_by("created_at")
    }
    rows = [
        (r, g["copies"], r.assessment_for(user).effective_verdict)
        for g in groups
        for r in [latest[g["fingerprint"]]]
    ]
    return render(request, "phishing/queue.html", {"rows": rows, "show_all": show_all})


@require_POST
def report_override(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    report = get_object_or_404(ReportedEmail.objects.visible_to(request.user), public_id=public_id)
    check(request, SECURITY_TEAM)
    form = OverrideForm(request.POST)
    if form.is_valid():
        changed = reports.override_verdict(
            report=report,
            verdict=form.cleaned_data["verdict"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
        messages.success(request, f"Verdict recorded on {changed} identical report(s).")
    else:
        messages.error(request, "Choose a verdict and say why.")
    return redirect("phishing:report-detail", report.public_id)


@require_POST
def report_alert(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    report = get_object_or_404(ReportedEmail.objects.visible_to(request.user), public_id=public_id)
    check(request, SECURITY_TEAM)
    form = AlertRequestForm(request.POST)
    if form.is_valid():
        report = reports.request_alert(
            report=report, note=form.cleaned_data["note"], actor=request.user
        )
        alert = report.alert
        if alert is not None:
            messages.success(
                request,
                f"Draft alert {alert.reference} created from this e-mail. Check its audience "
                "and TLP, then publish it.",
            )
            return redirect("intel:alert-edit", alert.public_id)
    else:
        messages.error(request, "Say what the alert should say.")
    return redirect("phishing:report-detail", report.public_id)
