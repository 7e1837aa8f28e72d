from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "portcullis.training"
    label = "training"
    verbose_name = "Security training and compliance"
