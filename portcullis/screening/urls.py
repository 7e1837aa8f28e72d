from django.urls import path

from . import figures, list_views, views

app_name = "screening"

urlpatterns = [
    path("", views.screen, name="screen"),
    path("screenings/", views.screenings, name="screenings"),
    path("screenings/export.csv", views.screenings_export, name="screenings-export"),
    path("screenings/<uuid:public_id>/", views.screening_detail, name="screening-detail"),
    path("screenings/<uuid:public_id>/monitor/", views.monitor, name="screening-monitor"),
    path("results/<uuid:public_id>/decide/", views.decide, name="result-decide"),
    path("decisions/<uuid:public_id>/confirm/", views.confirm_decision, name="decision-confirm"),
    path("monitoring/", views.monitoring, name="monitoring"),
    path("figures/", figures.figures, name="figures"),
    path("monitoring/<uuid:public_id>/stop/", views.stop_monitoring, name="monitoring-stop"),
    path("changes/<uuid:public_id>/acknowledge/", views.acknowledge, name="change-acknowledge"),
    path("batches/", views.batch_list, name="batches"),
    path("batches/<uuid:public_id>/", views.batch_detail, name="batch-detail"),
    path("batches/<uuid:public_id>/result.csv", views.batch_result, name="batch-result"),
    path("batch-hits/<uuid:public_id>/decide/", views.batch_decide, name="batch-decide"),
    path("lists/", list_views.lists, name="lists"),
    path("lists/watchlists/", list_views.create_watchlist, name="watchlist-create"),
    path("lists/<uuid:public_id>/", list_views.list_detail, name="list-detail"),
    path("lists/<uuid:public_id>/import/", list_views.upload, name="list-import"),
    path("lists/<uuid:public_id>/download/", list_views.set_download, name="list-download"),
    path("lists/<uuid:public_id>/browse/", list_views.list_entries, name="list-entries"),
    path(
        "lists/<uuid:public_id>/entity/<path:external_id>/",
        list_views.list_entity,
        name="list-entity",
    ),
    path("lists/<uuid:public_id>/entries/", list_views.add_entry, name="list-entry-add"),
    path(
        "lists/<uuid:public_id>/entries/remove/", list_views.remove_entry, name="list-entry-remove"
    ),
    path("imports/<uuid:public_id>/", list_views.import_detail, name="import-detail"),
    path("versions/<uuid:public_id>/", list_views.version_detail, name="version-detail"),
]
