"""The API's answer to a repeated identical submission (``core.duplicates``): shared by every app's API."""

from rest_framework import status
from rest_framework.response import Response

from civicbridge.core.duplicates import is_repeat


class RepeatAwareCreateMixin:
    """``create`` answers 201 with a new object, or 200 with the object an earlier identical
    submission of the same person made within the duplicate window (nothing new is created)."""

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        headers = self.get_success_headers(serializer.data)
        code = status.HTTP_200_OK if is_repeat(serializer.instance) else status.HTTP_201_CREATED
        return Response(serializer.data, status=code, headers=headers)
