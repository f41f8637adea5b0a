from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView


@extend_schema(exclude=True)
class NotFoundView(APIView):
    """Any method on an address no API route takes: 404 in the API's JSON error format."""

    permission_classes = [AllowAny]

    def _not_found(self, request, *args, **kwargs):
        raise NotFound

    get = post = put = patch = delete = head = options = _not_found


class SchemaView(SpectacularAPIView):
    """The OpenAPI document, in English whatever the client's language (``?lang=`` too).

    Its operations and most descriptions are the code's own English (view docstrings,
    ``extend_schema`` summaries), which no catalog translates; the filters' labels and the
    choices' names, which the site's forms show translated, came in the client's language
    among them (a Polish client read Polish parameters under English operations)."""

    def _get_schema_response(self, request):
        with translation.override("en"):
            response = super()._get_schema_response(request)
        response["Content-Language"] = "en"
        return response
