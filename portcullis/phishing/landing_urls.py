"""Public simulation links, /l/<token>/: outside /phishing/ so the URL gives nothing away."""

from django.urls import path

from .views import landing

app_name = "phishing-landing"

urlpatterns = [
    path("<str:token>/", landing.link, name="link"),
    path("<str:token>/open/", landing.confirm, name="confirm"),
    path("<str:token>/submit/", landing.submit, name="submit"),
    path("<str:token>/done/", landing.learn, name="learn"),
    path("<str:token>/i.png", landing.pixel, name="pixel"),
]
