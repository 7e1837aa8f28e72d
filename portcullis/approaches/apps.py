from django.apps import AppConfig


class ApproachesConfig(AppConfig):
    name = "portcullis.approaches"
    label = "approaches"
    verbose_name = "Suspicious-approach reports"
