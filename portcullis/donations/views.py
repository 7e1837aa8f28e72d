"""Pages: donations and their 30-day clock, reports to the Commission, the rules, the party desk
and the register of interests. Every object is looked up through `visible_to`: another party's
donation, referral or report is a 404, as is another member's register entry."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portcullis.accounts.access import (
    KEEPS_DONATIONS,
    KEEPS_REGISTER,
    READS_DONATION_RULES,
    SECURITY_TEAM,
    SWITCHES_RULES,
    AuthenticatedHttpRequest,
    requires,
)
from portcullis.accounts.models import Organisation, Role, User
from portcullis.accounts.need_to_know import Sensitive, may_read
from portcullis.intel.tlp import MEANING
from portcullis.ledger.models import LedgerEntry

from . import reporting
from .forms import (
    BriefingForm,
    DecisionForm,
    DonationForm,
    InterestForm,
    ReferralForm,
    RegisteredForm,
    SwitchForm,
)
from .models import Donation, ElectionPeriod, FiledReport, Interest, PolicyRule, Referral
from .services import donations as donation_services
from .services import interests as interest_services
from .services import policy, referrals
from .services.reports import ReportError, file_report, lines_for

REPORT_LINES_A_PAGE = 100  # the CSV has every line


def parties_of(user: User) -> QuerySet[Organisation]:
    parties = Organisation.objects.filter(kind=Organisation.Kind.PARTY)
    return parties if SECURITY_TEAM(user) else parties.filter(pk__in=user.scope.party_ids)


# --- donations ----------------------------------------------------------------------------------


@requires(KEEPS_DONATIONS)
def donation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    donations = Donation.objects.visible_to(request.user).select_related("party")
    status = request.GET.get("status", "")
    if status in Donation.Status.values:
        donations = donations.filter(status=status)
    page = Paginator(donations, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "today": timezone.localdate(),
        "statuses": Donation.Status.choices,
        "status": status,
    }
    return render(request, "donations/donation_list.html", context)


@requires(KEEPS_DONATIONS)
def donation_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    parties = parties_of(request.user)
    form = DonationForm(request.POST or None, parties=parties)
    if request.method == "POST" and form.is_valid():
        try:
            donation = donation_services.record_donation(
                data=form.donation_input(), actor=request.user
            )
        except donation_services.DonationError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(donation.get_absolute_url())
    return render(request, "donations/donation_form.html", {"form": form})


def _donation(request: AuthenticatedHttpRequest, public_id: Any) -> Donation:
    visible = Donation.objects.visible_to(request.user).select_related("party", "decided_by")
    return get_object_or_404(visible, public_id=public_id)


@requires(KEEPS_DONATIONS)
def donation_detail(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    donation = _donation(request, public_id)
    return _render_donation(request, donation, DecisionForm(initial={"decided_on": None}))


def _render_donation(
    request: AuthenticatedHttpRequest, donation: Donation, form: DecisionForm
) -> HttpResponse:
    context = {
        "donation": donation,
        "today": timezone.localdate(),
        "days_left": donation.days_left(timezone.localdate()),
        "screenings": donation.screenings.select_related("subject").order_by("id"),
        "form": form,
        "trail": LedgerEntry.objects.visible_to(request.user).about(donation).order_by("id"),
    }
    return render(request, "donations/donation_detail.html", context)


@require_POST
@requires(KEEPS_DONATIONS)
def donation_decide(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    donation = _donation(request, public_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            donation_services.decide_donation(
                donation=donation, actor=request.user, **form.cleaned_data
            )
        except donation_services.DonationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Decision recorded.")
            return redirect(donation.get_absolute_url())
    return _render_donation(request, donation, form)


# --- reports ------------------------------------------------------------------------------------


def _party(request: AuthenticatedHttpRequest, public_id: Any) -> Organisation:
    return get_object_or_404(parties_of(request.user), public_id=public_id)


@requires(KEEPS_DONATIONS)
def report_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    parties = list(parties_of(request.user))
    quarters = [
        reporting.quarter(year, n) for year in (today.year, today.year - 1) for n in (4, 3, 2, 1)
    ]
    quarters = [q for q in quarters if q.start <= today]
    elections = [(e, reporting.weeks(e)) for e in ElectionPeriod.objects.all()[:3]]
    filed = {
        (f.party_id, f.kind, f.period_start): f
        for f in FiledReport.objects.visible_to(request.user)
    }
    context = {
        "parties": [
            {
                "party": p,
                "nil_streak": reporting.nil_streak(p),
                "quarters": [(q, filed.get((p.pk, q.kind, q.start))) for q in quarters],
            }
            for p in parties
        ],
        "elections": elections,
        "filed": filed,
        "today": today,
    }
    return render(request, "donations/report_list.html", context)


def _period(kind: str, day: str) -> reporting.Period:
    try:
        start = date.fromisoformat(day)
    except ValueError as exc:
        raise Http404("No such reporting period.") from exc
    if kind == FiledReport.Kind.QUARTER and start.day == 1 and start.month in (1, 4, 7, 10):
        return reporting.quarter_starting(start)
    if kind == FiledReport.Kind.WEEK:
        for election in ElectionPeriod.objects.filter(starts_on__lte=start, polling_day__gte=start):
            for week in reporting.weeks(election):
                if week.start == start:
                    return week
    raise Http404("No such reporting period.")


@requires(KEEPS_DONATIONS)
def report_detail(
    request: AuthenticatedHttpRequest, party_id: Any, kind: str, start: str
) -> HttpResponse:
    party = _party(request, party_id)
    period = _period(kind, start)
    if request.method == "POST":
        try:
            file_report(party=party, period=period, actor=request.user)
        except ReportError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{period.name} recorded as filed.")
        return redirect(request.path)
    lines = lines_for(party, period)
    if request.GET.get("format") == "csv":
        rows = reporting.iter_rows(lines, period, party, None)
        response = HttpResponse(reporting.export_csv(rows), content_type="text/csv")
        name = f"donations-{party.short_name or 'party'}-{period.slug}.csv".replace(" ", "-")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    context = {
        "party": party,
        "period": period,
        "lines": lines,
        "page": Paginator(lines, REPORT_LINES_A_PAGE).get_page(request.GET.get("page")),
        "total": sum((line.donation.value for line in lines), start=0),
        "filed": FiledReport.objects.filter(
            party=party, kind=period.kind, period_start=period.start
        ).first(),
        "today": timezone.localdate(),
    }
    return render(request, "donations/report_detail.html", context)


# --- rules --------------------------------------------------------------------------------------


@requires(READS_DONATION_RULES)
def rule_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    rules = PolicyRule.objects.visible_to(request.user)
    context = {"rules": rules, "form": SwitchForm(), "may_switch": SWITCHES_RULES(request.user)}
    return render(request, "donations/rule_list.html", context)


@require_POST
@requires(SWITCHES_RULES)
def rule_switch(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    rule = get_object_or_404(PolicyRule.objects.visible_to(request.user), public_id=public_id)
    form = SwitchForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the reason for switching the rule.")
        return redirect("donations:rules")
    try:
        policy.switch_rule(
            rule=rule,
            on=request.POST.get("on") == "1",
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except policy.PolicyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{rule.get_key_display()}: switched.")
    return redirect("donations:rules")


# --- the party desk -----------------------------------------------------------------------------


@requires(KEEPS_DONATIONS)
def referral_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    visible = Referral.objects.visible_to(request.user).select_related("party")
    page = Paginator(visible, 50).get_page(request.GET.get("page"))
    return render(request, "donations/referral_list.html", {"page": page})


@requires(KEEPS_DONATIONS)
def referral_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.scope.has(Role.PARTY_COMPLIANCE_OFFICER):
        return redirect("donations:referrals")
    form = ReferralForm(
        request.POST or None,
        parties=Organisation.objects.filter(pk__in=request.user.scope.party_ids),
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral = referrals.refer(data=form.referral_input(), actor=request.user)
        except referrals.ReferralError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(referral.get_absolute_url())
    return render(request, "donations/referral_form.html", {"form": form})


def _referral(request: AuthenticatedHttpRequest, public_id: Any) -> Referral:
    visible = Referral.objects.visible_to(request.user).select_related("party", "screening")
    return get_object_or_404(visible, public_id=public_id)


@requires(KEEPS_DONATIONS)
def referral_detail(
    request: AuthenticatedHttpRequest, public_id: Any, form: BriefingForm | None = None
) -> HttpResponse:
    referral = _referral(request, public_id)
    user = request.user
    security = SECURITY_TEAM(user)
    context: dict[str, Any] = {
        "referral": referral,
        "reads_basis": may_read(user, Sensitive.BRIEFING_BASIS),
        "tlp_meaning": MEANING.get(referral.tlp, ""),  # type: ignore[call-overload]
        "security": security,
    }
    if security:
        context["form"] = form or BriefingForm()
        context["hits"] = (
            referral.screening.results.filter(is_match=True).select_related("source")
            if referral.screening
            else []
        )
        context["trail"] = LedgerEntry.objects.about(referral).order_by("id")
    return render(request, "donations/referral_detail.html", context)


@require_POST
@requires(SECURITY_TEAM)
def referral_screen(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    referral = _referral(request, public_id)
    referrals.screen_referral(referral=referral, actor=request.user)
    messages.success(request, "Screened and checked against intelligence.")
    return redirect(referral.get_absolute_url())


@require_POST
@requires(SECURITY_TEAM)
def referral_brief(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    referral = _referral(request, public_id)
    form = BriefingForm(request.POST)
    if form.is_valid():
        try:
            referrals.brief_party(referral=referral, actor=request.user, **form.cleaned_data)
        except referrals.ReferralError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Briefing returned to the party.")
            return redirect(referral.get_absolute_url())
    return referral_detail(request, public_id, form)


# --- the register of interests ------------------------------------------------------------------


@requires(KEEPS_REGISTER)
def interest_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    visible = Interest.objects.visible_to(request.user).select_related("member")
    page = Paginator(visible, 50).get_page(request.GET.get("page"))
    context = {"page": page, "today": timezone.localdate()}
    return render(request, "donations/interest_list.html", context)


@requires(KEEPS_REGISTER)
def interest_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if user.person is None or not user.scope.has(Role.MEMBER):
        return redirect("donations:interests")
    form = InterestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            interest = interest_services.record_interest(
                member=user.person, data=form.interest_input(), actor=user
            )
        except interest_services.InterestError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(interest.get_absolute_url())
    return render(request, "donations/interest_form.html", {"form": form})


@requires(KEEPS_REGISTER)
def interest_detail(
    request: AuthenticatedHttpRequest, public_id: Any, form: RegisteredForm | None = None
) -> HttpResponse:
    visible = Interest.objects.visible_to(request.user).select_related("member")
    interest = get_object_or_404(visible, public_id=public_id)
    context = {
        "interest": interest,
        "today": timezone.localdate(),
        "form": form or RegisteredForm(),
        "own": interest.member_id == request.user.person_id,
    }
    return render(request, "donations/interest_detail.html", context)


@require_POST
@requires(KEEPS_REGISTER)
def interest_registered(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    visible = Interest.objects.visible_to(request.user)
    interest = get_object_or_404(visible, public_id=public_id)
    form = RegisteredForm(request.POST)
    if form.is_valid():
        try:
            interest_services.mark_registered(
                interest=interest, actor=request.user, **form.cleaned_data
            )
        except interest_services.InterestError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Recorded as registered.")
            return redirect(interest.get_absolute_url())
    return interest_detail(request, public_id, form)
