import time

from django.db import connections


class ServerTimingMiddleware:
    """Report each response's database queries and time in a Server-Timing header.

    Enabled by CIVICBRIDGE_SERVER_TIMING (the benchmark reads it; operators may use it
    behind a proxy that strips it). It counts through an execute wrapper, so it works
    with DEBUG off and costs two clock reads per query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = _QueryCounter()
        started = time.perf_counter()
        with _wrap_all(counter):
            response = self.get_response(request)
        total = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = (
            f'db;desc="{counter.count} queries";dur={counter.seconds * 1000:.2f}, app;dur={total:.2f}'
        )
        response["X-Query-Count"] = str(counter.count)
        return response


class _QueryCounter:
    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


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
