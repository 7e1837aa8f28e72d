from django.urls import path

from .views import reports, simulations

app_name = "phishing"

urlpatterns = [
    path("report/", reports.report_new, name="report-new"),
    path("reports/", reports.queue, name="queue"),
    path("reports/export.csv", reports.queue_export, name="queue-export"),
    path("reports/bulk/", reports.queue_bulk, name="queue-bulk"),
    path("reports/<uuid:public_id>/", reports.report_detail, name="report-detail"),
    path("reports/<uuid:public_id>/raw/", reports.report_raw, name="report-raw"),
    path("reports/<uuid:public_id>/verdict/", reports.report_override, name="report-override"),
    path("reports/<uuid:public_id>/alert/", reports.report_alert, name="report-alert"),
    path("simulations/", simulations.campaigns, name="campaigns"),
    path("simulations/new/", simulations.campaign_new, name="campaign-new"),
    path("simulations/results/", simulations.my_results, name="results"),
    path("simulations/<uuid:public_id>/", simulations.campaign_detail, name="campaign-detail"),
    path(
        "simulations/<uuid:public_id>/authorise/",
        simulations.campaign_authorise,
        name="campaign-authorise",
    ),
    path(
        "simulations/<uuid:public_id>/schedule/",
        simulations.campaign_schedule,
        name="campaign-schedule",
    ),
    path(
        "simulations/<uuid:public_id>/targets/",
        simulations.campaign_targets,
        name="campaign-targets",
    ),
    path("simulations/<uuid:public_id>/pause/", simulations.campaign_pause, name="campaign-pause"),
    path(
        "simulations/<uuid:public_id>/resume/",
        simulations.campaign_resume,
        name="campaign-resume",
    ),
    path(
        "simulations/<uuid:public_id>/test-send/",
        simulations.campaign_test_send,
        name="campaign-test-send",
    ),
    path(
        "simulations/<uuid:public_id>/cancel/", simulations.campaign_cancel, name="campaign-cancel"
    ),
    path(
        "simulations/<uuid:public_id>/results/",
        simulations.campaign_results,
        name="campaign-results",
    ),
    path(
        "simulations/<uuid:public_id>/results.csv",
        simulations.campaign_results_export,
        name="campaign-results-export",
    ),
    path("lures/", simulations.templates, name="templates"),
    path("lures/install/", simulations.templates_install, name="templates-install"),
    path("lures/new/", simulations.template_new, name="template-new"),
    path("landing-pages/new/", simulations.landing_new, name="landing-new"),
    path("landing-pages/<uuid:public_id>/", simulations.landing_edit, name="landing-edit"),
    path(
        "landing-pages/<uuid:public_id>/preview/<slug:step>/",
        simulations.landing_preview,
        name="landing-preview",
    ),
    path("lures/<uuid:public_id>/edit/", simulations.template_edit, name="template-edit"),
    path("lures/<uuid:public_id>/preview/", simulations.template_preview, name="template-preview"),
    path(
        "lures/<uuid:public_id>/test-send/",
        simulations.template_test_send,
        name="template-test-send",
    ),
    path("lures/<uuid:public_id>/", simulations.template_detail, name="template-detail"),
    path("do-not-test/", simulations.do_not_test, name="do-not-test"),
    path(
        "do-not-test/<uuid:public_id>/remove/",
        simulations.do_not_test_remove,
        name="do-not-test-remove",
    ),
    path("sending-profiles/", simulations.profiles, name="profiles"),
    path("sending-profiles/<uuid:public_id>/", simulations.profile_edit, name="profile-edit"),
    path(
        "sending-profiles/<uuid:public_id>/test/",
        simulations.profile_test,
        name="profile-test",
    ),
]
