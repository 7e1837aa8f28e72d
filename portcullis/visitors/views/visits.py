"""Hosts' pages (invite, their visits, a visit, approvals of walk-ins) and the security team's
decisions (held visits, short notice, the response level, the log export). The visitor's own
confirmation page is open without sign-in, reached by a signed link."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portcullis.accounts.access import (
    INVITES_VISITORS,
    SECURITY_TEAM,
    SEES_VISITS,
    WORKS_THE_GATE,
    AuthenticatedHttpRequest,
    requires,
)
from portcullis.accounts.need_to_know import Sensitive, may_read
from portcullis.ledger.actors import VISITOR

from .. import exports, notify, services
from ..forms import (
    ApprovalForm,
    ConfirmForm,
    DecideCheckForm,
    InviteForm,
    LevelForm,
    VisitorForm,
)
from ..models import Invitation, LevelChange, Presence, Visit, current_level
from ..rules import Level, rules_for


def visible_visit(request: AuthenticatedHttpRequest, public_id: Any) -> Visit:
    return get_object_or_404(
        Visit.objects.visible_to(request.user).for_lists(), public_id=public_id
    )


@requires(SEES_VISITS)
def visits(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    start, _ = services.day_bounds(timezone.localdate())
    shown = Visit.objects.visible_to(user).for_lists()
    past = request.GET.get("when") == "past"
    shown = (
        shown.filter(invitation__ends_at__lt=start).order_by("-invitation__starts_at", "name")
        if past
        else shown.filter(invitation__ends_at__gte=start)
    )
    page = Paginator(shown, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "past": past,
        "level": rules_for(current_level()),
        "level_name": LevelChange(level=current_level()).get_level_display(),
        "on_estate": Presence.objects.current().filter(user=user).exists(),
        "waiting": waiting_for(user).count(),
    }
    return render(request, "visitors/visits.html", context)


@requires(INVITES_VISITORS)
def invite(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = InviteForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite(data=form.invitation_input(), actor=user)
        except services.VisitError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _invited_words(invitation))
            return redirect(invitation.get_absolute_url())
    rules = rules_for(current_level())
    return render(request, "visitors/invite.html", {"form": form, "rules": rules})


def _invited_words(invitation: Invitation) -> str:
    count = invitation.visits.count()
    words = f"{count} visitor{'s' if count != 1 else ''} invited and sent their QR code."
    if invitation.approval == Invitation.Approval.WAITING:
        words += " The notice is short: the security team must approve the visit."
    return words


@requires(SEES_VISITS)
def invitation(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    found = get_object_or_404(
        Invitation.objects.visible_to(request.user).select_related("office", "area", "host"),
        public_id=public_id,
    )
    shown = Visit.objects.visible_to(request.user).filter(invitation=found).for_lists()
    context = {
        "invitation": found,
        "visits": shown,
        "may_approve": found.approval == Invitation.Approval.WAITING
        and services.may_approve(found, request.user),
        "approval_form": ApprovalForm(),
        "may_cancel": found.cancelled_at is None
        and (found.host_id == request.user.pk or SECURITY_TEAM(request.user)),
        "escorts": found.escorts.select_related("person"),
        "co_hosts": found.co_hosts.select_related("person"),
    }
    return render(request, "visitors/invitation.html", context)


@requires(SEES_VISITS)
@require_POST
def decide_approval(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    found = get_object_or_404(Invitation.objects.visible_to(request.user), public_id=public_id)
    form = ApprovalForm(request.POST)
    if form.is_valid():
        try:
            services.decide_approval(
                invitation=found,
                approve=form.cleaned_data["decision"] == "approve",
                actor=request.user,
            )
        except services.VisitError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Decision recorded.")
    else:
        messages.error(request, "Select approve or refuse.")
    return redirect(found.get_absolute_url())


@requires(SEES_VISITS)
@require_POST
def cancel(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    found = get_object_or_404(Invitation.objects.visible_to(request.user), public_id=public_id)
    if found.host_id != request.user.pk and not SECURITY_TEAM(request.user):
        messages.error(request, "Only the host or the security team cancels an invitation.")
    else:
        services.cancel_invitation(invitation=found, actor=request.user)
        messages.success(request, "Invitation cancelled.")
    return redirect(found.get_absolute_url())


def waiting_for(user: Any) -> Any:
    """Invitations waiting for this user's decision: walk-ins naming them as host; for the
    security team every walk-in and short-notice invitation."""
    waiting = Invitation.objects.visible_to(user).filter(
        approval=Invitation.Approval.WAITING, cancelled_at=None
    )
    if SECURITY_TEAM(user):
        return waiting
    mine = Invitation.objects.filter(Q(host=user) | Q(co_hosts=user)).values("pk")
    return waiting.filter(kind=Invitation.Kind.WALK_IN, pk__in=mine)


@requires(SEES_VISITS)
def approvals(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Waiting for a decision: walk-ins for their host; short notice and held visits for the
    security team."""
    user = request.user
    waiting = waiting_for(user).select_related("office", "area", "host__person")
    held = (
        Visit.objects.visible_to(user).filter(clearance=Visit.Clearance.HELD).for_lists()
        if SECURITY_TEAM(user)
        else Visit.objects.none()
    )
    return render(
        request,
        "visitors/approvals.html",
        {"waiting": waiting.prefetch_related("visits"), "held": held},
    )


@requires(SEES_VISITS)
def visit(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    user = request.user
    found = visible_visit(request, public_id)
    reasons = may_read(user, Sensitive.VISITOR_SCREENING)
    context = {
        "visit": found,
        "reasons": found.hold_reasons if reasons else None,
        "sees_reasons": reasons,
        "decide_form": DecideCheckForm() if reasons and found.clearance == "held" else None,
        "may_edit": found.status == Visit.Status.EXPECTED and _hosts(found, user),
        "at_gate": WORKS_THE_GATE(user),
    }
    return render(request, "visitors/visit.html", context)


def _hosts(visit: Visit, user: Any) -> bool:
    invitation = visit.invitation
    return (
        invitation.host_id == user.pk
        or invitation.co_hosts.filter(pk=user.pk).exists()
        or invitation.office_id in user.scope.managed_office_ids
    )


@requires(SEES_VISITS)
def edit_visit(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    found = visible_visit(request, public_id)
    if not _hosts(found, request.user):
        return redirect(found.get_absolute_url())
    initial = {f: getattr(found, f) for f in ("name", "organisation", "email", "phone")}
    form = VisitorForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_visitor(visit=found, data=form.visitor_input(), actor=request.user)
        except services.VisitError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Visitor's details changed.")
            return redirect(found.get_absolute_url())
    return render(request, "visitors/visit_edit.html", {"visit": found, "form": form})


@requires(SECURITY_TEAM)
@require_POST
def decide_check(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    found = visible_visit(request, public_id)
    form = DecideCheckForm(request.POST)
    if form.is_valid():
        try:
            services.decide_check(
                visit=found,
                clear=form.cleaned_data["decision"] == "clear",
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except services.VisitError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Decision recorded; it applies to this person's next visit.")
            return redirect(found.get_absolute_url())
    context = {
        "visit": found,
        "reasons": found.hold_reasons,
        "sees_reasons": True,
        "decide_form": form,
    }
    return render(request, "visitors/visit.html", context)


@requires(SEES_VISITS)
@require_POST
def presence(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A passholder says they are on the estate (only then may they escort), or have left."""
    user = request.user
    if request.POST.get("where") == "arrived":
        services.arrive_on_estate(user=user, actor=user)
        messages.success(request, "You are signed in on the estate.")
    else:
        left = services.leave_estate(user=user, actor=user)
        words = "You have signed out of the estate."
        if left:
            words += f" {left} visitors you escort are still on site: the gate has been told."
        messages.success(request, words)
    return redirect("visitors:visits")


@requires(SECURITY_TEAM)
def level(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = LevelForm(
        request.POST if request.method == "POST" else None, initial={"level": current_level()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_level(
                level=form.cleaned_data["level"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except services.VisitError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Response level changed.")
            return redirect("visitors:level")
    history = LevelChange.objects.select_related("set_by__person")[:20]
    levels = [(label, rules_for(value)) for value, label in Level.choices]
    return render(
        request,
        "visitors/level.html",
        {"form": form, "history": history, "levels": levels, "current": current_level()},
    )


@requires(SECURITY_TEAM)
def export(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    rows = exports.visit_log(Visit.objects.visible_to(request.user))
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="visit-log.csv"'
    return response


@login_not_required
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The visitor's own page: check their details, correct them, consent. No sign-in: the
    signed link is the key, and it opens only this visit."""
    found = notify.visit_of_token(token)
    if found is None:
        return render(request, "visitors/confirm_gone.html", status=404)
    initial = {f: getattr(found, f) for f in ("name", "organisation", "email", "phone")}
    form = ConfirmForm(request.POST if request.method == "POST" else None, initial=initial)
    done = found.confirmed_at is not None
    if request.method == "POST" and form.is_valid() and found.status == Visit.Status.EXPECTED:
        try:
            services.change_visitor(visit=found, data=form.visitor_input(), actor=VISITOR)
            services.confirm_visit(visit=found, actor=VISITOR)
        except services.VisitError as exc:
            form.add_error(None, str(exc))
        else:
            done = True
    return render(request, "visitors/confirm.html", {"visit": found, "form": form, "done": done})
