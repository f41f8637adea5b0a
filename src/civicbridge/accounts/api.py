from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from civicbridge.core.throttling import ScopedRateThrottle

from .guard import wait_message


class TokenView(ObtainAuthToken):
    """Exchange a user name and password for an API token (the log-in guard applies)."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"
    # ObtainAuthToken names DRF's own parsers; the site's strict one bounds nesting depth.
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES

    @extend_schema(summary="Get an API token")
    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            # The guard refused without checking the password: say how long to wait, not "wrong".
            seconds = getattr(request, "login_refused_for", None)
            if seconds:
                raise Throttled(wait=seconds, detail=wait_message(seconds)) from None
            raise


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Who the token belongs to: user name, roles and the organizations one represents",
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
        from civicbridge.directory.models import listed_q

        # The same rule as ``User.roles``: a registration not approved gives nothing to act for.
        approved = user.memberships.approved().filter(listed_q("organization__"))
        return Response(
            {
                "username": user.username,
                "roles": user.roles,
                "organizations": sorted(approved.values_list("organization_id", flat=True)),
            }
        )
