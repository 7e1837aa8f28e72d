from django.apps import AppConfig


class IntelConfig(AppConfig):
    name = "portcullis.intel"
    label = "intel"
    verbose_name = "Intelligence: observables, campaigns and security alerts"
