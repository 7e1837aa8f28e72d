"""The pages a simulation link leads to. Open to anyone holding a token; nothing here reads,
logs or keeps what a person types: the form's inputs have no names, so browsers do not even send
their values, and the views never look at the request body.

Flow: link (GET: recorded, not counted) -> confirming step (POST: the counted click) -> the form
(POST: "submitted", counted) -> what gave it away. Mail scanners fetch the link; they do not press
the button, and HEAD/prefetch/scanner requests are recorded as automated.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from ..models import Event, Target
from ..services import events

# A transparent 1x1 GIF.
PIXEL = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)
HEADERS = ("purpose", "sec-purpose", "x-purpose", "x-moz")


def _target(token: str) -> Target:
    target = (
        Target.objects.select_related("campaign__template__landing_page", "person")
        .filter(token=token)
        .first()
    )
    if target is None:
        raise Http404
    return target


def _facts(request: HttpRequest) -> events.Facts:
    headers = {name: request.headers.get(name, "") for name in HEADERS if name in request.headers}
    return events.Facts(
        method=request.method or "GET",
        user_agent=request.headers.get("user-agent", "")[:300],
        ip=request.META.get("REMOTE_ADDR") or None,
        headers=headers,
    )


def _page(request: HttpRequest, target: Target, step: str) -> HttpResponse:
    template = target.campaign.template
    response = render(
        request,
        "phishing/landing/page.html",
        {"target": target, "page": template.landing_page, "step": step, "template": template},
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD"])
def link(request: HttpRequest, token: str) -> HttpResponse:
    target = _target(token)
    events.record_link_fetch(target=target, facts=_facts(request), now=timezone.now())
    if request.method == "HEAD":
        return HttpResponse(status=200)
    return _page(request, target, "confirm")


@login_not_required
@never_cache
@sensitive_post_parameters()
@require_POST
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    target = _target(token)
    events.record_fetch(
        target=target, kind=Event.Kind.CLICKED, facts=_facts(request), now=timezone.now()
    )
    return _page(request, target, "form")


@login_not_required
@never_cache
@sensitive_post_parameters()
@require_POST
def submit(request: HttpRequest, token: str) -> HttpResponse:
    target = _target(token)
    events.record_submission(target=target, facts=_facts(request), now=timezone.now())
    return redirect("phishing-landing:learn", token=token)


@login_not_required
@never_cache
def learn(request: HttpRequest, token: str) -> HttpResponse:
    target = _target(token)
    response = render(
        request,
        "phishing/landing/learn.html",
        {"target": target, "template": target.campaign.template},
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD"])
def pixel(request: HttpRequest, token: str) -> HttpResponse:
    target = _target(token)
    events.record_fetch(
        target=target, kind=Event.Kind.OPENED, facts=_facts(request), now=timezone.now()
    )
    return HttpResponse(PIXEL, content_type="image/gif")
