from django.urls import path

from . import views

app_name = "protection"

urlpatterns = [
    path("people/<uuid:public_id>/clearances/", views.add_clearance, name="clearance-add"),
    path("people/<uuid:public_id>/devices/", views.issue_device, name="device-issue"),
    path("devices/<uuid:public_id>/<slug:event>/", views.device_event, name="device-event"),
    path("people/<uuid:public_id>/exposure/", views.exposure, name="exposure"),
]
