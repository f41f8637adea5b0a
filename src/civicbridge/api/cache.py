"""The public API lists anonymous clients read the most, cached like the pages.

What is kept is the page of serialized data, not the bytes: throttling, content
negotiation and the response headers still happen on every request, while the
queries and the serializers, which are most of the cost, run once per timeout or
content change (the scopes of ``core.cache``).

Below the page, each item is kept per version of its object (``core.fragments``), for
every client: a list of 100 calls serializes only the calls it has not served since
they last changed, and fetches their relations only for those.
"""

from django.conf import settings
from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.utils import timezone
from rest_framework.response import Response

from civicbridge.core.cache import cacheable, page_key
from civicbridge.core.fragments import cached_pieces


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


class CachedItemsMixin:
    """For a viewset: ``list`` serializes each object once per ``item_version(obj)``.

    ``item_prefetch``: the relations the serializer reads, fetched only for the items not
    in the cache (``get_queryset`` leaves them out of ``list``). ``item_version`` must
    change whenever the item would: the object's ``updated_at`` moves with every write of
    it and of its relations, in one transaction.
    """

    item_prefetch: tuple[str, ...] = ()

    def item_version(self, obj) -> str:
        raise NotImplementedError

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        # Items carry date-times in the current time zone and nothing else of the request.
        kind = f"api|{self.basename}|{timezone.get_current_timezone_name()}"
        data = cached_pieces(page, kind=kind, version=self.item_version, build=self._serialize)
        return self.get_paginated_response(data)

    def _serialize(self, objects: list) -> list:
        prefetch_related_objects(objects, *self.item_prefetch)
        return list(self.get_serializer(objects, many=True).data)
