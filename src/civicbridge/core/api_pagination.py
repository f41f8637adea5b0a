"""The API lists' paging: ``{"count", "next", "previous", "results"}``, counted exactly.

``count`` is the exact number of items the list (with its filters and search) holds, and
following ``next`` from any page reaches the last item. ``?page=`` numbers pages from 1;
``?page_size=`` takes 1 to 100.
"""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"]["description"] = (
            "The exact number of items the list holds with these filters and search."
        )
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
