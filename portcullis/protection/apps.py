from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "portcullis.protection"
    label = "protection"
    verbose_name = "Protection: exposure, vetting and SOS devices"
