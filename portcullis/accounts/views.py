from __future__ import annotations

import base64
import time
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from portcullis import ledger
from portcullis.accounts.access import (
    IMPORTS_DIRECTORY,
    MANAGES_PEOPLE,
    SECURITY_TEAM,
    AuthenticatedHttpRequest,
    requires,
)
from portcullis.lib.csvsafe import MAX_CSV_BYTES
from portcullis.lib.dashboard import panels_for
from portcullis.lib.queues import QUEUES
from portcullis.lib.uploads import upload_limit

from . import services, tokens
from .forms import (
    ApiTokenAllowanceForm,
    ApiTokenForm,
    DirectoryImportForm,
    EmailChangeForm,
    EndMembershipForm,
    LeaverForm,
    MembershipForm,
    PasswordResetForm,
    PeopleSearchForm,
    SavedFilterForm,
    SetPasswordForm,
    SignInForm,
    StarterForm,
    TokenForm,
)
from .models import DirectoryImport, Office, Person, PersonEmail, Role, SavedFilter, User

PENDING_SECONDS = 300
MAX_ERRORS_SHOWN = 500  # per-line problems listed on an import page (all are counted)


@login_not_required
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    if request.method == "GET":  # back from the code page: that half-finished sign-in ends
        request.session.pop("mfa_pending", None)
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["username"].lower()
        user = authenticate(request, username=email, password=form.cleaned_data["password"])
        if user is None:
            services.record_sign_in_failure(email=email, request=request, reason="bad credentials")
            form.add_error(None, "Enter a correct e-mail address and password.")
        elif services.confirmed_totp(user) is not None:
            request.session["mfa_pending"] = {"user": user.pk, "at": int(time.time())}
            request.session["mfa_next"] = _safe_next(request)
            return redirect("accounts:mfa-verify")
        else:
            login(request, user)
            services.record_sign_in(user=user, request=request)
            return redirect(_safe_next(request))
    timed_out = request.session.pop("idle_timeout", False)
    return render(request, "accounts/sign_in.html", {"form": form, "timed_out": timed_out})


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return str(reverse_lazy("dashboard"))


@login_not_required
def mfa_verify(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return redirect("accounts:sign-in")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.verify_second_factor(
                user=user, token=form.cleaned_data["token"], request=request
            )
        except services.InvalidTokenError as exc:
            form.add_error("token", str(exc))
        else:
            next_url = request.session.pop("mfa_next", None) or str(reverse_lazy("dashboard"))
            if not request.user.is_authenticated:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            factor = "totp" if isinstance(device, TOTPDevice) else "recovery_code"
            services.record_sign_in(user=user, request=request, second_factor=factor)
            return redirect(next_url)
    return render(request, "accounts/mfa_verify.html", {"form": form})


def _pending_user(request: HttpRequest) -> User | None:
    if isinstance(request.user, User):
        return request.user
    pending = request.session.get("mfa_pending") or {}
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop("mfa_pending", None)
        return None
    user: User | None = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    return user


def mfa_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = TokenForm(request.POST or None)
    device = TOTPDevice.objects.filter(
        user=user, confirmed=False, pk=request.session.get("mfa_enrolment")
    ).first()
    if request.method == "POST" and device is not None and form.is_valid():
        try:
            codes = services.confirm_totp_enrolment(
                actor=user, device=device, token=form.cleaned_data["token"]
            )
        except services.InvalidTokenError as exc:
            form.add_error("token", str(exc))
        else:
            otp_login(request, device)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "new": True})
    if device is None:
        device = services.start_totp_enrolment(actor=user)
        request.session["mfa_enrolment"] = device.pk
    return render(request, "accounts/mfa_setup.html", _enrolment_context(device, form))


def _enrolment_context(device: TOTPDevice, form: TokenForm) -> dict[str, Any]:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    qr = segno.make(device.config_url, error="m")
    return {
        "form": form,
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        # No width or height: segno then writes a viewBox, so the code scales to its box whole.
        "qr_svg": qr.svg_inline(omitsize=True, title="QR code for your authenticator app"),
    }


@require_POST
def recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    codes = services.regenerate_recovery_codes(actor=request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "new": False})


@require_POST
def sign_out(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.record_sign_out(user=request.user, request=request)
    logout(request)
    messages.success(request, "You have signed out.")
    return redirect("accounts:sign-in")


def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "has_totp": services.confirmed_totp(user) is not None,
            "memberships": user.person.active_memberships() if user.person else [],
        },
    )


def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    roles = sorted(Role(r).label for r in request.user.scope.roles)
    return render(request, "dashboard.html", {"panels": panels_for(request), "role_labels": roles})


def people(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PeopleSearchForm(request.GET)
    qs = Person.objects.visible_to(request.user).prefetch_related("emails", "memberships__office")
    if form.is_valid() and (q := form.cleaned_data["q"]):
        by_address = PersonEmail.objects.filter(address__icontains=q).values("person_id")
        qs = qs.filter(Q(full_name__icontains=q) | Q(pk__in=by_address))
    page = Paginator(qs.select_related("party"), 25).get_page(request.GET.get("page"))
    template = "accounts/_people_rows.html" if request.htmx else "accounts/people.html"
    return render(request, template, {"form": form, "page": page})


def person_detail(
    request: AuthenticatedHttpRequest,
    public_id: str,
    allowance_form: ApiTokenAllowanceForm | None = None,
) -> HttpResponse:
    person = get_object_or_404(Person.objects.visible_to(request.user), public_id=public_id)
    context: dict[str, Any] = {
        "person": person,
        "memberships": person.active_memberships(),
        "grants_roles": SECURITY_TEAM(request.user),
    }
    holder = getattr(person, "user", None)
    if SECURITY_TEAM(request.user) and holder is not None and holder.requires_mfa:
        # The security team decides whether this person may hold API tokens (README: API).
        context["token_allowance"] = holder.token_allowances.filter(
            withdrawn_at__isnull=True
        ).first()
        context["allowance_form"] = allowance_form or ApiTokenAllowanceForm()
    return render(request, "accounts/person_detail.html", context)


@require_POST
@requires(SECURITY_TEAM)
def person_token_allowance(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """A security officer allows, or withdraws, API tokens for someone whose role needs MFA."""
    officer = request.user
    person = get_object_or_404(Person.objects.visible_to(officer), public_id=public_id)
    holder = get_object_or_404(User, person=person)
    if request.POST.get("withdraw"):
        services.withdraw_api_token_allowance(user=holder, actor=officer)
        messages.success(request, "API tokens withdrawn: this person's tokens no longer work.")
        return redirect("accounts:person-detail", public_id=person.public_id)
    form = ApiTokenAllowanceForm(request.POST)
    if form.is_valid():
        try:
            reason = form.cleaned_data["reason"]
            services.allow_api_tokens(user=holder, actor=officer, reason=reason)
        except services.ApiTokenError as exc:
            form.add_error("reason", exc.message)
        else:
            messages.success(request, "This person may now make API tokens (at most 90 days).")
            return redirect("accounts:person-detail", public_id=person.public_id)
    return person_detail(request, str(person.public_id), allowance_form=form)


def offices(request: AuthenticatedHttpRequest) -> HttpResponse:
    qs = Office.objects.visible_to(request.user).select_related("organisation")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/offices.html", {"page": page})


def office_detail(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    office = get_object_or_404(Office.objects.visible_to(request.user), public_id=public_id)
    people_here = (
        Person.objects.visible_to(request.user)
        .filter(memberships__office=office, memberships__ended_on__isnull=True)
        .distinct()
        .prefetch_related("memberships", "emails")
    )
    manages = Office.objects.managed_by(request.user).filter(pk=office.pk).exists()
    return render(
        request,
        "accounts/office_detail.html",
        {"office": office, "people": people_here, "manages": manages},
    )


@upload_limit(MAX_CSV_BYTES)
@requires(IMPORTS_DIRECTORY)
def directory_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = DirectoryImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = services.start_directory_import(upload=upload, file_name=upload.name, actor=user)
        return redirect("accounts:directory-import-detail", job.public_id)
    recent = DirectoryImport.objects.select_related("created_by__person")[:5]
    return render(request, "accounts/directory_import.html", {"form": form, "recent": recent})


@requires(IMPORTS_DIRECTORY)
def directory_import_detail(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    job = get_object_or_404(DirectoryImport, public_id=public_id)
    template = (
        "accounts/_directory_import_progress.html"
        if request.htmx
        else "accounts/directory_import_detail.html"
    )
    return render(request, template, {"job": job, "errors": job.errors[:MAX_ERRORS_SHOWN]})


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = PasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        ledger.record(actor=form.user, action="user.password_reset", target=form.user)
        return response


def api_tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The signed-in person's integration tokens: make one (its key shown once), see, revoke."""
    user = request.user
    form = ApiTokenForm(request.POST or None, max_days=tokens.max_days_for(user))
    new_key = ""
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            _, new_key = services.issue_api_token(
                user=user,
                actor=user,
                name=values["name"],
                scopes=values["scopes"],
                days=values["days"],
                read_only=not values["write"],
            )
        except services.ApiTokenError as exc:
            form.add_error(exc.field, exc.message)
        else:
            form = ApiTokenForm(max_days=tokens.max_days_for(user))
    context = {
        "form": form,
        "new_key": new_key,
        "may_hold": tokens.may_hold_tokens(user),
        "tokens": user.api_tokens.order_by("revoked_at", "-created_at"),
        "scope_labels": tokens.SCOPES,
        "now": timezone.now(),
    }
    return render(request, "accounts/api_tokens.html", context)


@require_POST
def api_token_revoke(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    user = request.user
    token = get_object_or_404(user.api_tokens.all(), public_id=public_id)
    services.revoke_api_token(token=token, actor=user)
    messages.success(request, f"Token “{token.name}” revoked: it no longer works.")
    return redirect("accounts:api-tokens")


# --- the people of an office: starters, leavers, addresses (office managers, security team) -----


def _managed_office(request: AuthenticatedHttpRequest, public_id: str) -> Office:
    return get_object_or_404(Office.objects.managed_by(request.user), public_id=public_id)


def _person_in(office: Office, public_id: str) -> Person:
    people = Person.objects.filter(memberships__office=office, memberships__ended_on__isnull=True)
    return get_object_or_404(people.distinct(), public_id=public_id)


def _posted(request: AuthenticatedHttpRequest) -> Any:
    """The submitted data, also when the form was sent empty (so that it says what is missing)."""
    return request.POST if request.method == "POST" else None


def _office_form(
    request: AuthenticatedHttpRequest, office: Office, form: Any, **page: Any
) -> HttpResponse:
    return render(request, "accounts/office_form.html", {"office": office, "form": form, **page})


@requires(MANAGES_PEOPLE)
def starter_new(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    office = _managed_office(request, public_id)
    form = StarterForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            person = services.add_starter(office=office, actor=request.user, **form.cleaned_data)
        except services.PeopleError as exc:
            form.add_error(exc.field, str(exc))
        else:
            messages.success(request, f"{person} added to {office}. Their training is assigned.")
            return redirect("accounts:office-detail", office.public_id)
    return _office_form(request, office, form, title="Add a new starter", button="Add starter")


@requires(MANAGES_PEOPLE)
def leaver(request: AuthenticatedHttpRequest, public_id: str, person_id: str) -> HttpResponse:
    office = _managed_office(request, public_id)
    person = _person_in(office, person_id)
    form = LeaverForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_leaver(
                person=person, office=office, actor=request.user, **form.cleaned_data
            )
        except services.PeopleError as exc:
            form.add_error(exc.field, str(exc))
        else:
            messages.success(request, f"{person} recorded as leaving {office}.")
            return redirect("accounts:office-detail", office.public_id)
    return _office_form(
        request, office, form, title=f"{person} is leaving", button="Record leaver", person=person
    )


@requires(MANAGES_PEOPLE)
def email_change(request: AuthenticatedHttpRequest, public_id: str, person_id: str) -> HttpResponse:
    office = _managed_office(request, public_id)
    person = _person_in(office, person_id)
    form = EmailChangeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.change_email(person=person, actor=request.user, **form.cleaned_data)
        except services.PeopleError as exc:
            form.add_error(exc.field, str(exc))
        else:
            messages.success(request, f"{person}'s e-mail address is now {person.primary_email}.")
            return redirect("accounts:office-detail", office.public_id)
    return _office_form(
        request,
        office,
        form,
        title=f"Change {person}'s e-mail address",
        button="Change e-mail address",
        person=person,
        lede=f"Their address now is {person.primary_email or 'not recorded'}.",
    )


# --- roles (the security team) ------------------------------------------------------------------


@requires(SECURITY_TEAM)
def membership_new(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    person = get_object_or_404(Person.objects.visible_to(request.user), public_id=public_id)
    form = MembershipForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_membership(person=person, actor=request.user, **form.cleaned_data)
        except services.PeopleError as exc:
            form.add_error(exc.field, str(exc))
        else:
            messages.success(request, f"{person} has the new role.")
            return redirect("accounts:person-detail", person.public_id)
    return render(
        request,
        "accounts/person_form.html",
        {"person": person, "form": form, "title": f"Give {person} a role", "button": "Give role"},
    )


@requires(SECURITY_TEAM)
def membership_end(
    request: AuthenticatedHttpRequest, public_id: str, membership_id: str
) -> HttpResponse:
    person = get_object_or_404(Person.objects.visible_to(request.user), public_id=public_id)
    membership = get_object_or_404(person.memberships.active(), public_id=membership_id)
    form = EndMembershipForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.end_membership(membership=membership, actor=request.user, **form.cleaned_data)
        except services.PeopleError as exc:
            form.add_error(exc.field, str(exc))
        else:
            messages.success(request, f"{person} no longer has that role.")
            return redirect("accounts:person-detail", person.public_id)
    return render(
        request,
        "accounts/person_form.html",
        {
            "person": person,
            "form": form,
            "title": f"End {person}'s role",
            "lede": str(membership),
            "button": "End role",
        },
    )


@require_POST
def saved_filter_save(request: AuthenticatedHttpRequest) -> HttpResponse:
    queue = QUEUES.get(request.POST.get("queue", ""))
    if queue is None:
        raise Http404
    query = queue.kept_query(QueryDict(request.POST.get("query", "")[:2000]))
    back = queue.url(query)
    form = SavedFilterForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Filter not saved: " + "; ".join(form.error_sentences()))
        return redirect(back)
    try:
        saved = services.save_filter(
            actor=request.user, queue=queue.name, name=form.cleaned_data["name"], query=query
        )
    except services.SavedFilterError as exc:
        messages.error(request, f"Filter not saved: {exc}")
    else:
        messages.success(request, f"Filter saved as “{saved.name}”.")
    return redirect(back)


@require_POST
def saved_filter_delete(request: AuthenticatedHttpRequest, public_id: Any) -> HttpResponse:
    saved = get_object_or_404(SavedFilter.objects.visible_to(request.user), public_id=public_id)
    queue = QUEUES.get(saved.queue)
    services.delete_filter(actor=request.user, saved=saved)
    messages.success(request, f"Filter “{saved.name}” deleted.")
    return redirect(queue.url() if queue else "dashboard")
