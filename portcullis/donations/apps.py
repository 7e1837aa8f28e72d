from django.apps import AppConfig


class DonationsConfig(AppConfig):
    name = "portcullis.donations"
    label = "donations"
    verbose_name = "Donations, registers of interests and the party desk"
