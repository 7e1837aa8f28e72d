from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, URLResolver, include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView

from portcullis.accounts import views as account_views
from portcullis.lib.apidocs import api_reference


@login_not_required
def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


api_v1: list[URLPattern | URLResolver] = [
    path("", include("portcullis.accounts.api")),
    path("", include("portcullis.ledger.api")),
    path("", include("portcullis.training.api")),
    path("", include("portcullis.phishing.api")),
    path("", include("portcullis.protection.api")),
    path("", include("portcullis.approaches.api")),
    path("", include("portcullis.intel.api")),
    path("", include("portcullis.screening.api")),
    path("", include("portcullis.visitors.api")),
    path("", include("portcullis.donations.api")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Rendered on the server from the schema: no script, so the strict CSP holds.
    path("docs/", api_reference, name="api-docs"),
]

urlpatterns = [
    path("", account_views.dashboard, name="dashboard"),
    path("", include("portcullis.accounts.urls")),
    path("ledger/", include("portcullis.ledger.urls")),
    path("training/", include("portcullis.training.urls")),
    path("protection/", include("portcullis.protection.urls")),
    path("approaches/", include("portcullis.approaches.urls")),
    path("intel/", include("portcullis.intel.urls")),
    path("screening/", include("portcullis.screening.urls")),
    path("phishing/", include("portcullis.phishing.urls")),
    path("donations/", include("portcullis.donations.urls")),
    path("visitors/", include("portcullis.visitors.urls")),
    # Simulation links: a neutral path, so the URL does not announce a test.
    path("l/", include("portcullis.phishing.landing_urls")),
    path("api/v1/", include(api_v1)),
    # The admin signs in through our sign-in page, so lockout, MFA and the ledger apply.
    path(
        "admin/login/",
        login_not_required(
            RedirectView.as_view(pattern_name="accounts:sign-in", query_string=True)
        ),
    ),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
]
