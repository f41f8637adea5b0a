import datetime
import decimal
import json
import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.http import HttpResponseNotAllowed
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation


class ServerTimingMiddleware:
    """Report each response's database queries and time in a Server-Timing header.

    Enabled by CIVICBRIDGE_SERVER_TIMING (the benchmark reads it; operators may use it
    behind a proxy that strips it). It counts through an execute wrapper, so it works
    with DEBUG off and costs two clock reads per query.

    With CIVICBRIDGE_BENCH_CAPTURE_DIR set (the benchmark's server only), a request that
    carries an ``X-Bench-Request`` id also has the SQL it really ran, with its parameters,
    appended as one JSON line to a file per process in that directory, under the endpoint
    named by ``X-Bench-Endpoint``: the benchmark replays those queries alone to measure the
    database's share of the request (its floor), from what the server ran, caches and all.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        capture_dir = getattr(settings, "CIVICBRIDGE_BENCH_CAPTURE_DIR", "")
        self.capture_dir = Path(capture_dir) if capture_dir else None

    def __call__(self, request):
        request_id = request.headers.get("X-Bench-Request") if self.capture_dir else None
        counter = _QueryCounter(capture=request_id is not None)
        started = time.perf_counter()
        with _wrap_all(counter):
            response = self.get_response(request)
        total = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = (
            f'db;desc="{counter.count} queries";dur={counter.seconds * 1000:.2f}, app;dur={total:.2f}'
        )
        response["X-Query-Count"] = str(counter.count)
        if request_id is not None:
            # Written once the response is sent (the server closes it then): the benchmark's
            # clock stops when the response arrives, and production writes no such file.
            response._resource_closers.append(
                lambda: self._write_capture(request, response, request_id, counter, total)
            )
        return response

    def _write_capture(self, request, response, request_id, counter, total_ms) -> None:
        record = {
            "request": request_id,
            "endpoint": request.headers.get("X-Bench-Endpoint", ""),
            "method": request.method,
            "path": request.get_full_path(),
            "status": response.status_code,
            "app_ms": round(total_ms, 3),
            "db_ms": round(counter.seconds * 1000, 3),
            "queries": counter.queries,
        }
        self.capture_dir.mkdir(parents=True, exist_ok=True)
        # One file per process: appends of whole lines from one process never interleave.
        with open(self.capture_dir / f"capture-{os.getpid()}.jsonl", "a", encoding="utf-8") as capture:
            capture.write(json.dumps(record, default=_tagged) + "\n")


def _tagged(value):
    """JSON for the parameter types Django passes to the driver, tagged so the replay restores them."""
    if isinstance(value, datetime.datetime):
        return {"$type": "datetime", "value": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$type": "date", "value": value.isoformat()}
    if isinstance(value, datetime.time):
        return {"$type": "time", "value": value.isoformat()}
    if isinstance(value, datetime.timedelta):
        return {"$type": "timedelta", "value": value.total_seconds()}
    if isinstance(value, decimal.Decimal):
        return {"$type": "decimal", "value": str(value)}
    if isinstance(value, uuid.UUID):
        return {"$type": "uuid", "value": str(value)}
    if isinstance(value, (bytes, memoryview)):
        return {"$type": "bytes", "value": bytes(value).hex()}
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if hasattr(value, "obj"):  # the driver's JSON adapter (psycopg's Json/Jsonb)
        return {"$type": "json", "value": value.obj}
    # Anything else the driver adapts: as its text, which PostgreSQL casts.
    return {"$type": "text", "value": str(value)}


class _QueryCounter:
    def __init__(self, *, capture: bool = False):
        self.count = 0
        self.seconds = 0.0
        self.queries = [] if capture else None

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            elapsed = time.perf_counter() - started
            self.seconds += elapsed
            if self.queries is not None:
                self.queries.append({
                    "alias": context["connection"].alias, "sql": sql,
                    "params": list(params) if params is not None and not many else params,
                    "many": many, "ms": round(elapsed * 1000, 3),
                })


class _wrap_all:
    def __init__(self, wrapper):
        self.wrapper = wrapper
        self.contexts = []

    def __enter__(self):
        for connection in connections.all(initialized_only=False):
            context = connection.execute_wrapper(self.wrapper)
            context.__enter__()
            self.contexts.append(context)

    def __exit__(self, *exc):
        for context in reversed(self.contexts):
            context.__exit__(*exc)


class MethodNotAllowedPageMiddleware:
    """A page for a 405 (an action's address opened from a link or typed in: a view that only
    takes a form's POST): Django has no handler405 and answers with an empty body, so the
    browser showed its own error screen. The status and the Allow header stay; answers that
    have a body (the API's) are left as they are."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not isinstance(response, HttpResponseNotAllowed) or response.content:
            return response
        page = render(request, "405.html", status=405)
        page["Allow"] = response["Allow"]
        return page


class DeploymentLocaleMiddleware(LocaleMiddleware):
    """The authority's language first: a page address without a language (the bare domain,
    an old link) opens in the deployment's default language, or in the one the visitor chose
    before (the language cookie), not in whatever the browser prefers; the language switcher
    offers the others. The API keeps answering in the client's Accept-Language."""

    def process_request(self, request):
        super().process_request(request)
        path = request.path_info
        if path.startswith("/api/") or translation.get_language_from_path(path):
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
