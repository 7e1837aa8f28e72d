from django.apps import AppConfig


class SchedulerConfig(AppConfig):
    name = "portcullis.scheduler"
    label = "scheduler"
    verbose_name = "Scheduled jobs"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Each app declares its periodic jobs in its own `jobs.py`.
        autodiscover_modules("jobs")
