from rest_framework import pagination
from rest_framework.response import Response

from civicbridge.core.pagination import CappedPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    """{"count", "next", "previous", "results"}; counts stop at CIVICBRIDGE_COUNT_LIMIT.

    Past the limit, "count" is the limit and "count_is_exact" is false: narrow the query.
    """

    django_paginator_class = CappedPaginator
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        return Response(
            {
                "count": paginator.shown_count,
                "count_is_exact": paginator.count_is_exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count_is_exact"] = {"type": "boolean", "example": True}
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

