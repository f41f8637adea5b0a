from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView


class TokenView(ObtainAuthToken):
    """Exchange a user name and password for an API token (lock-out rules apply)."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"


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
