from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "portcullis.accounts"
    label = "accounts"
    verbose_name = "Accounts and directory"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Each app may contribute dashboard panels in its own `dashboard.py`.
        autodiscover_modules("dashboard")

        from django.core import checks

        from .throttling import check_shared_cache

        checks.register(check_shared_cache, checks.Tags.caches, deploy=True)
