"""Reporting a suspect e-mail, and the security team's triage queue."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.db.models import Exists, F, OuterRef
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.views.decorators.http import require_POST

from portcullis.accounts.access import SECURITY_TEAM, AuthenticatedHttpRequest, check, requires
from portcullis.accounts.models import SavedFilter
from portcullis.intel.models import Match
from portcullis.lib.ids import valid_uuids
from portcullis.lib.queues import CappedPaginator, Column, Queue
from portcullis.lib.uploads import upload_limit
from portcullis.phishing.models.reports import MAX_RAW_BYTES

from .. import conf
from ..analysis import score
from ..forms import (
    AlertRequestForm,
    BulkVerdictForm,
    EmailQueueForm,
    OverrideForm,
    ReportUploadForm,
)
from ..models import MessageGroup, ReportedEmail
from ..models.reports import Verdict
from ..services import reports


@upload_limit(MAX_RAW_BYTES)
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


def _verdict_words(row: dict[str, Any]) -> str:
    return str(Verdict(row["verdict"]).label) if row["verdict"] in Verdict.values else ""


QUEUE = Queue(
    name="reported-emails",
    url_name="phishing:queue",
    columns=(
        Column("subject", "Subject", ("subject",), cell=lambda g: g["report"].subject),
        Column("sender", "From", ("sender",), cell=lambda g: g["report"].sender),
        Column("copies", "Reports", ("copies",), cell=lambda g: g["copies"]),
        Column("verdict", "Verdict", ("top_score",), cell=_verdict_words),
        Column(
            "matched", "Matches an alert", cell=lambda g: "yes" if g["report"].matched else "no"
        ),
        Column(
            "first",
            "First reported",
            ("first_at",),
            cell=lambda g: timezone.localtime(g["first_at"]).strftime("%Y-%m-%d %H:%M"),
        ),
        Column(
            "latest",
            "Latest report",
            ("latest_at",),
            cell=lambda g: timezone.localtime(g["latest"]).strftime("%Y-%m-%d %H:%M"),
        ),
    ),
    default_sort="-latest",
    search_column="search_text",
    filter_keys=("show", "verdict", "matched"),
)
EXPORT_GROUPS = 10_000


def _groups(request: AuthenticatedHttpRequest) -> tuple[Any, EmailQueueForm, str]:
    """Identical messages as one row each (`MessageGroup`, kept as copies are filed and
    triaged): how many copies, when, and the highest score."""
    form = EmailQueueForm(request.GET)
    qs: Any = MessageGroup.objects.visible_to(request.user)
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("show") != "all":
        qs = qs.awaiting_triage()
    if data.get("verdict"):
        qs = qs.filter(verdict=data["verdict"])
    if data.get("matched"):
        matched = ReportedEmail.objects.filter(origin__in=Match.objects.values("origin"))
        qs = qs.filter(fingerprint__in=matched.values("fingerprint"))
    qs = QUEUE.searched(qs, data.get("q") or "")
    groups = qs.values(
        "fingerprint",
        "copies",
        "first_at",
        "top_score",
        latest=F("latest_at"),
        first_pk=F("first_report_id"),
    )
    sort = QUEUE.sort_key(request.GET.get("sort"))
    return QUEUE.ordered(groups, sort), form, sort


def _with_reports(groups: list[dict[str, Any]], user: Any) -> list[dict[str, Any]]:
    """Each group with its first report (what the page links to) and the verdict this reader
    is shown; the raw messages are not read."""
    first = {
        r.pk: r
        for r in ReportedEmail.objects.filter(pk__in=[g["first_pk"] for g in groups])
        .defer("raw")
        .annotate(matched=Exists(Match.objects.filter(origin=OuterRef("origin"))))
        .with_matches_for(user)
    }
    rows = []
    for group in groups:
        report = first[group["first_pk"]]
        rows.append(
            group | {"report": report, "verdict": report.assessment_for(user).effective_verdict}
        )
    return rows


@requires(SECURITY_TEAM)
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    groups, form, sort = _groups(request)
    page = CappedPaginator(groups).get_page(request.GET.get("page"))
    return render(
        request,
        "phishing/queue.html",
        {
            "form": form,
            "page": page,
            "rows": _with_reports(list(page.object_list), request.user),
            "headings": QUEUE.headings(request, sort),
            "bulk_form": BulkVerdictForm(),
            "saved": SavedFilter.objects.visible_to(request.user).filter(queue=QUEUE.name),
            "kept_query": QUEUE.kept_query(request.GET),
            "queue_name": QUEUE.name,
        },
    )


@requires(SECURITY_TEAM)
def queue_export(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    groups, _form, _sort = _groups(request)
    user = request.user

    def rows() -> Iterator[dict[str, Any]]:
        chunk: list[dict[str, Any]] = []
        for group in groups[:EXPORT_GROUPS].iterator(chunk_size=500):
            chunk.append(group)
            if len(chunk) == 500:
                yield from _with_reports(chunk, user)
                chunk = []
        yield from _with_reports(chunk, user)

    stamp = timezone.localdate().isoformat()
    return QUEUE.csv_response(rows(), filename=f"reported-emails-{stamp}.csv")


@require_POST
@requires(SECURITY_TEAM)
def queue_bulk(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = BulkVerdictForm(request.POST)
    back = QUEUE.back_from(request)
    if not form.is_valid():
        messages.error(request, "Nothing changed: " + "; ".join(form.error_sentences()))
        return redirect(back)
    data = form.cleaned_data
    ids = valid_uuids(data["selected"])
    chosen = list(
        ReportedEmail.objects.visible_to(request.user).filter(public_id__in=ids).defer("raw")
    )
    try:
        changed = reports.override_many(
            reports=chosen, verdict=data["verdict"], reason=data["reason"], actor=request.user
        )
    except reports.ReportError as exc:
        messages.error(request, f"Nothing changed: {exc}")
    else:
        messages.success(request, f"Verdict recorded on {changed} report{pluralize(changed)}.")
    return redirect(back)


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
