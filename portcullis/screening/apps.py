from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "portcullis.screening"
    label = "screening"
    verbose_name = "Screening against sanctions lists and watchlists"
