"""The header and footer every page shows, drawn by Jinja2 (core/_site_header.html, _site_footer.html)."""

import pytest
from django.urls import reverse
from django.utils import translation

from civicbridge.core import rows


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "pl", "tr"])
def test_the_header_links_every_part_of_the_site_in_the_page_language(client, language):
    html = client.get(f"/{language}/privacy/").content.decode()

    with translation.override(language):
        for name in ("directory:organization_list", "funding:call_list", "events:event_list", "kpis:dashboard",
                     "core:search", "core:contact", "core:accessibility"):
            assert f'"{reverse(name)}"' in html
        # Logging in or signing up leads back to this page.
        for name in ("accounts:login", "accounts:sign_up"):
            assert f'"{reverse(name)}?next=/{language}/privacy/"' in html
        assert translation.gettext("Calls for proposals") in html
        assert translation.gettext("Accessibility statement") in html


@pytest.mark.django_db
def test_a_signed_in_member_gets_their_account_links_and_a_log_out_form_with_its_token(client, django_user_model):
    user = django_user_model.objects.create_user("chrome-member", password="x" * 12)
    client.force_login(user)

    html = client.get("/en/privacy/").content.decode()

    assert f'href="{reverse("accounts:profile")}">chrome-member<' in html
    assert reverse("accounts:login") not in html
    logout = html[html.index(f'action="{reverse("accounts:logout")}"'):]
    assert 'name="csrfmiddlewaretoken" value="' in logout[:300]
    assert reverse("admin:index") not in html  # a member, not a coordinator


def test_a_page_address_is_reversed_once_per_language():
    rows._page_url.cache_clear()
    written = {}
    for language in ("en", "pl", "tr", "pl"):
        with translation.override(language):
            written[language] = rows.url("funding:call_list")
    assert written == {"en": "/en/calls/", "pl": "/pl/calls/", "tr": "/tr/calls/"}
    assert rows._page_url.cache_info().misses == 3


def test_an_address_with_arguments_is_reversed_each_time():
    with translation.override("pl"):
        assert rows.url("funding:call_detail", identifier="ABC-1") == reverse("funding:call_detail", args=["ABC-1"])
