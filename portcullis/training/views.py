"""Learner pages, people's records, and the compliance view. Disclosure pages: disclosure_views."""

from __future__ import annotations

from typing import Any, Literal

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from portcullis.accounts.access import (
    SECURITY_TEAM,
    SEES_OFFICE_FIGURES,
    AuthenticatedHttpRequest,
    requires,
)
from portcullis.accounts.models import Membership, Office, Person, Role
from portcullis.lib import pdffonts, uploads
from portcullis.lib.charts import Chart, Series, latest_description, month_labels
from portcullis.lib.ids import valid_uuids
from portcullis.lib.uploads import upload_limit
from portcullis.protection.forms import ClearanceForm, DeviceForm
from portcullis.protection.models import Clearance, SosDevice

from . import authoring, documents, services
from .compliance import Compliance, office_people, offices_in_view
from .forms import (
    AccessGrantForm,
    CourseVersionForm,
    ExemptionForm,
    ExternalCompletionForm,
    QuizForm,
    RemedialForm,
)
from .models import (
    Assignment,
    Completion,
    Course,
    DisclosureEntry,
    DisclosureList,
    Exemption,
    Module,
    Question,
    QuizAttempt,
    TrainingAccessGrant,
    training_people,
)


def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    person = request.user.person
    today = timezone.localdate()
    if person is None:
        return render(request, "training/mine.html", {"person": None})
    live = Assignment.objects.live().filter(person=person).select_related("course", "requirement")
    notices = DisclosureEntry.objects.filter(
        person=person,
        disclosure__status=DisclosureList.Status.NOTICE,
        status__in=[DisclosureEntry.Status.LISTED, DisclosureEntry.Status.APPEALED],
    ).select_related("disclosure", "course")
    return render(
        request,
        "training/mine.html",
        {
            "person": person,
            "today": today,
            "open": [a for a in live if a.status == Assignment.Status.OPEN],
            "completions": Completion.objects.filter(person=person)
            .select_related("course")
            .with_renewal(),
            "calendar_url": request.build_absolute_uri(
                reverse("training:calendar", args=[documents.calendar_token(person)])
            ),
            "notices": notices,
        },
    )


def courses(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "training/courses.html", {"courses": Course.objects.published()})


def course_detail(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    course = get_object_or_404(Course.objects.published(), public_id=public_id)
    person = request.user.person
    return render(
        request,
        "training/course_detail.html",
        {
            "course": course,
            "modules": course.modules.all(),
            "attempts_left": services.attempts_left(person, course) if person else None,
            "version_form": CourseVersionForm(),
            "is_security": SECURITY_TEAM(request.user),
        },
    )


def module_guidance(request: HttpRequest, public_id: str, order: int) -> FileResponse:
    """A module's guidance file, for anyone who may read the course (stored files are not served
    from a public address)."""
    module = get_object_or_404(
        Module.objects.filter(course__in=Course.objects.published()).exclude(guidance=""),
        course__public_id=public_id,
        order=order,
    )
    name = module.guidance.name.rsplit("/", 1)[-1]
    return FileResponse(module.guidance.open("rb"), as_attachment=True, filename=name)


def module_image(request: HttpRequest, public_id: str, order: int) -> FileResponse:
    """A module's picture, for those who may read the course (a draft's to the security team,
    for the preview); served as the image type its name was checked as, never sniffed."""
    module = get_object_or_404(
        Module.objects.filter(course__in=Course.objects.readable_by(request.user)).exclude(
            image=""
        ),
        course__public_id=public_id,
        order=order,
    )
    extension = module.image.name[module.image.name.rfind(".") :].lower()
    kind = authoring.IMAGES.get(extension)
    response = FileResponse(
        module.image.open("rb"),
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_POST
def quiz_start(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    course = get_object_or_404(Course.objects.published(), public_id=public_id)
    person = request.user.person
    if person is None:
        raise PermissionDenied
    try:
        attempt = services.start_attempt(
            person=person, course=course, actor=request.user, now=timezone.now()
        )
    except services.TrainingError as exc:
        messages.error(request, str(exc))
        return redirect("training:course-detail", course.public_id)
    return redirect("training:attempt", attempt.public_id)


def attempt(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    person = request.user.person
    attempt = get_object_or_404(
        QuizAttempt.objects.select_related("course"), public_id=public_id, person=person
    )
    questions = _questions(attempt)
    data = request.POST if request.method == "POST" else None
    form = QuizForm(data, questions=questions, seed=str(attempt.public_id))
    if request.method == "POST" and not attempt.is_submitted and form.is_valid():
        services.submit_attempt(
            attempt=attempt,
            answers=form.answers(),
            actor=request.user,
            now=timezone.now(),
        )
        return redirect("training:attempt", attempt.public_id)
    completion = None
    if attempt.passed:
        completion = Completion.objects.filter(person=person, course=attempt.course).first()
    return render(
        request,
        "training/attempt.html",
        {"attempt": attempt, "form": form, "questions": questions, "completion": completion},
    )


def _questions(attempt: QuizAttempt) -> list[Question]:
    found = Question.objects.filter(public_id__in=attempt.question_ids).prefetch_related("choices")
    by_id = {str(q.public_id): q for q in found}
    return [by_id[q] for q in attempt.question_ids if q in by_id]


def certificate(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    completion = get_object_or_404(
        Completion.objects.visible_to(request.user).select_related("person", "course"),
        public_id=public_id,
    )
    return pdffonts.pdf_response(
        request,
        lambda: documents.certificate_pdf(completion),
        f"certificate-{completion.certificate_number}.pdf",
    )


@login_not_required
def calendar(request: HttpRequest, token: str) -> HttpResponse:
    """Calendar apps cannot sign in: the signed token in the address is the credential."""
    person = documents.person_for_calendar_token(token)
    if person is None:
        raise Http404
    due = Assignment.objects.open().filter(person=person).select_related("course")
    body = documents.due_dates_ics(
        due, url=request.build_absolute_uri(reverse("training:mine")), stamp=timezone.now()
    )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


def person_record(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    person = get_object_or_404(training_people(request.user), public_id=public_id)
    today = timezone.localdate()
    is_security = SECURITY_TEAM(request.user)
    context: dict[str, Any] = {
        "person": person,
        "today": today,
        "assignments": Assignment.objects.visible_to(request.user)
        .live()
        .filter(person=person)
        .select_related("course", "requirement"),
        "completions": Completion.objects.filter(person=person).select_related("course"),
        "exemptions": Exemption.objects.filter(person=person).select_related("course"),
        "clearances": Clearance.objects.visible_to(request.user).filter(person=person),
        "devices": SosDevice.objects.visible_to(request.user).filter(person=person),
        "is_security": is_security,
    }
    if is_security:
        context |= {
            "completion_form": ExternalCompletionForm(prefix="completion"),
            "exemption_form": ExemptionForm(prefix="exemption"),
            "remedial_form": RemedialForm(prefix="remedial"),
            "clearance_form": ClearanceForm(prefix="clearance"),
            "device_form": DeviceForm(prefix="device"),
        }
    return render(request, "training/person_record.html", context)


@upload_limit(uploads.EVIDENCE_MAX_BYTES)
@require_POST
@requires(SECURITY_TEAM)
def record_completion(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    person = get_object_or_404(training_people(request.user), public_id=public_id)
    form = ExternalCompletionForm(request.POST, request.FILES, prefix="completion")
    if form.is_valid():
        try:
            services.record_external_completion(
                person=person,
                course=form.cleaned_data["course"],
                completed_on=form.cleaned_data["completed_on"],
                evidence_note=form.cleaned_data["evidence_note"],
                evidence=form.cleaned_data["evidence"],
                actor=request.user,
            )
        except services.TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Briefing recorded as a completion.")
            return redirect("training:person", person.public_id)
    return _form_page(request, person, form, "Record a briefing")


@require_POST
@requires(SECURITY_TEAM)
def add_exemption(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    person = get_object_or_404(training_people(request.user), public_id=public_id)
    form = ExemptionForm(request.POST, prefix="exemption")
    if form.is_valid():
        try:
            services.grant_exemption(person=person, actor=request.user, **form.cleaned_data)
        except services.TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Exemption recorded.")
            return redirect("training:person", person.public_id)
    return _form_page(request, person, form, "Record an exemption")


@require_POST
@requires(SECURITY_TEAM)
def add_remedial(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    person = get_object_or_404(training_people(request.user), public_id=public_id)
    form = RemedialForm(request.POST, prefix="remedial")
    if form.is_valid():
        try:
            services.assign_remedial_training(
                person=person, actor=request.user, **form.cleaned_data
            )
        except services.TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Course assigned.")
            return redirect("training:person", person.public_id)
    return _form_page(request, person, form, "Assign a course")


def _form_page(
    request: AuthenticatedHttpRequest, person: Person, form: Any, title: str
) -> HttpResponse:
    return render(
        request,
        "training/person_form.html",
        {"person": person, "form": form, "title": title, "action": request.path},
        status=400,
    )


@require_POST
@requires(SECURITY_TEAM)
def publish_version(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    course = get_object_or_404(Course, public_id=public_id)
    form = CourseVersionForm(request.POST)
    if form.is_valid():
        services.publish_course_version(course=course, actor=request.user, **form.cleaned_data)
        messages.success(request, f"Version {course.version} published.")
    return redirect("training:course-detail", course.public_id)


@requires(SEES_OFFICE_FIGURES)
def compliance(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Figures for everyone in view, by house and party for the security team, and a page of
    offices at a time; each office drills down to its people."""
    today = timezone.localdate()
    in_view = offices_in_view(request.user)
    data = Compliance(in_view, today)
    house, party = request.GET.get("house", ""), request.GET.get("party", "")
    shown = in_view
    if house:
        shown = shown.filter(organisation__public_id__in=valid_uuids([house]))
    if party:
        members = Membership.objects.active().filter(
            role=Role.MEMBER, person__party__public_id__in=valid_uuids([party])
        )
        shown = shown.filter(pk__in=members.values("office_id"))
    page = Paginator(shown, 50).get_page(request.GET.get("page"))
    if SECURITY_TEAM(request.user):
        total, house_rows, party_rows, office_rows = data.overview(list(page.object_list))
    else:
        total, house_rows, party_rows = data.total(), [], []
        office_rows = data.by_office(list(page.object_list))
    return render(
        request,
        "training/compliance.html",
        {
            "today": today,
            "total": total,
            "charts": _compliance_charts(data, request.user, in_view),
            "page": page,
            "office_rows": office_rows,
            "house_rows": house_rows,
            "party_rows": party_rows,
            "filtered": bool(house or party),
        },
    )


TREND_NOTE = (
    "Each month: of the training that had fallen due by its end, the share completed by then. "
    "Follow-up courses given to one person are not counted."
)
MOST_OFFICE_LINES = 8


def _compliance_charts(data: Compliance, user: Any, in_view: Any) -> list[Chart]:
    """Everyone in view; the security team also by house and party; someone with a few offices
    (an office manager of several) by office. One query each, whatever the size."""
    charts = [_trend_chart("trend", "Training done, everyone in view", [("All", data.trend())])]
    if SECURITY_TEAM(user):
        keys: tuple[Literal["house"], Literal["party"]] = ("house", "party")
        for key in keys:
            rows = [(str(org), points) for org, points in data.trend_by(key)]
            charts.append(_trend_chart(f"trend-{key}", f"Training done by {key}", rows))
    elif 1 < in_view.count() <= MOST_OFFICE_LINES:
        rows = [(str(office), points) for office, points in data.trend_by("office")]
        charts.append(_trend_chart("trend-office", "Training done by office", rows))
    return charts


def _trend_chart(key: str, title: str, rows: list[tuple[str, list[dict[str, Any]]]]) -> Chart:
    ends = [p["month"] for p in rows[0][1]] if rows else []
    short, long = month_labels(ends)
    series = tuple(Series(label, tuple(p["percent"] for p in points)) for label, points in rows)
    return Chart(
        key=key,
        title=title,
        description=latest_description(series, long, "%"),
        categories=short,
        rows=long,
        series=series,
        kind="line",
        unit="%",
        maximum=100,
        notes=TREND_NOTE,
    )


def compliance_office(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    office = get_object_or_404(offices_in_view(request.user), public_id=public_id)
    today = timezone.localdate()
    data = Compliance(Office.objects.filter(pk=office.pk), today)
    return render(
        request,
        "training/compliance_office.html",
        {
            "office": office,
            "today": today,
            "figures": data.total(),
            "charts": [
                _trend_chart(
                    "trend", f"Training done by {office.name}", [(office.name, data.trend())]
                )
            ],
            "people": office_people(office, today),
        },
    )


# --- access grants: party compliance officers reading their members' training ------------------


@requires(SECURITY_TEAM)
def access_grants(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AccessGrantForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        officer = form.cleaned_data["officer"]
        services.grant_training_access(
            grantee=officer.person,
            party_id=officer.organisation_id,
            starts_on=form.cleaned_data["starts_on"],
            expires_on=form.cleaned_data["expires_on"],
            actor=request.user,
        )
        messages.success(request, f"{officer.person} may now see {officer.organisation}'s records.")
        return redirect("training:access-grants")
    today = timezone.localdate()
    grants = TrainingAccessGrant.objects.active(today).select_related("grantee", "party")
    return render(
        request, "training/access_grants.html", {"form": form, "grants": grants, "today": today}
    )


@require_POST
@requires(SECURITY_TEAM)
def access_grant_revoke(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    grant = get_object_or_404(TrainingAccessGrant, public_id=public_id)
    try:
        services.revoke_training_access(grant=grant, actor=request.user, today=timezone.localdate())
    except services.TrainingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{grant.grantee} no longer sees {grant.party}'s records.")
    return redirect("training:access-grants")
