from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from portcullis.accounts.access import READS_LEDGER, AuthenticatedHttpRequest, requires

from .forms import LedgerFilterForm
from .models import LedgerCheck, LedgerEntry


@requires(READS_LEDGER)
def entries(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = LedgerFilterForm(request.GET)
    qs = form.filter(LedgerEntry.objects.visible_to(request.user))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    template = "ledger/_entry_rows.html" if request.htmx else "ledger/entries.html"
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "last_check": LedgerCheck.objects.first(),
        },
    )
