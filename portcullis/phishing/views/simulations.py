"""Simulation pages. Everything here is for the security team, except the results page, which
office managers may open for the campaigns that tested their office (their aggregate only)."""

from __future__ import annotations

from typing import Any

from csp.decorators import csp_replace
from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from portcullis.accounts.access import (
    MANAGES_AN_OFFICE,
    SECURITY_TEAM,
    AuthenticatedHttpRequest,
    check,
    requires,
)
from portcullis.accounts.models import Person
from portcullis.lib.ids import valid_uuids
from portcullis.lib.queues import csv_download
from portcullis.lib.uploads import upload_limit
from portcullis.phishing.models.reports import MAX_RAW_BYTES

from .. import authoring, results
from ..forms import (
    AuthorisationForm,
    CampaignForm,
    DoNotTestForm,
    LandingPageForm,
    LureForm,
    LureImportForm,
    LureTestForm,
    SendingProfileForm,
)
from ..models import (
    DoNotTest,
    EmailTemplate,
    Event,
    LandingPage,
    ReportedEmail,
    SendingProfile,
    SimulationCampaign,
    Target,
)
from ..rendering import Recipient
from ..rendering import render as render_lure
from ..services import simulations


def _campaign(request: AuthenticatedHttpRequest, public_id: str) -> SimulationCampaign:
    return get_object_or_404(
        SimulationCampaign.objects.visible_to(request.user), public_id=public_id
    )


@requires(SECURITY_TEAM)
def campaigns(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "phishing/campaigns.html",
        {
            "campaigns": SimulationCampaign.objects.select_related("template", "authorisation"),
            "repeat_clickers": results.repeat_clickers(user=request.user),
        },
    )


@requires(SECURITY_TEAM)
def campaign_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = simulations.create_campaign(actor=request.user, **form.cleaned_data)
        except simulations.SimulationError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("phishing:campaign-authorise", campaign.public_id)
    return render(request, "phishing/campaign_form.html", {"form": form})


def campaign_detail(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    campaign = _campaign(request, public_id)
    check(request, SECURITY_TEAM)
    targets = (
        Target.objects.visible_to(request.user)
        .filter(campaign=campaign)
        .select_related("person", "office")
        .prefetch_related(Prefetch("events", queryset=Event.objects.order_by("at", "pk")))
    )
    context: dict[str, Any] = {
        "campaign": campaign,
        "authorisation": campaign.authorisation_or_none,
        "targets": targets,
        "overall": results.overall(targets),
    }
    if campaign.status == SimulationCampaign.Status.DRAFT:
        candidates, skipped = simulations.choose_targets(campaign, timezone.localdate())
        people = Person.objects.in_bulk([c.person_id for c in candidates[:REVIEW_ROWS]])
        context |= {
            "candidates": [(people[c.person_id], c) for c in candidates[:REVIEW_ROWS]],
            "candidate_count": len(candidates),
            "do_not_test_skipped": skipped,
            "excluded": campaign.excluded_people.order_by("full_name"),
            "review_rows": REVIEW_ROWS,
        }
    return render(request, "phishing/campaign_detail.html", context)


REVIEW_ROWS = 500


@require_POST
def campaign_targets(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """Take people off a draft campaign's list, or put them back."""
    campaign = _campaign(request, public_id)
    check(request, SECURITY_TEAM)

    def people(key: str) -> list[Person]:
        ids = valid_uuids(request.POST.getlist(key)[:2000])
        return list(Person.objects.filter(public_id__in=ids))

    remove, restore = people("remove"), people("restore")
    try:
        simulations.trim_targets(
            campaign=campaign, actor=request.user, remove=remove, restore=restore
        )
    except simulations.SimulationError as exc:
        messages.error(request, str(exc))
    else:
        if remove or restore:
            messages.success(
                request,
                f"{len(remove)} taken off the list, {len(restore)} put back.",
            )
        else:
            messages.error(request, "Tick the people to take off the list or put back.")
    return redirect("phishing:campaign-detail", campaign.public_id)


@require_POST
def campaign_pause(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    campaign = _campaign(request, public_id)
    check(request, SECURITY_TEAM)
    try:
        simulations.pause_campaign(campaign=campaign, actor=request.user)
    except simulations.SimulationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Paused: nothing more is sent until you resume.")
    return redirect("phishing:campaign-detail", campaign.public_id)


@require_POST
def campaign_resume(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    campaign = _campaign(request, public_id)
    check(request, SECURITY_TEAM)
    try:
        simulations.resume_campaign(campaign=campaign, actor=request.user, now=timezone.now())
    except simulations.SimulationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Resumed: the unsent have new times in the hours left.")
    return redirect("phishing:campaign-detail", campaign.public_id)


@require_POST
def campaign_test_send(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    campaign = _campaign(request, public_id)
    check(request, SECURITY_TEAM)
    try:
        address = simulations.send_test(campaign=campaign, actor=request.user)
    except simulations.SimulationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"A test copy went to {address} over {campaign.profile}. Nothing is counted."
        )
    return redirect("phishing:campaign-detail", campaign.public_id)


def campaign_authorise(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    campaign = _campaign(request, public_id)
    check(request, SECURITY_TEAM)
    form = AuthorisationForm(request.POST or None, instance=campaign.authorisation_or_none)
    if request.method == "POST" and form.is_valid():
        try:
            simulations.record_authorisation(
                campaign=campaign, actor=request.user, **form.cleaned_data
            )
        except simulations.SimulationError as exc:
            form.add_error(exc.field, str(exc))
        else:
            messages.success(request, "Authorisation recorded.")
            return redirect("phishing:campaign-detail", campaign.public_id)
    return render(request, "phishing/authorisation_form.html", {"form": form, "campaign": campaign})


@require_POST
def campaign_schedule(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    campaign = _campaign(request, public_id)
    check(request, SECURITY_TEAM)
    try:
        targets = simulations.schedule_campaign(
            campaign=campaign, actor=request.user, now=timezone.now()
        )
    except simulations.SimulationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Scheduled: {len(targets)} people will receive the lure.")
    return redirect("phishing:campaign-detail", campaign.public_id)


@require_POST
def campaign_cancel(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    campaign = _campaign(request, public_id)
    check(request, SECURITY_TEAM)
    try:
        simulations.cancel_campaign(campaign=campaign, actor=request.user)
    except simulations.SimulationError as exc:
        messages.error(request, str(exc))
    return redirect("phishing:campaign-detail", campaign.public_id)


def campaign_results(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """Aggregates only; groups under five people are suppressed. Managers: their offices."""
    campaign = _campaign(request, public_id)
    targets = results.campaign_targets(campaign, user=request.user)
    security = SECURITY_TEAM(request.user)
    overall = results.overall(targets)
    return render(
        request,
        "phishing/campaign_results.html",
        {
            "campaign": campaign,
            "security": security,
            "overall": overall,
            "funnel": results.funnel_chart(overall),
            "funnel_sentence": results.funnel_sentence(overall) if overall.sent else "",
            "trend": results.trend_chart(results.trend(user=request.user)),
            "offices": results.group(targets, "office"),
            "houses": results.group(targets, "house") if security else [],
            "min_group": results.MIN_GROUP,
        },
    )


def campaign_results_export(
    request: AuthenticatedHttpRequest, public_id: str
) -> StreamingHttpResponse:
    """The results page's figures as CSV, for the same people and with the same suppression."""
    campaign = _campaign(request, public_id)
    targets = results.campaign_targets(campaign, user=request.user)
    groups = [("All", [results.overall(targets)]), ("Office", results.group(targets, "office"))]
    if SECURITY_TEAM(request.user):
        groups.append(("House", results.group(targets, "house")))
    stamp = timezone.localdate().isoformat()
    return csv_download(
        results.EXPORT_HEADER,
        results.export_rows(groups),
        filename=f"simulation-results-{campaign.public_id}-{stamp}.csv",
    )


@requires(MANAGES_AN_OFFICE)
def my_results(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Where office managers find the campaigns that tested their offices (the security team
    has every campaign under Simulations), with their offices' trend across them."""
    return render(
        request,
        "phishing/results_index.html",
        {
            "campaigns": SimulationCampaign.objects.visible_to(request.user),
            "trend": results.trend_chart(results.trend(user=request.user)),
        },
    )


@requires(SECURITY_TEAM)
def templates(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "phishing/templates.html",
        {"templates": EmailTemplate.objects.select_related("landing_page")},
    )


@require_POST
@requires(SECURITY_TEAM)
def templates_install(request: AuthenticatedHttpRequest) -> HttpResponse:
    added = simulations.install_lure_library(actor=request.user)
    messages.success(request, f"{added} lure(s) added from the standard library.")
    return redirect("phishing:templates")


@requires(SECURITY_TEAM)
def template_detail(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    template = get_object_or_404(EmailTemplate, public_id=public_id)
    subject, text, html = render_lure(template, SAMPLE)
    return render(
        request,
        "phishing/template_detail.html",
        {
            "template": template,
            "attachments": template.attachments.all(),
            "subject": subject,
            "text": text,
            "html": html,
            "test_form": LureTestForm(),
        },
    )


@require_POST
@requires(SECURITY_TEAM)
def template_test_send(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    lure = get_object_or_404(EmailTemplate, public_id=public_id)
    form = LureTestForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.error_sentences()))
        return redirect("phishing:template-detail", lure.public_id)
    profile = form.cleaned_data["profile"]
    try:
        address = simulations.send_lure_test(lure=lure, profile=profile, actor=request.user)
    except simulations.SimulationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"A test copy went to {address} over {profile}.")
    return redirect("phishing:template-detail", lure.public_id)


SAMPLE = Recipient("Alex Example", "the Office of Sam Example MP", "x" * 24)


@upload_limit(MAX_RAW_BYTES)
@requires(SECURITY_TEAM)
def template_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Write a lure, or start one from a reported e-mail (uploaded, or one in the queue)."""
    return _lure_form(request, None)


@upload_limit(MAX_RAW_BYTES)
@requires(SECURITY_TEAM)
def template_edit(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    return _lure_form(request, get_object_or_404(EmailTemplate, public_id=public_id))


def _lure_form(request: AuthenticatedHttpRequest, lure: EmailTemplate | None) -> HttpResponse:
    import_form = LureImportForm()
    notes: list[str] = []
    form = LureForm(instance=lure)
    if request.method == "POST" and "message" in request.FILES:
        import_form = LureImportForm(request.POST, request.FILES)
        if import_form.is_valid():
            form, notes = _drafted(
                authoring.draft_from_message(import_form.cleaned_data["message"])
            )
    elif request.method == "POST":
        form = LureForm(request.POST, request.FILES, instance=lure)
        if form.is_valid():
            saved = simulations.save_lure(form=form, actor=request.user)
            messages.success(request, "Lure saved. Check the preview before you use it.")
            return redirect("phishing:template-detail", saved.public_id)
    elif lure is None and request.GET.get("report"):
        report = get_object_or_404(
            ReportedEmail.objects.visible_to(request.user), public_id=_uuid_or_404(request)
        )
        form, notes = _drafted(authoring.draft_from_message(bytes(report.raw)))
    return render(
        request,
        "phishing/lure_form.html",
        {"form": form, "import_form": import_form, "lure": lure, "notes": notes},
    )


def _uuid_or_404(request: AuthenticatedHttpRequest) -> str:
    found = valid_uuids([request.GET.get("report", "")])
    if not found:
        raise Http404
    return str(found[0])


def _drafted(draft: authoring.LureDraft) -> tuple[LureForm, list[str]]:
    initial = {
        "name": draft.name,
        "from_name": draft.from_name,
        "subject": draft.subject,
        "text_body": draft.text_body,
        "html_body": draft.html_body,
    }
    notes = [
        *draft.notes,
        "Choose the sender's address, the landing page and what should give it away.",
    ]
    return LureForm(initial=initial), notes


@requires(SECURITY_TEAM)
@xframe_options_sameorigin
@csp_replace(  # type: ignore[arg-type]  # django-csp types views as taking only a request
    {
        "default-src": ["'none'"],
        "script-src": ["'none'"],
        "img-src": ["data:"],
        "style-src": ["'unsafe-inline'"],
        "form-action": ["'none'"],
        "frame-ancestors": ["'self'"],
        "sandbox": True,
    }
)
def template_preview(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """The HTML version for a sample recipient, for the sandboxed frame on the lure's page:
    no script runs and nothing is fetched from elsewhere (the tracking image shows broken)."""
    template = get_object_or_404(EmailTemplate, public_id=public_id)
    _subject, _text, html = render_lure(template, SAMPLE)
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@requires(SECURITY_TEAM)
def landing_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _landing_form(request, None)


@requires(SECURITY_TEAM)
def landing_edit(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    return _landing_form(request, get_object_or_404(LandingPage, public_id=public_id))


def _landing_form(request: AuthenticatedHttpRequest, page: LandingPage | None) -> HttpResponse:
    form = LandingPageForm(request.POST or None, instance=page)
    if request.method == "POST" and form.is_valid():
        saved = simulations.save_landing_page(form=form, actor=request.user)
        messages.success(request, "Landing page saved.")
        return redirect("phishing:landing-edit", saved.public_id)
    steps = [
        ("confirm", "1. The confirming step"),
        ("form", "2. The fields"),
        ("learn", "3. The teaching page"),
    ]
    return render(
        request, "phishing/landing_form.html", {"form": form, "page": page, "steps": steps}
    )


PREVIEW_STEPS = ("confirm", "form", "learn")


@requires(SECURITY_TEAM)
@xframe_options_sameorigin
@csp_replace(  # type: ignore[arg-type]  # django-csp types views as taking only a request
    {
        "default-src": ["'none'"],
        "script-src": ["'none'"],
        "img-src": ["data:"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "form-action": ["'none'"],
        "frame-ancestors": ["'self'"],
        "sandbox": True,
    }
)
def landing_preview(request: AuthenticatedHttpRequest, public_id: str, step: str) -> HttpResponse:
    """One step of the landing page (confirm, the form, or the teaching page) for a sample
    recipient, for the sealed frames on the page's edit page: its buttons go nowhere."""
    page = get_object_or_404(LandingPage, public_id=public_id)
    if step not in PREVIEW_STEPS:
        raise Http404
    lure = EmailTemplate.objects.filter(landing_page=page).first() or EmailTemplate(
        name="Sample", tell_tale_signs=["An outside sender", "Urgency"], landing_page=page
    )
    sample = Target(token="preview", campaign=SimulationCampaign(template=lure))  # noqa: S106
    if step == "learn":
        return render(request, "phishing/landing/learn.html", {"target": sample, "template": lure})
    return render(
        request,
        "phishing/landing/page.html",
        {"target": sample, "page": page, "step": step, "template": lure},
    )


@requires(SECURITY_TEAM)
def do_not_test(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DoNotTestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        simulations.add_do_not_test(
            person=form.cleaned_data["email"],
            reason=form.cleaned_data["reason"],
            until=form.cleaned_data["until"],
            actor=request.user,
        )
        messages.success(request, "Added to the do-not-test list.")
        return redirect("phishing:do-not-test")
    entries = DoNotTest.objects.select_related("person", "added_by")
    return render(request, "phishing/do_not_test.html", {"form": form, "entries": entries})


@require_POST
@requires(SECURITY_TEAM)
def do_not_test_remove(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    entry = get_object_or_404(DoNotTest, public_id=public_id)
    simulations.remove_do_not_test(entry=entry, actor=request.user)
    messages.success(request, f"{entry.person} removed from the do-not-test list.")
    return redirect("phishing:do-not-test")


@requires(SECURITY_TEAM)
def profiles(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _profile_form(request, None)


@requires(SECURITY_TEAM)
def profile_edit(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    return _profile_form(request, get_object_or_404(SendingProfile, public_id=public_id))


def _profile_form(
    request: AuthenticatedHttpRequest, profile: SendingProfile | None
) -> HttpResponse:
    form = SendingProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        simulations.save_sending_profile(form=form, actor=request.user)
        messages.success(request, "Sending profile saved.")
        return redirect("phishing:profiles")
    return render(
        request,
        "phishing/profiles.html",
        {"form": form, "profile": profile, "profiles": SendingProfile.objects.all()},
    )


@require_POST
@requires(SECURITY_TEAM)
def profile_test(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    profile = get_object_or_404(SendingProfile, public_id=public_id)
    try:
        address = simulations.send_profile_test(profile=profile, actor=request.user)
    except simulations.SimulationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"A test e-mail went to {address} over {profile}.")
    return redirect("phishing:profiles")
