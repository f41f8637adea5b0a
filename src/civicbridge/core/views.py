from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import selectors


def home(request):
    return render(
        request, "core/home.html", {"figures": selectors.home_figures(), "sections": selectors.home_sections(request)}
    )


def search(request):
    query = request.GET.get("q", "").strip()
    return render(request, "core/search.html", {"query": query, "groups": selectors.site_search(query)})


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
