"""The security team's pages for writing courses and requirements (services: `authoring`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from portcullis.accounts.access import SECURITY_TEAM, AuthenticatedHttpRequest, requires
from portcullis.lib.uploads import upload_limit

from . import authoring
from .forms import CourseForm, ModuleForm, PublishForm, QuestionForm, RequirementForm
from .models import Course, Module, Question, Requirement


def _refused(form: Any, exc: authoring.AuthoringError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


def _form_page(
    request: AuthenticatedHttpRequest,
    form: Any,
    *,
    title: str,
    caption: str,
    button: str,
    back: str,
    status: int = 200,
    multipart: bool = False,
) -> HttpResponse:
    return render(
        request,
        "training/authoring_form.html",
        {
            "form": form,
            "title": title,
            "caption": caption,
            "button": button,
            "back": back,
            "multipart": multipart,
        },
        status=400 if form.is_bound and form.errors else status,
    )


@requires(SECURITY_TEAM)
def courses(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "training/authoring_courses.html",
        {"courses": Course.objects.order_by("is_published", "title")},
    )


@requires(SECURITY_TEAM)
def course_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CourseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            course = authoring.create_course(actor=request.user, **form.cleaned_data)
        except authoring.AuthoringError as exc:
            _refused(form, exc)
        else:
            messages.success(request, "Draft course saved. Add its sections and questions.")
            return redirect("training:author-course", course.public_id)
    return _form_page(
        request,
        form,
        title="Write a course",
        caption="Courses",
        button="Save draft",
        back=reverse("training:author-courses"),
    )


@requires(SECURITY_TEAM)
def course(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    course = get_object_or_404(Course, public_id=public_id)
    form = CourseForm(
        request.POST if request.method == "POST" else None,
        initial={
            "title": course.title,
            "summary": course.summary,
            "minutes": course.minutes,
            "pass_mark": course.pass_mark,
            "questions_per_attempt": course.questions_per_attempt,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            authoring.change_course(course=course, actor=request.user, **form.cleaned_data)
        except authoring.AuthoringError as exc:
            _refused(form, exc)
        else:
            messages.success(request, "Course details saved.")
            return redirect("training:author-course", course.public_id)
    return render(
        request,
        "training/authoring_course.html",
        {
            "course": course,
            "form": form,
            "modules": course.modules.all(),
            "questions": course.questions.filter(is_active=True).prefetch_related("choices"),
            "problems": authoring.publish_problems(course),
            "publish_form": PublishForm(),
        },
        status=400 if form.errors else 200,
    )


@requires(SECURITY_TEAM)
def preview(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    course = get_object_or_404(Course, public_id=public_id)
    return render(
        request,
        "training/authoring_preview.html",
        {
            "course": course,
            "modules": course.modules.all(),
            "questions": course.questions.filter(is_active=True).prefetch_related("choices"),
        },
    )


@require_POST
@requires(SECURITY_TEAM)
def publish(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    course = get_object_or_404(Course, public_id=public_id)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            authoring.publish_course(course=course, actor=request.user, **form.cleaned_data)
        except authoring.AuthoringError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Version {course.version} published.")
    return redirect("training:author-course", course.public_id)


@upload_limit(authoring.MAX_IMAGE_BYTES)
@requires(SECURITY_TEAM)
def module(
    request: AuthenticatedHttpRequest, public_id: str, order: int | None = None
) -> HttpResponse:
    course = get_object_or_404(Course, public_id=public_id)
    found = get_object_or_404(Module, course=course, order=order) if order is not None else None
    initial = (
        {"title": found.title, "body": found.body, "image_alt": found.image_alt} if found else None
    )
    bound = request.method == "POST"
    form = ModuleForm(
        request.POST if bound else None, request.FILES if bound else None, initial=initial
    )
    if found is None or not found.image:
        del form.fields["remove_image"]
    if request.method == "POST" and form.is_valid():
        try:
            if found is None:
                form.cleaned_data.pop("remove_image", None)
                authoring.add_module(course=course, actor=request.user, **form.cleaned_data)
            else:
                authoring.change_module(module=found, actor=request.user, **form.cleaned_data)
        except authoring.AuthoringError as exc:
            _refused(form, exc)
        else:
            messages.success(request, "Section saved.")
            return redirect("training:author-course", course.public_id)
    return _form_page(
        request,
        form,
        title=f"Change “{found.title}”" if found else "Add a section",
        caption=course.title,
        button="Save section",
        multipart=True,
        back=reverse("training:author-course", args=[course.public_id]),
    )


@require_POST
@requires(SECURITY_TEAM)
def module_remove(request: AuthenticatedHttpRequest, public_id: str, order: int) -> HttpResponse:
    found = get_object_or_404(Module, course__public_id=public_id, order=order)
    authoring.remove_module(module=found, actor=request.user)
    messages.success(request, f"Section “{found.title}” removed.")
    return redirect("training:author-course", public_id)


@requires(SECURITY_TEAM)
def question(
    request: AuthenticatedHttpRequest, public_id: str, question_id: str | None = None
) -> HttpResponse:
    course = get_object_or_404(Course, public_id=public_id)
    found = (
        get_object_or_404(Question, course=course, public_id=question_id, is_active=True)
        if question_id
        else None
    )
    form = QuestionForm(
        request.POST if request.method == "POST" else None,
        initial=QuestionForm.initial_for(found) if found else None,
    )
    if request.method == "POST" and form.is_valid():
        data = {
            "text": form.cleaned_data["text"],
            "explanation": form.cleaned_data["explanation"],
            "options": form.options(),
        }
        try:
            if found is None:
                authoring.add_question(course=course, actor=request.user, **data)
            else:
                authoring.change_question(question=found, actor=request.user, **data)
        except authoring.AuthoringError as exc:
            _refused(form, exc)
        else:
            messages.success(request, "Question saved.")
            return redirect("training:author-course", course.public_id)
    return _form_page(
        request,
        form,
        title="Change a question" if found else "Add a question",
        caption=course.title,
        button="Save question",
        back=reverse("training:author-course", args=[course.public_id]),
    )


@require_POST
@requires(SECURITY_TEAM)
def question_retire(
    request: AuthenticatedHttpRequest, public_id: str, question_id: str
) -> HttpResponse:
    found = get_object_or_404(
        Question, course__public_id=public_id, public_id=question_id, is_active=True
    )
    authoring.retire_question(question=found, actor=request.user)
    messages.success(request, "Question taken out of the pool.")
    return redirect("training:author-course", public_id)


# --- requirements ------------------------------------------------------------------------------


@requires(SECURITY_TEAM)
def requirements(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = Requirement.objects.select_related("course", "organisation", "office").order_by(
        "-is_active", "name"
    )
    return render(request, "training/requirements.html", {"requirements": rows})


@requires(SECURITY_TEAM)
def requirement(request: AuthenticatedHttpRequest, public_id: str | None = None) -> HttpResponse:
    found = get_object_or_404(Requirement, public_id=public_id) if public_id else None
    form = RequirementForm(
        request.POST if request.method == "POST" else None,
        initial=RequirementForm.initial_for(found) if found else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if found is None:
                authoring.create_requirement(actor=request.user, **form.cleaned_data)
            else:
                authoring.change_requirement(
                    requirement=found, actor=request.user, **form.cleaned_data
                )
        except authoring.AuthoringError as exc:
            _refused(form, exc)
        else:
            messages.success(
                request, "Requirement saved. People are assigned at the next training sync."
            )
            return redirect("training:requirements")
    return _form_page(
        request,
        form,
        title=f"Change “{found.name}”" if found else "Add a requirement",
        caption="Training requirements",
        button="Save requirement",
        back=reverse("training:requirements"),
    )


@require_POST
@requires(SECURITY_TEAM)
def requirement_retire(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    found = get_object_or_404(Requirement, public_id=public_id)
    try:
        authoring.retire_requirement(requirement=found, actor=request.user)
    except authoring.AuthoringError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"“{found.name}” retired. Its open assignments end at the next training sync."
        )
    return redirect("training:requirements")
