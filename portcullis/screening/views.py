"""Screening pages: screen a subject, see and decide on results, monitoring, batch screening.
List pages are in `list_views.py`. Security officers see everything; party compliance officers
their own party's work; everyone else gets 403."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from portcullis.accounts.access import SCREENS, SECURITY_TEAM, AuthenticatedHttpRequest, requires
from portcullis.accounts.models import Organisation, SavedFilter, User
from portcullis.lib.queues import CappedPaginator, Column, Queue
from portcullis.lib.uploads import upload_limit
from portcullis.screening.batch import MAX_BYTES as MAX_BATCH_BYTES

from . import batch as batches
from . import services
from .forms import BatchDecisionForm, BatchForm, DecisionForm, ScreenForm, ScreeningQueueForm
from .models import (
    BatchHit,
    BatchScreening,
    Decision,
    MonitoredSubject,
    OutcomeChange,
    Screening,
    ScreeningResult,
    stale_sources,
    versions_screened,
)

BATCH_HITS_PER_PAGE = 25
BATCH_PROBLEMS_SHOWN = 500


def parties_of(user: User) -> list[Organisation]:
    """The parties a user works for here; empty for the security team (it works for itself)."""
    if SECURITY_TEAM(user):
        return []
    return list(Organisation.objects.filter(pk__in=user.scope.party_ids).order_by("name"))


def party_for(user: User, form: Any) -> Organisation | None:
    parties = parties_of(user)
    if not parties:
        return None
    return form.cleaned_data.get("party") or parties[0]


@requires(SCREENS)
def screen(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    parties = parties_of(user)
    form = ScreenForm(request.POST or None, parties=parties)
    if request.method == "POST" and form.is_valid():
        screening = services.screen_subject(
            subject=form.query(),
            actor=user,
            purpose=form.cleaned_data["purpose"],
            party=party_for(user, form),
            trigger=Screening.Trigger.PAGE,
        )
        if form.cleaned_data["monitor"]:
            services.monitor_subject(
                subject=screening.subject,
                owner=user,
                purpose=screening.purpose,
                actor=user,
            )
        return redirect("screening:screening-detail", screening.public_id)
    recent = Screening.objects.visible_to(user).select_related("subject", "party")[:10]
    return render(
        request,
        "screening/screen.html",
        {"form": form, "recent": recent, "stale": stale_sources()},
    )


@requires(SCREENS)
def screenings(request: AuthenticatedHttpRequest) -> HttpResponse:
    found, form, sort = _screening_rows(request)
    page = CappedPaginator(found).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/screenings.html",
        {
            "page": page,
            "form": form,
            "headings": SCREENINGS.headings(request, sort),
            "saved": SavedFilter.objects.visible_to(request.user).filter(queue=SCREENINGS.name),
            "kept_query": SCREENINGS.kept_query(request.GET),
            "queue_name": SCREENINGS.name,
        },
    )


@requires(SCREENS)
def screenings_export(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    found, _form, _sort = _screening_rows(request)
    stamp = timezone.localdate().isoformat()
    return SCREENINGS.csv_response(
        found.iterator(chunk_size=2000), filename=f"screenings-{stamp}.csv"
    )


def _outcome_words(screening: Screening) -> str:
    if screening.new_hit_count:
        return f"{screening.new_hit_count} to review"
    if screening.hit_count:
        return f"{screening.hit_count} confirmed"
    return "No open hits"


SCREENINGS = Queue(
    name="screenings",
    url_name="screening:screenings",
    columns=(
        Column("subject", "Subject", ("subject__name",), cell=lambda s: s.subject.name),
        # Second, so that a phone shows it without scrolling the table sideways.
        Column("outcome", "Outcome", ("new_hit_count", "hit_count"), cell=_outcome_words),
        Column("purpose", "Purpose", ("purpose",), cell=lambda s: s.purpose),
        Column("party", "For", ("party__name",), cell=lambda s: s.party or "Security team"),
        Column(
            "when",
            "When",
            ("created_at",),
            cell=lambda s: timezone.localtime(s.created_at).strftime("%Y-%m-%d %H:%M"),
        ),
    ),
    default_sort="-when",
    search_fields=("subject__name", "purpose"),
    filter_keys=("outcome", "trigger"),
)


def _screening_rows(request: AuthenticatedHttpRequest) -> tuple[Any, ScreeningQueueForm, str]:
    form = ScreeningQueueForm(request.GET)
    found = Screening.objects.visible_to(request.user).select_related("subject", "party", "actor")
    if form.is_valid():
        data = form.cleaned_data
        outcome = data.get("outcome")
        if outcome == "review":
            found = found.filter(new_hit_count__gt=0)
        elif outcome == "confirmed":
            found = found.filter(new_hit_count=0, hit_count__gt=0)
        elif outcome == "clear":
            found = found.filter(hit_count=0)
        if data.get("trigger"):
            found = found.filter(trigger=data["trigger"])
        found = SCREENINGS.searched(found, data.get("q") or "")
    sort = SCREENINGS.sort_key(request.GET.get("sort"))
    return SCREENINGS.ordered(found, sort), form, sort


@requires(SCREENS)
def screening_detail(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    user = request.user
    screening = get_object_or_404(
        Screening.objects.visible_to(user).select_related("subject", "party", "actor"),
        public_id=public_id,
    )
    results = screening.results.select_related(
        "source",
        "list_version",
        "entity",
        "prior_decision__decided_by",
        "prior_decision__confirmed_by",
    )
    return render(
        request,
        "screening/screening_detail.html",
        {
            "screening": screening,
            "hits": [r for r in results if r.is_match],
            "near_misses": [r for r in results if not r.is_match],
            "decision_form": DecisionForm(),
            "confirms": SECURITY_TEAM(user),  # four eyes: a second security officer confirms
            "lists": versions_screened(screening.versions),
            "monitored": MonitoredSubject.objects.filter(
                subject=screening.subject, is_active=True
            ).first(),
        },
    )


@require_POST
@requires(SCREENS)
def decide(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    user = request.user
    result = get_object_or_404(
        ScreeningResult.objects.visible_to(user).select_related("screening", "entity", "source"),
        public_id=public_id,
    )
    form = DecisionForm(request.POST)
    if form.is_valid():
        services.record_decision(
            result=result,
            verdict=form.cleaned_data["verdict"],
            reason=form.cleaned_data["reason"],
            actor=user,
        )
        messages.success(request, f"Decision recorded for {result.caption}.")
    else:
        messages.error(request, "Choose true or false match and give a reason.")
    return redirect("screening:screening-detail", result.screening.public_id)


@require_POST
@requires(SCREENS)
def confirm_decision(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """Four eyes: a second security officer confirms a true match. Anyone else: 404."""
    user = request.user
    if not SECURITY_TEAM(user):
        raise Http404
    decision = get_object_or_404(
        Decision.objects.visible_to(user).filter(awaiting_second=True).select_related("result"),
        public_id=public_id,
    )
    try:
        services.confirm_decision(decision=decision, actor=user)
    except services.ScreeningError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"True match confirmed: {decision.result.caption}.")
    return redirect("screening:screening-detail", decision.result.screening.public_id)


@require_POST
@requires(SCREENS)
def monitor(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    user = request.user
    screening = get_object_or_404(Screening.objects.visible_to(user), public_id=public_id)
    services.monitor_subject(
        subject=screening.subject, owner=user, purpose=screening.purpose, actor=user
    )
    messages.success(request, f"{screening.subject.name} is monitored; you will hear of changes.")
    return redirect("screening:screening-detail", screening.public_id)


# --- monitoring ---------------------------------------------------------------------------------


@requires(SCREENS)
def monitoring(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    monitored = (
        MonitoredSubject.objects.visible_to(user)
        .filter(is_active=True)
        .select_related("subject", "owner__person", "last_screening")
    )
    changes = OutcomeChange.objects.visible_to(user).select_related(
        "monitored__subject", "source", "screening"
    )[:100]
    return render(
        request, "screening/monitoring.html", {"monitored": monitored, "changes": changes}
    )


@require_POST
@requires(SCREENS)
def stop_monitoring(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    user = request.user
    monitored = get_object_or_404(MonitoredSubject.objects.visible_to(user), public_id=public_id)
    services.stop_monitoring(monitored=monitored, actor=user)
    messages.success(request, f"Monitoring of {monitored.subject.name} stopped.")
    return redirect("screening:monitoring")


@require_POST
@requires(SCREENS)
def acknowledge(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    user = request.user
    change = get_object_or_404(OutcomeChange.objects.visible_to(user), public_id=public_id)
    services.acknowledge_change(change=change, actor=user)
    return redirect("screening:monitoring")


# --- batches ------------------------------------------------------------------------------------


@upload_limit(MAX_BATCH_BYTES)
@requires(SCREENS)
def batch_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = BatchForm(request.POST or None, request.FILES or None, parties=parties_of(user))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = batches.start_batch(
            upload=upload,
            file_name=upload.name,
            purpose=form.cleaned_data["purpose"],
            party=party_for(user, form),
            actor=user,
        )
        return redirect("screening:batch-detail", batch.public_id)
    found = BatchScreening.objects.visible_to(user).select_related("created_by")[:50]
    return render(request, "screening/batches.html", {"form": form, "batches": found})


@requires(SCREENS)
def batch_detail(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    user = request.user
    batch = get_object_or_404(BatchScreening.objects.visible_to(user), public_id=public_id)
    if request.htmx:
        return render(request, "screening/_batch_progress.html", {"batch": batch})
    hits = batch.hits.select_related("source", "decided_by__person")
    page = CappedPaginator(hits, BATCH_HITS_PER_PAGE).get_page(request.GET.get("page"))
    forms = [(hit, BatchDecisionForm(auto_id=f"hit-{hit.pk}-%s")) for hit in page]
    problems = batch.problems.all()
    context = {
        "batch": batch,
        "page": page,
        "hits": forms,
        "problems": problems[:BATCH_PROBLEMS_SHOWN],
        "problem_count": problems.count(),
        "problems_shown": BATCH_PROBLEMS_SHOWN,
    }
    return render(request, "screening/batch_detail.html", context)


@require_POST
@requires(SCREENS)
def batch_decide(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    user = request.user
    hit = get_object_or_404(
        BatchHit.objects.visible_to(user).select_related("batch"), public_id=public_id
    )
    form = BatchDecisionForm(request.POST, auto_id=f"hit-{hit.pk}-%s")
    if form.is_valid():
        batches.decide_hit(
            hit=hit,
            verdict=form.cleaned_data["verdict"],
            reason=form.cleaned_data["reason"],
            actor=user,
        )
        messages.success(request, f"Decision recorded for row {hit.row}: {hit.caption}.")
    else:
        messages.error(request, f"Row {hit.row}: choose a decision and give the reason.")
    url = reverse("screening:batch-detail", args=[hit.batch.public_id])
    return redirect(f"{url}?page={request.POST.get('page', '1')}#hit-{hit.public_id}")


@requires(SCREENS)
def batch_result(request: AuthenticatedHttpRequest, public_id: str) -> FileResponse:
    user = request.user
    batch = get_object_or_404(BatchScreening.objects.visible_to(user), public_id=public_id)
    if not batch.result:
        raise Http404
    name = f"screening-{batch.file_name.rsplit('.', 1)[0]}.csv"
    return FileResponse(
        batch.result.open("rb"), as_attachment=True, filename=name, content_type="text/csv"
    )
