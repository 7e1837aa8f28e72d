from django.urls import path

from . import authoring_views, disclosure_views, views

app_name = "training"

urlpatterns = [
    path("access/", views.access_grants, name="access-grants"),
    path(
        "access/<uuid:public_id>/withdraw/", views.access_grant_revoke, name="access-grant-revoke"
    ),
    path("", views.mine, name="mine"),
    path("courses/", views.courses, name="courses"),
    path("courses/<uuid:public_id>/", views.course_detail, name="course-detail"),
    path(
        "courses/<uuid:public_id>/sections/<int:order>/guidance/",
        views.module_guidance,
        name="module-guidance",
    ),
    path(
        "courses/<uuid:public_id>/sections/<int:order>/image/",
        views.module_image,
        name="module-image",
    ),
    path("courses/<uuid:public_id>/quiz/", views.quiz_start, name="quiz-start"),
    path("courses/<uuid:public_id>/version/", views.publish_version, name="course-version"),
    path("authoring/", authoring_views.courses, name="author-courses"),
    path("authoring/new/", authoring_views.course_new, name="author-course-new"),
    path("authoring/<uuid:public_id>/", authoring_views.course, name="author-course"),
    path("authoring/<uuid:public_id>/preview/", authoring_views.preview, name="author-preview"),
    path("authoring/<uuid:public_id>/publish/", authoring_views.publish, name="author-publish"),
    path(
        "authoring/<uuid:public_id>/sections/new/",
        authoring_views.module,
        name="author-module-new",
    ),
    path(
        "authoring/<uuid:public_id>/sections/<int:order>/",
        authoring_views.module,
        name="author-module",
    ),
    path(
        "authoring/<uuid:public_id>/sections/<int:order>/remove/",
        authoring_views.module_remove,
        name="author-module-remove",
    ),
    path(
        "authoring/<uuid:public_id>/questions/new/",
        authoring_views.question,
        name="author-question-new",
    ),
    path(
        "authoring/<uuid:public_id>/questions/<uuid:question_id>/",
        authoring_views.question,
        name="author-question",
    ),
    path(
        "authoring/<uuid:public_id>/questions/<uuid:question_id>/retire/",
        authoring_views.question_retire,
        name="author-question-retire",
    ),
    path("requirements/", authoring_views.requirements, name="requirements"),
    path("requirements/new/", authoring_views.requirement, name="requirement-new"),
    path("requirements/<uuid:public_id>/", authoring_views.requirement, name="requirement"),
    path(
        "requirements/<uuid:public_id>/retire/",
        authoring_views.requirement_retire,
        name="requirement-retire",
    ),
    path("attempts/<uuid:public_id>/", views.attempt, name="attempt"),
    path("certificates/<uuid:public_id>/", views.certificate, name="certificate"),
    path("calendar/<str:token>.ics", views.calendar, name="calendar"),
    path("people/<uuid:public_id>/", views.person_record, name="person"),
    path("people/<uuid:public_id>/briefings/", views.record_completion, name="person-briefing"),
    path("people/<uuid:public_id>/exemptions/", views.add_exemption, name="person-exemption"),
    path("people/<uuid:public_id>/remedial/", views.add_remedial, name="person-remedial"),
    path("compliance/", views.compliance, name="compliance"),
    path("compliance/offices/<uuid:public_id>/", views.compliance_office, name="compliance-office"),
    path("disclosure/", disclosure_views.lists, name="disclosure-lists"),
    path("disclosure/draft/", disclosure_views.draft, name="disclosure-draft"),
    path("disclosure/<uuid:public_id>/", disclosure_views.detail, name="disclosure-detail"),
    path("disclosure/<uuid:public_id>/notice/", disclosure_views.notice, name="disclosure-notice"),
    path(
        "disclosure/<uuid:public_id>/<slug:action>/",
        disclosure_views.step,
        name="disclosure-step",
    ),
    path(
        "disclosure/entries/<uuid:public_id>/decide/",
        disclosure_views.decide,
        name="disclosure-decide",
    ),
    path(
        "disclosure/entries/<uuid:public_id>/appeal/",
        disclosure_views.appeal,
        name="disclosure-appeal",
    ),
    path("published/<uuid:public_id>/", disclosure_views.published, name="disclosure-published"),
    path(
        "published/<uuid:public_id>/list.csv",
        disclosure_views.published_csv,
        name="disclosure-csv",
    ),
    path(
        "published/<uuid:public_id>/list.pdf",
        disclosure_views.published_pdf,
        name="disclosure-pdf",
    ),
]
