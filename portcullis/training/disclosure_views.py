"""Pages for the disclosure list: officers run the steps; anyone signed in reads what is published;
the person named appeals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portcullis.accounts.access import SECURITY_TEAM, AuthenticatedHttpRequest, requires
from portcullis.lib import pdffonts

from . import disclosure as steps
from . import documents
from .forms import AppealDecisionForm, AppealForm, NoticeForm
from .models import DisclosureEntry, DisclosureList
from .services import TrainingError


@requires(SECURITY_TEAM)
def lists(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request, "training/disclosure_lists.html", {"lists": DisclosureList.objects.all()}
    )


@require_POST
@requires(SECURITY_TEAM)
def draft(request: AuthenticatedHttpRequest) -> HttpResponse:
    actor = request.user
    lst = steps.draft_disclosure_list(actor=actor, today=timezone.localdate())
    messages.success(request, f"Draft list made: {lst.entries.count()} people.")
    return redirect("training:disclosure-detail", lst.public_id)


@requires(SECURITY_TEAM)
def detail(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    lst = get_object_or_404(DisclosureList, public_id=public_id)
    entries = lst.entries.select_related("person", "course").order_by("status", "person__full_name")
    return render(
        request,
        "training/disclosure_detail.html",
        {"list": lst, "entries": entries, "decision_form": AppealDecisionForm()},
    )


@requires(SECURITY_TEAM)
def notice(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """Notice goes only from this page: it shows who will be told, and the officer confirms."""
    actor = request.user
    lst = get_object_or_404(DisclosureList, public_id=public_id)
    today = timezone.localdate()
    recipients = steps.notice_recipients(lst, today)
    keys = [r.key for r in recipients]
    form = NoticeForm(request.POST if request.method == "POST" else None, people=keys)
    if request.method == "POST" and form.is_valid():
        try:
            steps.give_disclosure_notice(
                disclosure=lst, actor=actor, today=today, previewed=set(form.cleaned_data["people"])
            )
        except TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Notice given to {len(recipients)} people. "
                f"The window closes on {lst.window_ends_on:%-d %B %Y}.",
            )
            return redirect("training:disclosure-detail", lst.public_id)
    return render(
        request,
        "training/disclosure_notice.html",
        {"list": lst, "recipients": recipients, "form": form},
    )


STEPS: dict[str, tuple[Callable[..., Any], str]] = {
    "approve": (steps.approve_disclosure_list, "List approved: it can now be published."),
    "publish": (steps.publish_disclosure_list, "List published."),
}


@require_POST
@requires(SECURITY_TEAM)
def step(request: AuthenticatedHttpRequest, public_id: str, action: str) -> HttpResponse:
    actor = request.user
    lst = get_object_or_404(DisclosureList, public_id=public_id)
    if action not in STEPS:
        raise PermissionDenied
    run, done = STEPS[action]
    try:
        run(disclosure=lst, actor=actor, today=timezone.localdate())
    except TrainingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{done} {lst.listed().count()} people remain on it.")
    return redirect("training:disclosure-detail", lst.public_id)


@require_POST
@requires(SECURITY_TEAM)
def decide(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    actor = request.user
    entry = get_object_or_404(DisclosureEntry, public_id=public_id)
    form = AppealDecisionForm(request.POST)
    if form.is_valid():
        try:
            steps.decide_appeal(entry=entry, actor=actor, **form.cleaned_data)
        except TrainingError as exc:
            messages.error(request, str(exc))
    return redirect("training:disclosure-detail", entry.disclosure.public_id)


def appeal(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    user = request.user
    entry = get_object_or_404(
        DisclosureEntry.objects.select_related("disclosure", "course"),
        public_id=public_id,
        person_id=user.person_id or -1,
    )
    form = AppealForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            steps.appeal_disclosure(
                entry=entry, text=form.cleaned_data["text"], actor=user, today=timezone.localdate()
            )
        except TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Appeal sent. An officer will decide before publication.")
            return redirect("training:mine")
    return render(request, "training/appeal.html", {"entry": entry, "form": form})


def _published(public_id: str) -> DisclosureList:
    return get_object_or_404(DisclosureList.objects.published(), public_id=public_id)


def published(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    lst = _published(public_id)
    return render(
        request, "training/disclosure_published.html", {"list": lst, "entries": lst.listed()}
    )


def published_csv(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    lst = _published(public_id)
    response = HttpResponse(documents.disclosure_csv(lst), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="training-list-{lst.as_of}.csv"'
    return response


def published_pdf(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    lst = _published(public_id)
    return pdffonts.pdf_response(
        request, lambda: documents.disclosure_pdf(lst), f"training-list-{lst.as_of}.pdf"
    )
