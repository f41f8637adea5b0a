"""Public pages show people by name, never by user name (a log-in, chosen by anyone)."""

import pytest

from tests.accounts.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_organization_page_shows_its_representatives_full_name_not_the_user_name(client, organization):
    MembershipFactory(user=UserFactory(username="anna-login", first_name="Anna", last_name="Nowak"),
                      organization=organization)

    page = client.get(organization.get_absolute_url()).content.decode()

    assert "Anna Nowak" in page
    assert "anna-login" not in page


def test_a_representative_without_a_name_is_shown_with_a_neutral_word(client, organization):
    MembershipFactory(user=UserFactory(username="www-evil-phish-example"), organization=organization)

    page = client.get(organization.get_absolute_url()).content.decode()

    assert "www-evil-phish-example" not in page
    assert "Name not given" in page


def test_a_person_without_a_name_is_described_in_the_readers_language():
    from django.utils import translation

    person = UserFactory(username="login-only")

    with translation.override("pl"):
        assert str(person) == "Nie podano imienia i nazwiska"
    assert str(UserFactory(first_name="Jan", last_name="Kowalski")) == "Jan Kowalski"
