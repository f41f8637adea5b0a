"""Whole-page caching for anonymous visitors.

Most traffic of a public registry is anonymous reading of the same lists and
profiles. Their HTML is kept for CIVICBRIDGE_ANONYMOUS_CACHE_SECONDS under a key
that includes the versions of the content scopes the page shows. A write bumps the
version of the scopes it changes (after commit), so with a shared cache (Redis) the
change shows at once on the pages of those scopes and no other; with the per-process
local-memory cache, other processes show it within the timeout.

Scopes are a domain ("directory", "funding", "partners"), one entry of it
("organization:<slug>"), or the reference data ("reference": territories, thematic areas). A new, deleted or verified entry bumps its domain; an edit
of an existing entry's own text bumps only that entry, so that a registry edited
all day long keeps its lists cached: they may show the old text for at most the
timeout. Logged-in people, non-GET requests, requests with credentials and visitors
with pending messages are never served from the cache.
"""

import hashlib
from collections.abc import Iterable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

VERSION_KEY = "civicbridge:content-version:"
DIRECTORY, FUNDING, PARTNERS = "directory", "funding", "partners"
EVERY_DOMAIN = (DIRECTORY, FUNDING, PARTNERS)
# Territories and thematic areas, whose names every domain's rows show (core.fragments).
REFERENCE = "reference"


def organization_scope(slug: str) -> str:
    return f"organization:{slug}"


def content_versions(scopes: Iterable[str]) -> str:
    """The current versions of ``scopes``, as one string for a cache key."""
    scopes = list(scopes)
    found = cache.get_many([VERSION_KEY + scope for scope in scopes])
    return ".".join(str(found.get(VERSION_KEY + scope, 1)) for scope in scopes)


def bump_content_version(*scopes: str) -> None:
    """Call after a write that changes what visitors see of ``scopes``; takes effect on commit."""
    if not scopes:
        raise ValueError("name the content scopes the write changes")

    def bump():
        for scope in scopes:
            try:
                cache.incr(VERSION_KEY + scope)
            except ValueError:
                cache.set(VERSION_KEY + scope, 2, timeout=None)

    transaction.on_commit(bump)


def cacheable(request) -> bool:
    return (
        settings.CIVICBRIDGE_ANONYMOUS_CACHE_SECONDS > 0
        and request.method == "GET"
        and not request.user.is_authenticated
        and "messages" not in request.COOKIES
        and "Authorization" not in request.headers
    )


def page_key(request, scopes: list[str]) -> str:
    target = request.headers.get("HX-Target", "") if request.headers.get("HX-Request") else ""
    raw = f"{get_language()}|{target}|{request.get_full_path()}"
    return f"civicbridge:page:{content_versions(scopes)}:{hashlib.sha256(raw.encode()).hexdigest()}"


def cache_anonymous_page(view=None, *, scopes: Iterable[str] = EVERY_DOMAIN):
    """Serve anonymous GETs of ``view`` from the cache while its ``scopes`` do not change.

    A scope may name the view's keyword arguments: ``"organization:{slug}"``.
    """
    if view is None:
        return lambda view: cache_anonymous_page(view, scopes=scopes)
    scopes = tuple(scopes)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not cacheable(request):
            return view(request, *args, **kwargs)
        key = page_key(request, [scope.format(**kwargs) for scope in scopes])
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
