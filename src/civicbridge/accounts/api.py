from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView


class TokenView(ObtainAuthToken):
    """Exchange a user name and password for an API token (lock-out rules apply)."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"
    # ObtainAuthToken names DRF's own parsers; the site's strict one bounds nesting depth.
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            # Axes marks DRF's request, which its middleware never sees: say "locked", not "wrong".
            if getattr(request, "axes_locked_out", False):
                raise Throttled(detail=_("Too many failed log-in attempts. Try again later.")) from None
            raise


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "username": serializers.CharField(),
                "roles": serializers.ListField(child=serializers.CharField()),
                "organizations": serializers.ListField(child=serializers.IntegerField()),
            },
        )
    )
    def get(self, request):
        user = request.user
        approved = user.memberships.approved()
        return Response(
            {
                "username": user.username,
                "roles": user.roles,
                "organizations": sorted(approved.values_list("organization_id", flat=True)),
            }
        )
