from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import deployment, selectors, services
from .filters import FIND_MAX_LENGTH
from .forms import SitePageForm, submit
from .models import SitePage
from .rules import is_coordinator


def home(request):
    return render(
        request, "core/home.html", {"figures": selectors.home_figures(), "sections": selectors.home_sections(request)}
    )


@require_GET
def brand_css(request):
    """The deployment's accent as the stylesheet's brand colour: settings, not a static file,
    so that one build serves every authority. Its address carries the colour (base.html), so
    a browser may keep it for long."""
    accent = deployment.current().accent
    response = HttpResponse(f":root {{ --brand: {accent}; }}\n", content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=604800"
    return response


def _page_kind(kind: str) -> str:
    if kind not in SitePage.Kind.values:
        raise Http404
    return kind


def site_page(request, kind):
    """The authority's privacy notice, accessibility statement or contact page: the version
    a coordinator published, or the platform's own text until one is."""
    kind = _page_kind(kind)
    context = {
        "kind": kind, "kind_label": SitePage.Kind(kind).label, "page": selectors.site_page(kind),
        "can_edit": is_coordinator(request.user),
        "mail_retention_days": settings.CIVICBRIDGE_MAIL_RETENTION_DAYS,
    }
    return render(request, "core/pages/page.html", context)


@login_required
def edit_site_page(request, kind):
    kind = _page_kind(kind)
    if not is_coordinator(request.user):
        raise PermissionDenied
    current = selectors.site_page(kind)
    initial = {}
    if current:
        initial = {f"{part}_{code}": getattr(current, f"{part}_{code}") for part in ("title", "body") for code in ("en", "pl", "tr")}
    form = SitePageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        titles, bodies = form.texts()
        saved = submit(form, lambda: services.publish_site_page(kind=kind, by=request.user, titles=titles, bodies=bodies))
        if saved is not None:
            messages.success(request, _("The page is published."))
            return redirect(f"core:{kind}")
    return render(request, "core/pages/edit.html", {"form": form, "kind": kind, "kind_label": SitePage.Kind(kind).label, "page": current})


def search(request):
    query = request.GET.get("q", "").strip()
    # ``site_query``: the header's search box, which no other page's own ``query`` may fill.
    context = {"query": query, "site_query": query, "groups": selectors.site_search(query)}
    return render(request, "core/search.html", context)


@require_GET
@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def readyz(request):
    checks = {"database": _database_reachable(), "tasks": _task_queue_reachable()}
    ready = all(checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", **{k: "ok" if v else "error" for k, v in checks.items()}},
        status=200 if ready else 503,
    )


def _database_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _task_queue_reachable() -> bool:
    from django.tasks import task_backends

    try:
        backend = task_backends["default"]
        if backend.__class__.__name__ == "DatabaseBackend":
            from django_tasks_db.models import DBTaskResult

            DBTaskResult.objects.exists()
        return True
    except Exception:
        return False


SUGGESTIONS = 10


def suggestions_view(parameter: str, suggest):
    """The view that fills a find field's suggestions (``core.filters.FindInput``): the options
    ``suggest(text, limit=...)`` gives, as (value, label), for what was typed into ``parameter``,
    once two characters are."""

    @require_GET
    def view(request):
        text = request.GET.get(parameter, "").strip()
        worth_it = 2 <= len(text) <= FIND_MAX_LENGTH and "\x00" not in text
        options = suggest(text, limit=SUGGESTIONS) if worth_it else []
        return render(request, "core/suggestions.html", {"options": options})

    return view
