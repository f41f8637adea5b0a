"""An organization's page, whose body Jinja2 draws (directory/jinja2/directory/organization_detail_body.html):
numbers, moments and texts written as Django's template language wrote them."""

import datetime
from decimal import Decimal

import pytest

from civicbridge.accounts.models import Membership
from civicbridge.core.models import ThematicArea
from civicbridge.directory.models import Organization
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import OrganizationFactory


def test_the_polish_page_writes_coordinates_with_a_comma_and_moments_on_the_site_s_clock(client, municipality):
    organization = OrganizationFactory(
        territory=municipality, latitude=Decimal("50.671234"), longitude=Decimal("17.9"), is_verified=True,
        verified_at=datetime.datetime(2024, 12, 31, 23, 30, tzinfo=datetime.UTC),
    )
    Organization.objects.filter(pk=organization.pk).update(
        updated_at=datetime.datetime(2025, 6, 30, 22, 15, tzinfo=datetime.UTC)
    )

    page = client.get(f"/pl/organizations/{organization.slug}/").content.decode()

    # The decimal commas and the separator apart: each number ends with its degree and hemisphere.
    assert '<dd><data class="coordinates" value="50.671234,17.900000">50,671234°\xa0N, 17,900000°\xa0E</data></dd>' in page
    assert "<dd>1 stycznia 2025</dd>" in page  # 31 December 23:30 UTC is New Year's Day in Opole
    assert "<dd>1 lipca 2025, 00:15</dd>" in page


@pytest.mark.parametrize(("language", "shown"), [
    ("tr", "40,183928°\xa0K, 29,071551°\xa0D"),  # Kuzey, Doğu: as Turkish maps write them
    ("pl", "40,183928°\xa0N, 29,071551°\xa0E"),
    ("en", "40.183928°\xa0N, 29.071551°\xa0E"),
])
def test_coordinates_read_unambiguously_in_every_language_and_keep_points_for_machines(
    client, municipality, language, shown,
):
    organization = OrganizationFactory(
        territory=municipality, latitude=Decimal("40.183928"), longitude=Decimal("29.071551"), is_verified=True,
    )

    page = client.get(f"/{language}/organizations/{organization.slug}/").content.decode()

    assert f'<data class="coordinates" value="40.183928,29.071551">{shown}</data>' in page
    assert "40,183928, 29,071551" not in page


def test_texts_are_escaped_as_django_escapes_them(client, municipality, coordinator):
    organization = OrganizationFactory(territory=municipality, name='Fundacja "Nasz Dom" & O\'Reilly')
    area = ThematicArea.objects.filter(name_tr__contains="'").first()
    organization.thematic_areas.add(area)
    MembershipFactory(user=UserFactory(first_name="Zoë", last_name="O'Brien"), organization=organization)
    client.force_login(coordinator)

    page = client.get(f"/tr/organizations/{organization.slug}/").content.decode()

    assert "<h1>Fundacja &quot;Nasz Dom&quot; &amp; O&#x27;Reilly</h1>" in page
    assert area.name_tr.replace("'", "&#x27;") in page
    assert "Zoë O&#x27;Brien kişisinin yetkisini geri al" in page


def test_a_representative_sees_the_requests_waiting_for_a_coordinator(client, organization, representative):
    claimant = UserFactory(first_name="Ali", last_name="Yılmaz")
    MembershipFactory(
        user=claimant, organization=organization, status=Membership.Status.PENDING, origin=Membership.Origin.CLAIM
    )
    client.force_login(representative)

    page = client.get(organization.get_absolute_url()).content.decode()

    assert "<h3>Waiting for a coordinator's approval</h3>" in page
    assert "<li>Ali Yılmaz (claimed by the person)</li>" in page
