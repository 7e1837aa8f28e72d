from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .forms import LedgerFilterForm
from .models import LedgerCheck, LedgerEntry


def entries(request: HttpRequest) -> HttpResponse:
    if not request.user.scope.has("security_officer", "administrator"):  # type: ignore[union-attr]
        raise PermissionDenied
    form = LedgerFilterForm(request.GET)
    qs = form.filter(LedgerEntry.objects.visible_to(request.user))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    template = "ledger/_entry_rows.html" if request.htmx else "ledger/entries.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "last_check": LedgerCheck.objects.first(),
        },
    )
