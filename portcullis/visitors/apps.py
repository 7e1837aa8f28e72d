from django.apps import AppConfig


class VisitorsConfig(AppConfig):
    name = "portcullis.visitors"
    label = "visitors"
    verbose_name = "Visitors"
