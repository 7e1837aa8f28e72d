from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "portcullis.training"
    label = "training"
    verbose_name = "Security training and compliance"

    def ready(self) -> None:
        from django.core import checks

        from portcullis.lib import pdffonts

        checks.register(pdffonts.check_fonts)
