"""Alert pages (everyone reads what TLP allows; security writes) and campaign pages (security)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.db.models import Case, Count, Q, When
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portcullis.accounts.access import SECURITY_TEAM, AuthenticatedHttpRequest, requires
from portcullis.accounts.models import SavedFilter
from portcullis.lib.charts import Graph, graph_svg
from portcullis.lib.queues import CappedPaginator, Column, Queue
from portcullis.lib.uploads import upload_limit

from . import services, stix
from .forms import (
    AlertForm,
    AlertQueueForm,
    CampaignForm,
    MergeForm,
    SplitForm,
    StixUploadForm,
    indicator_initial,
    initial_for,
)
from .models import Alert, AlertDelivery, Campaign, Observable, Origin, Sighting
from .tlp import MEANING, Tlp


def _alert(request: AuthenticatedHttpRequest, public_id: Any) -> Alert:
    return get_object_or_404(Alert.objects.visible_to(request.user), public_id=public_id)


def _campaign(request: AuthenticatedHttpRequest, public_id: Any) -> Campaign:
    return get_object_or_404(Campaign.objects.visible_to(request.user), public_id=public_id)


def _severity_rank() -> Case:
    ranks = {s: n for n, s in enumerate(Alert.Severity.values)}
    return Case(*(When(severity=s, then=n) for s, n in ranks.items()), default=0)


def _read_words(alert: Any) -> str:  # annotated by `with_delivery_figures`
    if alert.status == Alert.Status.DRAFT:
        return ""
    return f"{alert.acknowledgements} of {alert.notified}"


ALERTS = Queue(
    name="alerts",
    url_name="intel:alerts",
    columns=(
        Column(
            "alert",
            "Alert",
            ("reference",),
            cell=lambda a: f"{a.reference}: {a.title}",
        ),
        Column("tlp", "TLP", ("tlp",), cell=lambda a: a.get_tlp_display()),
        Column("severity", "Severity", ("severity_rank",), cell=lambda a: a.get_severity_display()),
        Column("status", "Status", ("status",), cell=lambda a: a.get_status_display()),
        Column(
            "published",
            "Published",
            ("published_at",),
            cell=lambda a: a.published_at.date().isoformat() if a.published_at else "",
        ),
        Column(
            "expires",
            "Expires",
            ("expires_on",),
            cell=lambda a: a.expires_on.isoformat() if a.expires_on else "",
            shown=False,
        ),
        Column("read", "Read", (), cell=_read_words),
    ),
    default_sort="-published",
    search_fields=("reference", "title", "summary"),
    filter_keys=("status", "severity", "state"),
)


def _alert_rows(request: AuthenticatedHttpRequest) -> tuple[Any, AlertQueueForm, str]:
    user = request.user
    security = SECURITY_TEAM(user)
    form = AlertQueueForm(request.GET, security=security)
    found: Any = Alert.objects.visible_to(user)
    if not security:
        found = found.published()
    found = found.with_delivery_figures(user.person_id).annotate(severity_rank=_severity_rank())
    if form.is_valid():
        data = form.cleaned_data
        today = timezone.localdate()
        if data.get("status"):
            found = found.filter(status=data["status"])
        if data.get("severity"):
            found = found.filter(severity=data["severity"])
        state = data.get("state")
        if state == "in_force":
            found = found.filter(pk__in=Alert.objects.in_force(today).values("pk"))
        elif state == "expired":
            found = found.filter(expires_on__lt=today)
        elif state == "review":
            found = found.filter(review_on__lte=today)
        found = ALERTS.searched(found, data.get("q") or "")
    sort = ALERTS.sort_key(request.GET.get("sort"))
    return ALERTS.ordered(found, sort), form, sort


def alerts(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The alerts a person may read, searchable and sortable; the security team also filters by
    status, sees how many have read each, and keeps saved filters and a CSV export."""
    found, form, sort = _alert_rows(request)
    security = SECURITY_TEAM(request.user)
    page = CappedPaginator(found).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "page": page,
        "form": form,
        "headings": [h for h in ALERTS.headings(request, sort) if security or h["key"] != "read"],
        "security": security,
        "today": timezone.localdate(),
    }
    if security:
        context |= {
            "saved": SavedFilter.objects.visible_to(request.user).filter(queue=ALERTS.name),
            "kept_query": ALERTS.kept_query(request.GET),
            "queue_name": ALERTS.name,
        }
    return render(request, "intel/alerts.html", context)


@requires(SECURITY_TEAM)
def alerts_export(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    found, _form, _sort = _alert_rows(request)
    stamp = timezone.localdate().isoformat()
    return ALERTS.csv_response(found.iterator(chunk_size=2000), filename=f"alerts-{stamp}.csv")


def alert_detail(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    user = request.user
    alert = _alert(request, public_id)
    delivery = AlertDelivery.objects.filter(alert=alert, person_id=user.person_id or 0).first()
    context: dict[str, Any] = {
        "alert": alert,
        "tlp_meaning": MEANING[Tlp(alert.tlp)],
        "indicators": alert.indicators.select_related("observable"),
        "acknowledged": bool(delivery and delivery.acknowledged_at),
        "is_security": SECURITY_TEAM(user),
        "expired": alert.is_expired(timezone.localdate()),
        "due_for_review": alert.is_due_for_review(timezone.localdate()),
    }
    if SECURITY_TEAM(user):
        deliveries = AlertDelivery.objects.filter(alert=alert)
        context |= {
            "problems": services.problems(alert) if alert.status == Alert.Status.DRAFT else [],
            "delivered": deliveries.count(),
            "acknowledgements": deliveries.filter(acknowledged_at__isnull=False).count(),
            "unread": deliveries.filter(acknowledged_at__isnull=True)
            .select_related("person")
            .order_by("person__full_name"),
            "read": deliveries.filter(acknowledged_at__isnull=False)
            .select_related("person")
            .order_by("person__full_name"),
            "offices": alert.offices.all(),
            "parties": alert.parties.all(),
            "recipients": alert.recipients.all(),
        }
    return render(request, "intel/alert_detail.html", context)


@requires(SECURITY_TEAM)
def alert_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    origin = _origin(request)
    if request.method == "POST":
        form = AlertForm(request.POST)
        if form.is_valid():
            try:
                alert = services.create_alert(
                    data=form.alert_input(),
                    actor=request.user,
                    source=origin["source"],
                    campaign=origin["campaign"],
                    origin=origin["ledger"],
                )
            except services.AlertError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Draft {alert.reference} saved. Check it, then publish.")
                return redirect(alert)
    else:
        form = AlertForm(initial=origin["initial"])
    return render(request, "intel/alert_form.html", {"form": form, "alert": None})


def _origin(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    """A new alert may start from an origin (a report, an e-mail) or a campaign
    (?origin=… / ?campaign=…)."""
    params = request.GET
    result: dict[str, Any] = {
        "source": Alert.Source.MANUAL,
        "campaign": None,
        "initial": {},
        "ledger": {},
    }
    origins: list[Origin] = []
    if params.get("origin"):
        origin = get_object_or_404(
            Origin.objects.visible_to(request.user), public_id=params["origin"]
        )
        origins = [origin]
        result |= {"source": Alert.Source.REPORT, "campaign": origin.campaign}
        result["ledger"] = {"origin": origin.label}
        result["initial"] = {"title": f"Raised from {origin.label}"[:200]}
    elif params.get("campaign"):
        campaign = _campaign(request, params["campaign"])
        origins = list(campaign.origins.all())
        result |= {"source": Alert.Source.CAMPAIGN, "campaign": campaign}
        result["ledger"] = {"campaign": str(campaign.public_id)}
        result["initial"] = {"title": campaign.name, "summary": campaign.summary}
    result["initial"] |= indicator_initial(services.indicators_from_origins(origins))
    return result


@requires(SECURITY_TEAM)
def alert_edit(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    alert = _alert(request, public_id)
    if request.method == "POST":
        form = AlertForm(request.POST)
        if form.is_valid():
            try:
                services.update_alert(alert=alert, data=form.alert_input(), actor=request.user)
            except services.AlertError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"{alert.reference} saved.")
                return redirect(alert)
    else:
        form = AlertForm(initial=initial_for(alert))
    return render(request, "intel/alert_form.html", {"form": form, "alert": alert})


@require_POST
@requires(SECURITY_TEAM)
def alert_publish(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    alert = _alert(request, public_id)
    try:
        services.publish_alert(alert=alert, actor=request.user)
    except services.AlertError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{alert.reference} published; its audience is being told.")
    return redirect(alert)


@require_POST
@requires(SECURITY_TEAM)
def alert_remind(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    alert = _alert(request, public_id)
    try:
        count = services.remind_unread(alert=alert, actor=request.user)
    except services.AlertError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"Reminder sent to {count} {'person' if count == 1 else 'people'}."
        )
    return redirect(alert)


@require_POST
@requires(SECURITY_TEAM)
def alert_withdraw(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    alert = _alert(request, public_id)
    services.withdraw_alert(alert=alert, actor=request.user)
    messages.success(request, f"{alert.reference} withdrawn.")
    return redirect(alert)


@require_POST
def alert_acknowledge(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    alert = _alert(request, public_id)
    try:
        services.acknowledge_alert(alert=alert, actor=request.user)
    except services.AlertError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Thank you. {alert.reference} is marked as read.")
    if request.POST.get("next") == "dashboard":
        return redirect("dashboard")
    return redirect(alert)


def _json_download(bundle: dict[str, Any], filename: str) -> HttpResponse:
    response = HttpResponse(json.dumps(bundle, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def alert_stix(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    alert = _alert(request, public_id)
    bundle = stix.export_alert(alert, reader=request.user)
    return _json_download(bundle, f"{alert.reference}.stix.json")


@upload_limit(stix.MAX_BUNDLE_BYTES)
@requires(SECURITY_TEAM)
def alert_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = StixUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            alert, skipped = stix.import_alert(data=form.cleaned_data["bundle"], actor=request.user)
        except stix.StixError as exc:
            form.add_error("bundle", str(exc))
        else:
            for line in skipped[:20]:
                messages.warning(request, f"Not imported: {line}")
            if len(skipped) > 20:
                messages.warning(
                    request,
                    f"{len(skipped) - 20} more objects not imported (listed in the ledger).",
                )
            messages.success(
                request, f"Imported as draft {alert.reference}. Check it, then publish."
            )
            return redirect(alert)
    return render(request, "intel/alert_import.html", {"form": form})


@requires(SECURITY_TEAM)
def campaigns(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = (
        Campaign.objects.visible_to(request.user)
        .live()
        .annotate(
            report_count=Count("origins", distinct=True),
            office_count=Count("origins__office", distinct=True),
        )
    )
    return render(request, "intel/campaigns.html", {"campaigns": rows})


# The graph draws at most this many reports and shared observables (the table lists the same).
MOST_GRAPH_NODES = 30


@requires(SECURITY_TEAM)
def campaign_detail(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    campaign = _campaign(request, public_id)
    origins = list(campaign.origins.select_related("office"))
    shared = (
        Observable.objects.filter(sightings__origin__campaign=campaign)
        .annotate(reports=Count("sightings__origin", distinct=True))
        .filter(reports__gte=2)
        .order_by("-reports", "kind")
    )
    kinds: dict[str, int] = {}
    for origin in origins:
        kinds[origin.category] = kinds.get(origin.category, 0) + 1
    offices = sorted({o.office.name for o in origins if o.office})
    shared_rows = list(shared[:MOST_GRAPH_NODES])
    links = (
        Sighting.objects.filter(
            origin__campaign=campaign, observable__in=[o.pk for o in shared_rows]
        )
        .values_list("origin_id", "observable_id")
        .distinct()
    )
    edges = sorted({(str(a), str(b)) for a, b in links})
    linked = {a for a, _ in edges}
    graph = Graph(
        key="campaign-graph",
        title=f"Reports of {campaign.name} and what they share",
        description=f"{len(linked)} reports linked through {len(shared_rows)} shared "
        f"observables by {len(edges)} sightings; the table below lists each link.",
        left=tuple((str(o.pk), o.label) for o in origins if str(o.pk) in linked)[:MOST_GRAPH_NODES],
        right=tuple((str(o.pk), o.display) for o in shared_rows),
        edges=tuple(edges),
        left_heading="Reports",
        right_heading="Shared",
    )
    labels = {str(o.pk): o for o in origins}
    shared_with = [
        (o, [labels[a] for a, b in edges if b == str(o.pk) and a in labels]) for o in shared_rows
    ]
    matched = (
        Alert.objects.filter(matches__origin__campaign=campaign)
        .distinct()
        .order_by("-published_at", "reference")
    )
    context = {
        "campaign": campaign,
        "origins": origins,
        "shared": shared_rows,
        "shared_with": shared_with,
        "graph": graph,
        "graph_svg": graph_svg(graph) if edges else "",
        "matched": matched,
        "campaign_form": CampaignForm(instance=campaign),
        "kinds": sorted(kinds.items(), key=lambda p: -p[1]),
        "offices": offices,
        "alerts": campaign.alerts.all(),
        "merge_form": MergeForm(),
        "split_form": SplitForm(choices=[(str(o.public_id), o.label) for o in origins]),
        "others": Campaign.objects.live().exclude(pk=campaign.pk).filter(~Q(status="merged")),
    }
    return render(request, "intel/campaign_detail.html", context)


@require_POST
@requires(SECURITY_TEAM)
def campaign_update(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    campaign = _campaign(request, public_id)
    form = CampaignForm(request.POST, instance=Campaign.objects.get(pk=campaign.pk))
    if form.is_valid():
        try:
            services.update_campaign(
                campaign=campaign,
                actor=request.user,
                status=form.cleaned_data["status"],
                owner=form.cleaned_data["owner"],
                summary=form.cleaned_data["summary"],
            )
        except services.AlertError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Campaign saved.")
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(campaign)


@require_POST
@requires(SECURITY_TEAM)
def campaign_merge(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    source = _campaign(request, public_id)
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the campaign to merge into.")
        return redirect(source)
    target = _campaign(request, form.cleaned_data["target"])
    try:
        services.merge_campaigns(source=source, target=target, actor=request.user)
    except services.AlertError as exc:
        messages.error(request, str(exc))
        return redirect(source)
    messages.success(request, f"Merged into {target.name}.")
    return redirect(target)


@require_POST
@requires(SECURITY_TEAM)
def campaign_split(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    campaign = _campaign(request, public_id)
    origins = list(campaign.origins.all())
    form = SplitForm(request.POST, choices=[(str(o.public_id), o.label) for o in origins])
    if not form.is_valid():
        messages.error(request, "Choose the reports to move and name the new campaign.")
        return redirect(campaign)
    chosen = [o for o in origins if str(o.public_id) in form.cleaned_data["reports"]]
    new = services.split_campaign(
        campaign=campaign,
        origins=chosen,
        name=form.cleaned_data["name"],
        actor=request.user,
    )
    messages.success(request, f"{len(chosen)} report(s) moved to {new.name}.")
    return redirect(new)


@requires(SECURITY_TEAM)
def campaign_stix(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    campaign = _campaign(request, public_id)
    return _json_download(
        stix.export_campaign(campaign), f"campaign-{campaign.public_id}.stix.json"
    )
