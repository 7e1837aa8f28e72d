"""List pages: sources with their versions and diffs, file imports with a progress bar, and
internal watchlists edited entry by entry. Screeners read; only security officers change."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from portcullis.accounts.access import SCREENS, SECURITY_TEAM, AuthenticatedHttpRequest, requires
from portcullis.accounts.models import User
from portcullis.accounts.need_to_know import Sensitive, may_read
from portcullis.lib.uploads import upload_limit
from portcullis.screening.forms import MAX_LIST_BYTES

from . import matching
from .fetch import FetchError, set_download_url
from .forms import DownloadForm, ListUploadForm, WatchlistEntryForm, WatchlistForm
from .imports import (
    ListImportError,
    add_watchlist_entry,
    create_source,
    remove_watchlist_entry,
)
from .live import current_index
from .models import ListEntity, ListImport, ListSource, ListVersion, stale_sources
from .uploads import start_list_import


@requires(SCREENS)
def lists(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    sources = ListSource.objects.select_related("current_version").order_by("kind", "name")
    return render(
        request,
        "screening/lists.html",
        {
            "sources": sources,
            "can_manage": SECURITY_TEAM(user),
            "watchlist_form": WatchlistForm(),
            "imports": ListImport.objects.select_related("source")[:10],
            "stale": stale_sources(),
        },
    )


@require_POST
@requires(SECURITY_TEAM)
def create_watchlist(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = WatchlistForm(request.POST)
    if form.is_valid():
        try:
            source = create_source(
                name=form.cleaned_data["name"],
                kind=ListSource.Kind.INTERNAL,
                description=form.cleaned_data["description"],
                actor=user,
            )
        except ListImportError as exc:
            messages.error(request, str(exc))
        else:
            return redirect("screening:list-detail", source.public_id)
    else:
        messages.error(request, "Give the watchlist a name.")
    return redirect("screening:lists")


SEARCH_LIMIT = 50
NAME_SEARCH_SHOWN = 0.5  # a search shows looser name matches than a screening decides on


def _readable_source(user: User, public_id: str) -> ListSource:
    """A list whose entries this user may read: every published list; an internal watchlist
    only for those who may read watchlist entries (others screen against it, unseen: 404)."""
    source = get_object_or_404(ListSource, public_id=public_id)
    if source.is_internal and not may_read(user, Sensitive.WATCHLIST):
        raise Http404
    return source


@requires(SCREENS)
def list_entries(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """Browse or search the entries in force: by name in any script (the screening engine,
    restricted to this list), by identifier or by the list's own reference."""
    user = request.user
    source = _readable_source(user, public_id)
    in_force = ListEntity.objects.filter(version_id=source.current_version_id)
    query = " ".join(request.GET.get("q", "").split())[:200]
    found: list[tuple[ListEntity, float | None]] | None = None
    if query:
        found = _search(source, in_force, query)
        page = None
    else:
        page = Paginator(in_force.order_by("caption", "pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/list_entries.html",
        {"source": source, "query": query, "found": found, "page": page},
    )


def _search(
    source: ListSource, in_force: QuerySet[ListEntity], query: str
) -> list[tuple[ListEntity, float | None]]:
    exact = in_force.filter(
        Q(external_id__iexact=f"{source.kind}:{query}")
        | Q(external_id__iexact=query)
        | Q(caption__icontains=query)
    )[:SEARCH_LIMIT]
    found: dict[str, tuple[ListEntity, float | None]] = {e.external_id: (e, None) for e in exact}
    live = current_index()
    matches = matching.screen(
        live.index,
        matching.Subject(name=query),
        threshold=NAME_SEARCH_SHOWN,
        limit=SEARCH_LIMIT * 4,
        min_score=NAME_SEARCH_SHOWN,
    )
    wanted = [m for m in matches if live.row_of(m).source_id == source.pk]
    rows = in_force.in_bulk([live.row_of(m).entity_id for m in wanted])
    for match in wanted:
        row = rows.get(live.row_of(match).entity_id)
        if row is not None and row.external_id not in found:
            found[row.external_id] = (row, match.score)
    return list(found.values())[:SEARCH_LIMIT]


@requires(SCREENS)
def list_entity(
    request: AuthenticatedHttpRequest, public_id: str, external_id: str
) -> HttpResponse:
    """One entry: every name, identifier, programme and note, and its history across versions."""
    user = request.user
    source = _readable_source(user, public_id)
    history = list(
        ListEntity.objects.filter(version__source=source, external_id=external_id)
        .select_related("version")
        .order_by("-version__number")
    )
    if not history:
        raise Http404
    numbers = set(
        source.versions.exclude(status=ListVersion.Status.PENDING).values_list("number", flat=True)
    )
    timeline: list[tuple[int, ListEntity | None, str]] = []
    later = None
    for row in reversed(history):  # oldest first, to say what each version did
        if later is None:
            what = "First listed"
        elif row.fingerprint != later.fingerprint:
            what = "Changed"
        else:
            what = "Unchanged"
        if later is not None and row.version.number - later.version.number > 1:
            gap = set(range(later.version.number + 1, row.version.number)) & numbers
            if gap:
                timeline.append((min(gap), None, "Removed"))
                what = "Listed again"
        timeline.append((row.version.number, row, what))
        later = row
    current = history[0] if history[0].version_id == source.current_version_id else None
    return render(
        request,
        "screening/list_entity.html",
        {
            "source": source,
            "entity": history[0],
            "in_force": current is not None,
            "timeline": list(reversed(timeline)),
        },
    )


@requires(SCREENS)
def list_detail(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    user = request.user
    source = get_object_or_404(ListSource, public_id=public_id)
    entries = ListEntity.objects.filter(version_id=source.current_version_id)
    readable = source.is_internal and may_read(user, Sensitive.WATCHLIST)
    return render(
        request,
        "screening/list_detail.html",
        {
            "source": source,
            "versions": source.versions.exclude(status=ListVersion.Status.PENDING)[:30],
            "entries": entries[:200] if readable else [],
            "reads_entries": readable,
            "can_manage": SECURITY_TEAM(user),
            "upload_form": ListUploadForm(),
            "download_form": DownloadForm(initial={"download_url": source.download_url}),
            "entry_form": WatchlistEntryForm(),
        },
    )


@require_POST
@requires(SECURITY_TEAM)
def set_download(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    user = request.user
    source = get_object_or_404(ListSource, public_id=public_id)
    form = DownloadForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors["download_url"]))
        return redirect("screening:list-detail", source.public_id)
    try:
        set_download_url(source=source, url=form.cleaned_data["download_url"], actor=user)
    except FetchError as exc:
        messages.error(request, str(exc))
        return redirect("screening:list-detail", source.public_id)
    if source.download_url and request.POST.get("fetch_now"):
        from .tasks import fetch_list_task

        fetch_list_task.enqueue(source_id=source.pk)
        messages.success(request, "Saved. The list is being fetched now; reload to see the result.")
    elif source.download_url:
        messages.success(request, "Saved. The list will be fetched once a day.")
    else:
        messages.success(request, "Saved. The list is no longer fetched automatically.")
    return redirect("screening:list-detail", source.public_id)


@upload_limit(MAX_LIST_BYTES)
@require_POST
@requires(SECURITY_TEAM)
def upload(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    user = request.user
    source = get_object_or_404(ListSource, public_id=public_id)
    form = ListUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        problems = form.errors.get("file") or ["Choose a file."]
        messages.error(request, " ".join(str(p) for p in problems))
        return redirect("screening:list-detail", source.public_id)
    file = form.cleaned_data["file"]
    try:
        job = start_list_import(source=source, upload=file, file_name=file.name, actor=user)
    except ListImportError as exc:
        messages.error(request, str(exc))
        return redirect("screening:list-detail", source.public_id)
    return redirect("screening:import-detail", job.public_id)


@requires(SECURITY_TEAM)
def import_detail(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    job = get_object_or_404(
        ListImport.objects.select_related("source", "version"), public_id=public_id
    )
    template = "screening/_import_progress.html" if request.htmx else "screening/import_detail.html"
    return render(request, template, {"job": job})


@requires(SCREENS)
def version_detail(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    user = request.user
    version = get_object_or_404(
        ListVersion.objects.select_related("source", "created_by"), public_id=public_id
    )
    readable = not version.source.is_internal or may_read(user, Sensitive.WATCHLIST)
    diff = version.diff if readable else {}
    return render(
        request,
        "screening/version_detail.html",
        {
            "version": version,
            "readable": readable,
            "sections": [
                ("Added", diff.get("added", [])[:500]),
                ("Removed", diff.get("removed", [])[:500]),
                ("Changed", diff.get("changed", [])[:500]),
            ],
        },
    )


@require_POST
@requires(SECURITY_TEAM)
def add_entry(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    user = request.user
    source = get_object_or_404(ListSource, public_id=public_id, kind=ListSource.Kind.INTERNAL)
    form = WatchlistEntryForm(request.POST)
    if form.is_valid():
        version = add_watchlist_entry(source=source, entry=form.entry(), actor=user)
        messages.success(request, f"Added. Version {version.number} of {source.name} is in force.")
        return redirect("screening:list-detail", source.public_id)
    entries = ListEntity.objects.filter(version_id=source.current_version_id)
    return render(
        request,
        "screening/list_detail.html",
        {
            "source": source,
            "versions": source.versions.exclude(status=ListVersion.Status.PENDING)[:30],
            "entries": entries[:200],
            "reads_entries": True,  # only the security team manages lists
            "can_manage": True,
            "upload_form": ListUploadForm(),
            "entry_form": form,
        },
        status=400,
    )


@require_POST
@requires(SECURITY_TEAM)
def remove_entry(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    user = request.user
    source = get_object_or_404(ListSource, public_id=public_id, kind=ListSource.Kind.INTERNAL)
    try:
        remove_watchlist_entry(source=source, external_id=request.POST.get("entry", ""), actor=user)
    except ListImportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Entry removed.")
    return redirect("screening:list-detail", source.public_id)
