"""One date format per language: a page writes every date as "4 grudnia 2026" and every moment
as "4 grudnia 2026, 22:53" (formats/<language>/formats.py), never "04.12.2026" beside them."""

import datetime
import html
import re
from pathlib import Path
from smtplib import SMTPRecipientsRefused

import pytest
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

import civicbridge
from civicbridge.directory.models import Organization
from civicbridge.funding import alerts
from tests.accounts.factories import UserFactory
from tests.alerts.factories import CallFactory, SubscriptionFactory
from tests.alerts.outbox import delivered
from tests.directory.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

NUMERIC_DATE = re.compile(r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")
# The day, the month's name, the year; a moment adds ", 22:53".
WRITTEN_MOMENT = re.compile(r"\b\d{1,2} [^\W\d_]+ \d{4}, \d{2}:\d{2}\b")


def _visible_text(body: str) -> str:
    # Attributes (<time datetime="2026-12-04T22:53:00+01:00">) are for machines: left out.
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.mark.parametrize(("language", "verified", "updated"), [
    ("pl", "1 stycznia 2025", "1 lipca 2025, 00:15"),
    ("tr", "1 Ocak 2025", "1 Temmuz 2025, 00:15"),
])
def test_a_verified_organization_s_page_writes_its_verification_as_its_last_update(
        client, municipality, language, verified, updated):
    organization = OrganizationFactory(
        territory=municipality, is_verified=True,
        verified_at=datetime.datetime(2024, 12, 31, 23, 30, tzinfo=datetime.UTC),  # 1 January in Opole
    )
    Organization.objects.filter(pk=organization.pk).update(
        updated_at=datetime.datetime(2025, 6, 30, 22, 15, tzinfo=datetime.UTC)
    )

    page = client.get(f"/{language}/organizations/{organization.slug}/").content.decode()

    assert f"<dd>{verified}</dd>" in page
    assert f"<dd>{updated}</dd>" in page
    assert NUMERIC_DATE.findall(_visible_text(page)) == []


@pytest.mark.parametrize("language", ["pl", "tr"])
def test_the_delivery_log_writes_every_moment_in_the_page_s_one_format(
        client, coordinator, monkeypatch, settings, language):
    # Tasks run where they are enqueued (as in tests/alerts/conftest.py).
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    busy = "busy@example.org"
    for address in (busy, "reader@example.org"):
        SubscriptionFactory(user=UserFactory(email=address, username=address.split("@")[0]))
    real_send = LocmemBackend.send_messages

    def send_messages(self, messages):
        if messages[0].to[0] == busy:
            raise SMTPRecipientsRefused({busy: (451, b"4.3.0 try again later")})
        return real_send(self, messages)

    monkeypatch.setattr(LocmemBackend, "send_messages", send_messages)
    alerts.call_published(CallFactory(identifier="LOG-1"))
    delivered()
    client.force_login(coordinator)

    page = client.get(f"/{language}/alerts/deliveries/").content.decode()
    rows = _visible_text(page.split("<tbody>")[1].split("</tbody>")[0])

    assert NUMERIC_DATE.findall(rows) == []
    # Each row's claim, the sent row's sending, and the retrying row's next attempt.
    assert len(WRITTEN_MOMENT.findall(rows)) == 4, rows


def test_no_template_or_module_writes_a_date_in_the_short_numeric_formats():
    package = Path(civicbridge.__file__).parent
    writers = [
        str(path.relative_to(package)) for path in package.rglob("*")
        if path.suffix in {".html", ".txt", ".py"} and path.parts[len(package.parts)] not in {"formats", "locale"}
        and re.search(r"SHORT_DATE(TIME)?_FORMAT", path.read_text(encoding="utf-8"))
    ]

    assert writers == []
