from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "portcullis.ledger"
    label = "ledger"
    verbose_name = "Ledger"
