"""Whole-page caching for anonymous visitors.

Most traffic of a public registry is anonymous reading of the same lists and
profiles. Their HTML is kept for CIVICBRIDGE_ANONYMOUS_CACHE_SECONDS under a key
that includes a content version: every write to public content bumps the version
(after commit), so with a shared cache (Redis) a change shows at once; with the
per-process local-memory cache, other processes show it within the timeout.
Logged-in people, non-GET requests and visitors with pending messages are never
served from the cache.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

VERSION_KEY = "civicbridge:public-content-version"


def public_content_version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, timeout=None)


def bump_public_content_version() -> None:
    """Call after a write that changes what visitors see; takes effect on commit."""

    def bump():
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, 2, timeout=None)

    transaction.on_commit(bump)


def _cacheable(request) -> bool:
    return (
        settings.CIVICBRIDGE_ANONYMOUS_CACHE_SECONDS > 0
        and request.method == "GET"
        and not request.user.is_authenticated
        and "messages" not in request.COOKIES
    )


def _key(request) -> str:
    target = request.headers.get("HX-Target", "") if request.headers.get("HX-Request") else ""
    raw = f"{get_language()}|{target}|{request.get_full_path()}"
    return f"civicbridge:page:{public_content_version()}:{hashlib.sha256(raw.encode()).hexdigest()}"


def cache_anonymous_page(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            response = HttpResponse(content, content_type=content_type)
            response["X-Page-Cache"] = "hit"
        else:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                cache.set(key, (response.content, response["Content-Type"]), settings.CIVICBRIDGE_ANONYMOUS_CACHE_SECONDS)
                response["X-Page-Cache"] = "miss"
        patch_vary_headers(response, ("Cookie", "HX-Request", "HX-Target"))
        return response

    return wrapped
