from django.urls import path

from . import figures, views

app_name = "approaches"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("report/", views.report_new, name="report"),
    path("triage/", views.queue, name="queue"),
    path("figures/", figures.figures, name="figures"),
    path("triage/export.csv", views.queue_export, name="queue-export"),
    path("triage/bulk/", views.queue_bulk, name="queue-bulk"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/triage/", views.triage, name="triage"),
    path("<uuid:public_id>/notes/", views.note, name="note"),
    path("<uuid:public_id>/feedback/", views.feedback, name="feedback"),
    path(
        "<uuid:public_id>/evidence/<uuid:evidence_id>/",
        views.evidence_download,
        name="evidence",
    ),
]
