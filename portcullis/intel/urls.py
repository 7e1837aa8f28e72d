from django.urls import path

from . import views

app_name = "intel"

urlpatterns = [
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/alerts.csv", views.alerts_export, name="alerts-export"),
    path("alerts/new/", views.alert_new, name="alert-new"),
    path("alerts/import/", views.alert_import, name="alert-import"),
    path("alerts/<uuid:public_id>/", views.alert_detail, name="alert-detail"),
    path("alerts/<uuid:public_id>/edit/", views.alert_edit, name="alert-edit"),
    path("alerts/<uuid:public_id>/publish/", views.alert_publish, name="alert-publish"),
    path("alerts/<uuid:public_id>/withdraw/", views.alert_withdraw, name="alert-withdraw"),
    path("alerts/<uuid:public_id>/remind/", views.alert_remind, name="alert-remind"),
    path("alerts/<uuid:public_id>/acknowledge/", views.alert_acknowledge, name="alert-acknowledge"),
    path("alerts/<uuid:public_id>/stix/", views.alert_stix, name="alert-stix"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("campaigns/<uuid:public_id>/", views.campaign_detail, name="campaign-detail"),
    path("campaigns/<uuid:public_id>/merge/", views.campaign_merge, name="campaign-merge"),
    path("campaigns/<uuid:public_id>/edit/", views.campaign_update, name="campaign-update"),
    path("campaigns/<uuid:public_id>/split/", views.campaign_split, name="campaign-split"),
    path("campaigns/<uuid:public_id>/stix/", views.campaign_stix, name="campaign-stix"),
]
