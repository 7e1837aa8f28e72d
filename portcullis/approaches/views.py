"""Pages: report an approach, see your reports, and (security) the triage queue and workflow."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.views.decorators.http import require_POST

from portcullis.accounts.access import SECURITY_TEAM, AuthenticatedHttpRequest, requires
from portcullis.accounts.models import SavedFilter, User
from portcullis.intel.models import Match, Sighting
from portcullis.ledger.models import LedgerEntry
from portcullis.lib.ids import valid_uuids
from portcullis.lib.queues import CappedPaginator, Column, Queue
from portcullis.lib.uploads import upload_limit

from . import evidence, services
from .forms import (
    BulkTriageForm,
    FeedbackForm,
    NoteForm,
    QueueFilterForm,
    ReportForm,
    TriageForm,
)
from .models import Evidence, HeldEvidence, Report, matches_for


def _visible_report(request: AuthenticatedHttpRequest, public_id: Any) -> Report:
    return get_object_or_404(
        Report.objects.visible_to(request.user).select_related("office", "origin__campaign"),
        public_id=public_id,
    )


@upload_limit(evidence.MAX_BYTES)
def report_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    held = list(HeldEvidence.objects.held_by(user))
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, user=user, held=held)
        if form.is_valid():
            try:
                report = services.submit_report(
                    data=form.report_input(),
                    actor=user,
                    evidence=form.cleaned_data["evidence"],
                    held=form.kept_held(),
                )
            except (services.ReportError, evidence.EvidenceError) as exc:
                form.add_error(None, str(exc))
            else:
                return redirect(f"{report.get_absolute_url()}?sent=1")
        # Something was wrong: the files that passed stay with the person for the next try.
        form.show_held(services.hold_evidence(actor=user, keep=form.kept_held(), add=form.accepted))
    else:
        form = ReportForm(user=user, held=held)
    return render(request, "approaches/report_form.html", {"form": form})


def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    reports = Report.objects.visible_to(user).select_related("office")
    if SECURITY_TEAM(user):
        reports = reports.filter(reporter=user)
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    return render(request, "approaches/mine.html", {"page": page})


def detail(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    user = request.user
    report = _visible_report(request, public_id)
    readable = matches_for(report, user)
    context: dict[str, Any] = {
        "report": report,
        "reporter": report.reporter_shown_to(user),
        "sent": request.GET.get("sent") == "1",
        "alerts": _alerts_of(readable),
        "evidence": report.evidence.all(),
        "report_labels": {f: report.labels(f) for f in ("asks", "offers", "warning_signs")},
    }
    if SECURITY_TEAM(user):
        context |= _triage_context(report)
    return render(request, "approaches/detail.html", context)


def _alerts_of(matches: Any) -> list[dict[str, Any]]:
    alerts: dict[int, dict[str, Any]] = {}
    for match in matches:
        entry = alerts.setdefault(match.alert_id, {"alert": match.alert, "matched": []})
        entry["matched"].append(match)
    return list(alerts.values())


def _triage_context(report: Report) -> dict[str, Any]:
    origin = report.origin_id or 0
    return {
        "matches": Match.objects.filter(origin=origin).select_related("alert", "indicator"),
        "triage_form": TriageForm(
            initial={
                "status": report.status,
                "outcome": report.outcome,
                "assigned_to": report.assigned_to_id,
                "reliability": report.reliability,
                "credibility": report.credibility,
            }
        ),
        "note_form": NoteForm(),
        "feedback_form": FeedbackForm(initial={"message": report.feedback}),
        "notes": report.notes.select_related("author"),
        "observables": Sighting.objects.filter(origin=origin)
        .select_related("observable")
        .order_by("observable__kind"),
        "related": Report.objects.filter(origin__sightings__observable__sightings__origin=origin)
        .exclude(pk=report.pk)
        .select_related("office")
        .distinct()[:20],
        "trail": LedgerEntry.objects.about(report).order_by("id"),
    }


def _age_days(report: Report) -> int:
    return (timezone.now() - report.created_at).days


def _channel_words(report: Report) -> str:
    return f"{report.get_channel_display()} / {report.get_persona_display()}"


QUEUE = Queue(
    name="approaches",
    url_name="approaches:queue",
    columns=(
        Column("reference", "Reference", cell=lambda r: r.reference),
        Column(
            "received",
            "Received",
            ("created_at",),
            cell=lambda r: timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
        ),
        Column("age", "Age (days)", cell=_age_days, shown=False),
        Column("office", "Office", ("office__name",), cell=lambda r: r.office or ""),
        Column("channel", "Channel / persona", ("channel", "persona"), cell=_channel_words),
        Column(
            "name",
            "Name and organisation given",
            ("approacher_name",),
            cell=lambda r: r.approacher_name,
        ),
        Column(
            "organisation",
            "Organisation given",
            cell=lambda r: r.approacher_organisation,
            shown=False,
        ),
        Column("status", "Status", ("status",), cell=lambda r: r.get_status_display()),
        Column("matched", "Matches an alert", cell=lambda r: "yes" if r.matched else "no"),
        Column(
            "assigned",
            "Assigned",
            ("assigned_to__person__full_name", "assigned_to__email"),
            cell=lambda r: r.assigned_to or "",
        ),
        Column("campaign", "Campaign", cell=lambda r: r.campaign.name if r.campaign else ""),
    ),
    default_sort="-received",
    search_column="search_text",
    filter_keys=("status", "channel", "persona", "assigned", "matched"),
)


def _queue_rows(request: AuthenticatedHttpRequest) -> tuple[Any, QueueFilterForm, str]:
    form = QueueFilterForm(request.GET)
    reports = (
        Report.objects.visible_to(request.user)
        .select_related("office", "assigned_to__person", "origin__campaign")
        .annotate(matched=Exists(Match.objects.filter(origin=OuterRef("origin"))))
    )
    if form.is_valid():
        reports = _filter(reports, form.cleaned_data, request.user)
    sort = QUEUE.sort_key(request.GET.get("sort"))
    return QUEUE.ordered(reports, sort), form, sort


@requires(SECURITY_TEAM)
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    reports, form, sort = _queue_rows(request)
    page = CappedPaginator(reports).get_page(request.GET.get("page"))
    return render(
        request,
        "approaches/queue.html",
        {
            "form": form,
            "page": page,
            "headings": QUEUE.headings(request, sort),
            "bulk_form": BulkTriageForm(),
            "saved": SavedFilter.objects.visible_to(request.user).filter(queue=QUEUE.name),
            "kept_query": QUEUE.kept_query(request.GET),
            "queue_name": QUEUE.name,
        },
    )


@requires(SECURITY_TEAM)
def queue_export(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    reports, _form, _sort = _queue_rows(request)
    stamp = timezone.localdate().isoformat()
    return QUEUE.csv_response(
        reports.iterator(chunk_size=2000), filename=f"approach-reports-{stamp}.csv"
    )


@require_POST
@requires(SECURITY_TEAM)
def queue_bulk(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = BulkTriageForm(request.POST)
    back = QUEUE.back_from(request)
    if not form.is_valid():
        messages.error(request, "Nothing changed: " + "; ".join(form.error_sentences()))
        return redirect(back)
    data = form.cleaned_data
    ids = valid_uuids(data["selected"])
    reports = list(Report.objects.visible_to(request.user).filter(public_id__in=ids))
    try:
        changed = services.triage_many(
            reports=reports,
            actor=request.user,
            assigned_to=data["assigned_to"] if data["action"] == "assign" else None,
            unassign=data["action"] == "unassign",
            close_outcome=data["outcome"] if data["action"] == "close" else "",
        )
    except services.ReportError as exc:
        messages.error(request, f"Nothing changed: {exc}")
    else:
        messages.success(request, f"{changed} report{pluralize(changed)} changed.")
    return redirect(back)


def _filter(reports: Any, data: dict[str, Any], user: User) -> Any:
    status = data.get("status")
    if not status:
        reports = reports.exclude(status=Report.Status.CLOSED)
    elif status != "all":
        reports = reports.filter(status=status)
    for name in ("channel", "persona"):
        if data.get(name):
            reports = reports.filter(**{name: data[name]})
    if data.get("assigned") == "me":
        reports = reports.filter(assigned_to=user)
    elif data.get("assigned") == "nobody":
        reports = reports.filter(assigned_to__isnull=True)
    if data.get("matched"):
        reports = reports.filter(matched=True)
    if data.get("q"):
        reports = _search(reports, data["q"])
    return reports


def _search(reports: Any, text: str) -> Any:
    """A reference (R-1A2B3C4D) finds its report; anything else searches the report's words."""
    reference = text.strip().upper()
    if reference.startswith("R-") and 3 <= len(reference) <= 10:
        digits = reference[2:].lower()
        if all(c in "0123456789abcdef" for c in digits):
            return reports.filter(public_id__istartswith=digits)
    return QUEUE.searched(reports, text)


@require_POST
@requires(SECURITY_TEAM)
def triage(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    report = _visible_report(request, public_id)
    form = TriageForm(request.POST)
    if form.is_valid():
        try:
            services.triage_report(report=report, actor=request.user, **form.cleaned_data)
        except services.ReportError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Triage saved.")
    else:
        messages.error(request, "Triage not saved: " + "; ".join(form.error_sentences()))
    return redirect(report)


@require_POST
@requires(SECURITY_TEAM)
def note(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    report = _visible_report(request, public_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_note(report=report, actor=request.user, text=form.cleaned_data["text"])
        messages.success(request, "Note added.")
    else:
        messages.error(request, "Note not added: " + "; ".join(form.error_sentences()))
    return redirect(report)


@require_POST
@requires(SECURITY_TEAM)
def feedback(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    report = _visible_report(request, public_id)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        services.send_feedback(
            report=report, actor=request.user, message=form.cleaned_data["message"]
        )
        messages.success(request, "The reporter has been told there is a reply.")
    else:
        messages.error(request, "Message not sent: " + "; ".join(form.error_sentences()))
    return redirect(report)


def evidence_download(
    request: AuthenticatedHttpRequest, public_id: Any, evidence_id: Any
) -> FileResponse:
    report = _visible_report(request, public_id)
    item = get_object_or_404(Evidence, report=report, public_id=evidence_id)
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
