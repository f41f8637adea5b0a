"""The public API lists anonymous clients read the most, cached like the pages.

What is kept is the page of serialized data, not the bytes: throttling, content
negotiation and the response headers still happen on every request, while the
queries and the serializers, which are most of the cost, run once per timeout or
content change (the scopes of ``core.cache``).
"""

from django.conf import settings
from django.core.cache import cache
from rest_framework.response import Response

from civicbridge.core.cache import cacheable, page_key


class AnonymousListCacheMixin:
    """For a viewset: serve ``list`` to anonymous clients from the cache while ``cache_scopes`` do not change."""

    cache_scopes: tuple[str, ...] = ()

    def list(self, request, *args, **kwargs):
        if not cacheable(request):
            return super().list(request, *args, **kwargs)
        key = "api:" + page_key(request, list(self.cache_scopes))
        data = cache.get(key)
        if data is not None:
            return Response(data, headers={"X-Page-Cache": "hit"})
        response = super().list(request, *args, **kwargs)
        if response.status_code == 200:
            cache.set(key, response.data, settings.CIVICBRIDGE_ANONYMOUS_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response
