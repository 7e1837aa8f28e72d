from django.urls import path

from . import views

app_name = "donations"

urlpatterns = [
    path("", views.donation_list, name="list"),
    path("record/", views.donation_new, name="record"),
    path("<uuid:public_id>/", views.donation_detail, name="detail"),
    path("<uuid:public_id>/decide/", views.donation_decide, name="decide"),
    path("reports/", views.report_list, name="reports"),
    path(
        "reports/<uuid:party_id>/<slug:kind>/<slug:start>/",
        views.report_detail,
        name="report",
    ),
    path("rules/", views.rule_list, name="rules"),
    path("rules/<uuid:public_id>/switch/", views.rule_switch, name="rule-switch"),
    path("desk/", views.referral_list, name="referrals"),
    path("desk/refer/", views.referral_new, name="referral-new"),
    path("desk/<uuid:public_id>/", views.referral_detail, name="referral"),
    path("desk/<uuid:public_id>/screen/", views.referral_screen, name="referral-screen"),
    path("desk/<uuid:public_id>/brief/", views.referral_brief, name="referral-brief"),
    path("interests/", views.interest_list, name="interests"),
    path("interests/record/", views.interest_new, name="interest-new"),
    path("interests/<uuid:public_id>/", views.interest_detail, name="interest"),
    path(
        "interests/<uuid:public_id>/registered/",
        views.interest_registered,
        name="interest-registered",
    ),
]
