import pytest
from django.http import HttpResponseNotAllowed
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from civicbridge.core.middleware import MethodNotAllowedPageMiddleware

pytestmark = pytest.mark.django_db


def test_opening_a_form_only_address_shows_a_page_in_the_language_of_the_address(client, organization):
    with translation.override("pl"):
        url = reverse("directory:organization_verify", kwargs={"slug": organization.slug})
        home = reverse("core:home")

    response = client.get(url)

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert 'lang="pl"' in page
    assert "Ten adres służy do przycisku formularza" in page
    assert f'href="{home}"' in page


def test_a_405_that_has_a_body_keeps_it():
    answer = HttpResponseNotAllowed(["GET"], content=b'{"detail": "Method not allowed."}')
    middleware = MethodNotAllowedPageMiddleware(lambda request: answer)

    assert middleware(RequestFactory().delete("/api/v1/organizations/")) is answer
