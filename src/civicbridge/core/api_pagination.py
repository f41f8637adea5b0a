"""The API lists' paging: ``{"count", "count_is_exact", "next", "previous", "results"}``.

``count`` is the exact number of items the list (with its filters) holds. A full-text search
that matches more than ``core.search.EXACT_MATCHES`` items gives "about N" instead, with
``count_is_exact`` false: counting them would read them all. Following ``next`` from any
page reaches the last item either way (a next page exists when an item follows this page).
``?page=`` numbers pages from 1; ``?page_size=`` takes 1 to 100.
"""

from functools import partial

from django.core.paginator import InvalidPage
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import pagination
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from .pagination import CountedPaginator, estimated_page
from .search import MatchCount


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, for lists only, keeping the filter set on the view: a view whose
    count the database keeps (``known_count``) reads the chosen filters from it.

    An item's address names it: a list's filters do not apply to it (DRF would build the
    list's filter set for every item read or written, and answer 404 for an item the query
    string's filters leave out). The OpenAPI document offers them on lists only, likewise.
    """

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "detail", False):
            return queryset
        return super().filter_queryset(request, queryset, view)

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        view.filterset = filterset
        return filterset


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        # A view may know its exact count without counting (a tally the database keeps).
        known_count = getattr(view, "known_count", None)
        count = known_count() if known_count else None
        if isinstance(count, MatchCount):
            queryset = count.narrowed(queryset)
            if not count.exact:
                return self._estimated_page(queryset, request, count.value)
            count = count.value
        self.django_paginator_class = partial(CountedPaginator, count=count)
        return super().paginate_queryset(queryset, request, view)

    def _estimated_page(self, queryset, request, estimate: int):
        self.request = request
        page_size = self.get_page_size(request)
        number = request.query_params.get(self.page_query_param) or 1
        try:
            number = int(number)
            if number < 1:
                raise ValueError
            page = estimated_page(queryset, number, page_size, estimate)
            if page is None:
                raise InvalidPage("That page contains no results")
        except (ValueError, InvalidPage) as error:
            raise NotFound(self.invalid_page_message.format(page_number=number, message=str(error))) from error
        self.page = page
        return list(page)

    def get_paginated_response(self, data):
        return Response({
            "count": self.page.paginator.count,
            "count_is_exact": not getattr(self.page.paginator, "count_is_estimate", False),
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "results": data,
        })

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"]["description"] = (
            "The number of items the list holds with these filters and search: exact, except for a "
            "search matching more than a few thousand items, estimated then (count_is_exact false)."
        )
        response["properties"]["count_is_exact"] = {
            "type": "boolean",
            "description": "False when count is an estimate (a full-text search with very many matches).",
            "example": True,
        }
        response["required"] = [*response.get("required", []), "count_is_exact"]
        response["properties"]["next"]["description"] = (
            "The next page; null on the last page. Following it from the first page reaches every item."
        )
        return response

    def get_schema_operation_parameters(self, view):
        # The bounds the paginator applies: pages count from 1; a page holds 1 to 100 items
        # (a page size out of range falls back to the default rather than failing).
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] |= {"minimum": 1}
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] |= {"minimum": 1, "maximum": self.max_page_size}
        return parameters
