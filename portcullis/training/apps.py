from typing import Any

from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "portcullis.training"
    label = "training"
    verbose_name = "Security training and compliance"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from portcullis.accounts.models import Membership, Office, Organisation, Person
        from portcullis.accounts.signals import directory_changed
        from portcullis.protection.models import Clearance, SosDevice

        from . import compliance_cache
        from .models import Assignment, Exemption

        def changed(**kwargs: Any) -> None:
            compliance_cache.changed()

        # Everything the compliance figures count; writes in bulk are covered by
        # `directory_changed` and `summary.refresh`, which send no post_save.
        counted = (Membership, Person, Office, Organisation, Clearance, SosDevice)
        for model in (*counted, Assignment, Exemption):
            for signal in (post_save, post_delete):
                signal.connect(changed, sender=model, dispatch_uid=f"compliance-{model.__name__}")
        directory_changed.connect(changed, dispatch_uid="compliance-directory")
