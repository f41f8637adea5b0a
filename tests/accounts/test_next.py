"""Logging in or signing up leads back to the page the person was on: the header's links carry
it, the log-in page hands it to the sign-up page, the confirmation e-mail and the log-in after it
keep it. Only addresses on this site: a ``next`` to another host is dropped."""

import html
import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.core import mail

from civicbridge.core.notifications import deliver_due
from tests.accounts.factories import PASSWORD, UserFactory
from tests.accounts.test_sign_up import LINK, sign_up_data

pytestmark = pytest.mark.django_db

FILTERED_LIST = "/en/consultations/?status=open&kind=resolution"
ALERT_PAGE = "/en/alerts/new/consultations/?status=open"
LOGIN_URL = "/en/accounts/login/"
SIGN_UP_URL = "/en/accounts/sign-up/"


def links(page: str, path: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(rf'href="({re.escape(path)}[^"]*)"', page)]


def header_links(page: str, path: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(rf'href="({re.escape(path)}[^"]*)" data-next-here', page)]


def next_of(href: str) -> str | None:
    return parse_qs(urlsplit(href).query).get("next", [None])[0]


def with_next(path: str, target: str) -> str:
    return f"{path}?next={quote(target, safe='')}"


def test_the_headers_log_in_and_sign_up_links_carry_the_filtered_list_with_its_query(client):
    page = client.get(FILTERED_LIST).content.decode()

    assert [next_of(href) for href in header_links(page, LOGIN_URL)] == [FILTERED_LIST]
    assert [next_of(href) for href in header_links(page, SIGN_UP_URL)] == [FILTERED_LIST]


def test_the_log_in_pages_sign_up_link_carries_its_next(client):
    page = client.get(LOGIN_URL, {"next": ALERT_PAGE}).content.decode()

    # The page's own link and the header's: neither leads back to the log-in page itself.
    assert {next_of(href) for href in links(page, SIGN_UP_URL)} == {ALERT_PAGE}
    assert [next_of(href) for href in header_links(page, LOGIN_URL)] == [ALERT_PAGE]


@pytest.mark.parametrize("target", ["https://elsewhere.example/phish", "//elsewhere.example/", "javascript:alert(1)"])
def test_a_next_to_another_site_is_never_carried_on(client, target):
    page = client.get(LOGIN_URL, {"next": target}).content.decode()
    sign_up_page = client.get(SIGN_UP_URL, {"next": target}).content.decode()

    assert set(links(page, SIGN_UP_URL)) == {SIGN_UP_URL}
    assert header_links(page, LOGIN_URL) == [LOGIN_URL]
    assert 'name="next" value=""' in page
    assert header_links(sign_up_page, LOGIN_URL) == [LOGIN_URL]
    assert 'name="next"' not in sign_up_page


def test_after_logging_in_the_person_lands_on_next(client):
    user = UserFactory()

    response = client.post(with_next(LOGIN_URL, FILTERED_LIST), {
        "username": user.username, "password": PASSWORD, "next": FILTERED_LIST,
    })

    assert response.status_code == 302 and response["Location"] == FILTERED_LIST


def test_after_signing_up_and_confirming_the_person_lands_on_next(client, django_capture_on_commit_callbacks):
    sign_up_page = client.get(SIGN_UP_URL, {"next": ALERT_PAGE}).content.decode()
    assert f'name="next" value="{html.escape(ALERT_PAGE)}"' in sign_up_page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(with_next(SIGN_UP_URL, ALERT_PAGE), {**sign_up_data(), "next": ALERT_PAGE})
    deliver_due()
    link = re.search(r"https?://\S+/accounts/confirm/\S+", mail.outbox[0].body).group(0)
    assert LINK.search(link)

    confirmed = client.get(urlsplit(link).path + "?" + urlsplit(link).query)
    assert confirmed.status_code == 302 and confirmed["Location"] == with_next(LOGIN_URL, ALERT_PAGE)

    logged_in = client.post(confirmed["Location"], {
        "username": "newcomer", "password": PASSWORD, "next": ALERT_PAGE,
    })
    assert logged_in.status_code == 302 and logged_in["Location"] == ALERT_PAGE


def test_a_confirmation_link_with_a_next_to_another_site_leads_to_the_plain_log_in(
    client, django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGN_UP_URL, {**sign_up_data(), "next": "https://elsewhere.example/"})
    deliver_due()
    path = urlsplit(LINK.search(mail.outbox[0].body).group(0)).path

    confirmed = client.get(path, {"next": "https://elsewhere.example/"})

    assert confirmed["Location"] == LOGIN_URL
