from django.apps import AppConfig


class PhishingConfig(AppConfig):
    name = "portcullis.phishing"
    label = "phishing"
    verbose_name = "Phishing reports and simulations"
