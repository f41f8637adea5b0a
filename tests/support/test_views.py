"""The support pages: the forbidden paths, forms that keep what people wrote, bounded queries."""

import pytest
from django.urls import reverse

from civicbridge.core.models import OutgoingMail
from civicbridge.support.models import HistoryEntry, Message, SupportRequest, TimeEntry
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import OrganizationFactory
from tests.support.factories import MessageFactory, SupportRequestFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db
Status = SupportRequest.Status

LIST_URL = reverse("support:request_list")
QUEUE_URL = reverse("support:queue")
NEW_URL = reverse("support:request_create")
LIST_QUERIES = 12
DETAIL_QUERIES = 16


def url(name, support_request):
    return reverse(f"support:{name}", kwargs={"pk": support_request.pk})


@pytest.fixture
def support_request(organization, representative):
    return SupportRequestFactory(organization=organization, created_by=representative, subject="Budżet oferty")


@pytest.fixture
def stranger(municipality):
    """A representative of another organization."""
    return MembershipFactory(organization=OrganizationFactory(territory=municipality)).user


# --- asking -----------------------------------------------------------------------------------------------


def test_a_representative_of_several_organizations_picks_one_and_files(client, representative, organization, municipality, coordinator):
    second = OrganizationFactory(territory=municipality, name="Fundacja Druga")
    MembershipFactory(user=representative, organization=second)
    client.force_login(representative)

    page = client.get(NEW_URL)
    assert [choice[1] for choice in page.context["form"].fields["organization"].choices][1:] == sorted(
        [organization.name, second.name]
    )
    response = client.post(NEW_URL, {
        "organization": second.pk, "topic": "partner_search", "subject": "Partner z Czech",
        "description": "Szukamy partnera **z Czech**.",
    })

    support_request = SupportRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == support_request.get_absolute_url()
    assert support_request.organization == second
    assert OutgoingMail.objects.filter(to=coordinator.email).exists()
    detail = client.get(support_request.get_absolute_url())
    assert "<strong>z Czech</strong>" in detail.content.decode()


def test_the_form_keeps_what_was_written_when_something_is_missing(client, representative, organization):
    client.force_login(representative)

    response = client.post(NEW_URL, {
        "organization": organization.pk, "topic": "", "subject": "Sprawozdanie",
        "description": "Długi opis, którego nie chcę pisać drugi raz.",
    })

    assert response.status_code == 200
    assert response.context["form"].errors["topic"]
    body = response.content.decode()
    assert "Długi opis, którego nie chcę pisać drugi raz." in body and 'value="Sprawozdanie"' in body
    assert not SupportRequest.objects.exists()


def test_someone_without_an_organization_cannot_ask(client, user, coordinator, organization):
    client.force_login(user)
    assert client.get(NEW_URL).status_code == 403
    response = client.post(NEW_URL, {
        "organization": organization.pk, "topic": "other", "subject": "x", "description": "y",
    })
    assert response.status_code == 403
    assert not SupportRequest.objects.exists()


def test_a_representative_cannot_file_for_another_organization(client, representative, municipality):
    other = OrganizationFactory(territory=municipality)
    client.force_login(representative)

    response = client.post(NEW_URL, {"organization": other.pk, "topic": "other", "subject": "x", "description": "y"})

    assert response.status_code == 200
    assert response.context["form"].errors["organization"]
    assert not SupportRequest.objects.exists()


# --- seeing ---------------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, support_request):
    for address in (LIST_URL, QUEUE_URL, NEW_URL, url("request_detail", support_request)):
        response = client.get(address)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    response = client.post(url("message_create", support_request), {"body": "Anonim."})
    assert response.status_code == 302
    assert not Message.objects.exists()


def test_another_organizations_representative_does_not_find_the_request(client, support_request, stranger):
    client.force_login(stranger)

    assert client.get(url("request_detail", support_request)).status_code == 404
    assert client.post(url("message_create", support_request), {"body": "Podglądam."}).status_code == 404
    assert client.post(url("status_change", support_request), {"status": "closed"}).status_code == 404
    assert support_request.subject not in client.get(LIST_URL).content.decode()
    assert not Message.objects.exists()


def test_a_citizen_neither_sees_the_request_nor_the_queue(client, support_request, user):
    client.force_login(user)

    assert client.get(url("request_detail", support_request)).status_code == 404
    assert client.get(QUEUE_URL).status_code == 403
    assert client.get(LIST_URL).context["page"].paginator.count == 0


def test_a_representative_sees_the_thread_but_not_the_office_controls(client, support_request, representative, coordinator):
    MessageFactory(request=support_request, author=coordinator, from_office=True, body="Odpowiedź biura.")
    TimeEntryFactory(request=support_request, coordinator=coordinator, minutes=40)
    client.force_login(representative)

    response = client.get(url("request_detail", support_request))

    body = response.content.decode()
    assert "Odpowiedź biura." in body
    assert not response.context["manager"]
    assert url("status_change", support_request) not in body
    assert "time_entries" not in response.context
    assert client.get(QUEUE_URL).status_code == 403


@pytest.mark.parametrize("name", ["status_change", "assign", "time_log"])
def test_a_representative_cannot_post_the_office_controls(client, support_request, representative, name):
    client.force_login(representative)

    response = client.post(url(name, support_request), {"status": "closed", "assignee": representative.pk, "minutes": 30})

    assert response.status_code == 403
    support_request.refresh_from_db()
    assert (support_request.status, support_request.assigned_to) == (Status.NEW, None)
    assert not TimeEntry.objects.exists()


# --- the thread and the office's controls ---------------------------------------------------------------


def test_a_representative_replies_and_the_office_is_told(client, support_request, representative, coordinator):
    client.force_login(representative)

    response = client.post(url("message_create", support_request), {"body": "Dziękujemy, mamy pytanie."})

    assert response.status_code == 302
    assert Message.objects.get().author == representative
    assert OutgoingMail.objects.filter(to=coordinator.email).exists()


def test_an_empty_reply_shows_the_page_again_with_the_error(client, support_request, representative):
    client.force_login(representative)

    response = client.post(url("message_create", support_request), {"body": "  "})

    assert response.status_code == 400
    assert response.context["message_form"].errors["body"]
    assert not Message.objects.exists()


def test_a_coordinator_assigns_answers_logs_time_and_closes_and_the_page_shows_it_all(client, support_request, coordinator):
    client.force_login(coordinator)

    assert client.post(url("assign", support_request), {"assignee": coordinator.pk}).status_code == 302
    assert client.post(url("message_create", support_request), {"body": "Oto odpowiedź."}).status_code == 302
    assert client.post(url("time_log", support_request), {"minutes": 45, "note": "telefon"}).status_code == 302
    assert client.post(url("time_log", support_request), {"minutes": 20}).status_code == 302
    assert client.post(url("status_change", support_request), {"status": "closed"}).status_code == 302

    response = client.get(url("request_detail", support_request))
    support_request.refresh_from_db()
    assert support_request.status == Status.CLOSED and support_request.assigned_to == coordinator
    assert response.context["support_request"].minutes_spent == 65
    kinds = [entry.kind for entry in response.context["history"]]
    assert kinds == ["created", "assigned", "status", "status"]
    body = response.content.decode()
    assert "65 minutes" in body
    assert "changed the status from “answered, waiting for the organization” to “closed”" in body
    # Closed: no reply form.
    assert url("message_create", support_request) not in body


def test_an_invalid_transition_shows_why_and_changes_nothing(client, support_request, coordinator):
    client.force_login(coordinator)

    response = client.post(url("status_change", support_request), {"status": "new"})

    assert response.status_code == 400
    assert response.context["status_form"].errors["status"]
    support_request.refresh_from_db()
    assert support_request.status == Status.NEW
    assert not HistoryEntry.objects.filter(kind=HistoryEntry.Kind.STATUS).exists()


def test_a_refused_time_entry_keeps_the_note(client, support_request, coordinator):
    client.force_login(coordinator)

    response = client.post(url("time_log", support_request), {"minutes": 0, "note": "lektura wniosku"})

    assert response.status_code == 400
    assert 'value="lektura wniosku"' in response.content.decode()
    assert not TimeEntry.objects.exists()


# --- lists --------------------------------------------------------------------------------------------


def _many(count, organization, representative, coordinator):
    for number in range(count):
        request = SupportRequestFactory(
            organization=organization, created_by=representative, assigned_to=coordinator if number % 2 else None,
            status=[Status.NEW, Status.IN_PROGRESS, Status.WAITING, Status.CLOSED][number % 4],
            topic="reporting" if number % 3 else "project_writing",
        )
        TimeEntryFactory(request=request, coordinator=coordinator, minutes=10)
        MessageFactory(request=request, author=representative)


@pytest.mark.parametrize("count", [3, 30])
def test_the_lists_run_a_bounded_number_of_queries(
    client, organization, representative, coordinator, django_assert_max_num_queries, count
):
    _many(count, organization, representative, coordinator)

    client.force_login(representative)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(LIST_URL)
    assert response.context["page"].paginator.count == count

    client.force_login(coordinator)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(QUEUE_URL, {"status": "any"})
    assert response.context["page"].paginator.count == count
    assert all(row.minutes_spent == 10 for row in response.context["page"])


@pytest.mark.parametrize("count", [2, 20])
def test_the_request_page_runs_a_bounded_number_of_queries(
    client, support_request, representative, coordinator, django_assert_max_num_queries, count
):
    for number in range(count):
        MessageFactory(request=support_request, author=coordinator if number % 2 else representative)
        TimeEntryFactory(request=support_request, coordinator=coordinator)
        HistoryEntry.objects.create(request=support_request, kind="assigned", assignee=coordinator, by=coordinator)

    for person in (representative, coordinator):
        client.force_login(person)
        with django_assert_max_num_queries(DETAIL_QUERIES):
            response = client.get(url("request_detail", support_request))
        assert len(response.context["thread"]) == count


def test_the_queue_shows_open_requests_by_default_and_filters_by_status_topic_and_assignee(
    client, organization, representative, coordinator
):
    _many(8, organization, representative, coordinator)
    client.force_login(coordinator)

    def count(**params):
        return client.get(QUEUE_URL, params).context["page"].paginator.count

    assert count() == SupportRequest.objects.exclude(status=Status.CLOSED).count() == 6
    assert count(status="closed") == 2
    assert count(status="any", topic="project_writing") == SupportRequest.objects.filter(topic="project_writing").count()
    assert count(status="any", assignee="me") == SupportRequest.objects.filter(assigned_to=coordinator).count()
    assert count(status="any", assignee="none") == SupportRequest.objects.filter(assigned_to=None).count()
    assert count(status="any", assignee=str(coordinator.pk)) == 4
    # A bad value lists nothing and says why, rather than ignoring the filter.
    response = client.get(QUEUE_URL, {"status": "archived"})
    assert response.context["page"].paginator.count == 0 and response.context["filter"].errors


def test_the_queue_pages_keep_the_filters(client, organization, representative, coordinator, settings):
    settings.CIVICBRIDGE_PAGE_SIZE = 2
    _many(8, organization, representative, coordinator)
    client.force_login(coordinator)

    body = client.get(QUEUE_URL, {"status": "any", "topic": "reporting"}).content.decode()

    assert "?status=any&amp;topic=reporting&amp;page=2" in body


def test_the_queue_answers_htmx_with_the_results_only(client, organization, representative, coordinator):
    _many(3, organization, representative, coordinator)
    client.force_login(coordinator)

    response = client.get(QUEUE_URL, {"status": "any"}, headers={"HX-Request": "true", "HX-Target": "results"})

    body = response.content.decode()
    assert "support requests" in body and "<h1>" not in body


def test_the_account_page_shows_the_organizations_requests_and_the_coordinators_queue(
    client, support_request, representative, coordinator
):
    client.force_login(representative)
    body = client.get(reverse("accounts:profile")).content.decode()
    assert "Your organizations&#x27; support requests" in body and support_request.subject in body

    client.force_login(coordinator)
    body = client.get(reverse("accounts:profile")).content.decode()
    assert "1 open support request in the queue" in body


def test_the_pages_speak_polish_and_turkish(client, support_request, representative):
    client.force_login(representative)

    polish = client.get(f"/pl{url('request_detail', support_request)[3:]}").content.decode()
    turkish = client.get(f"/tr{LIST_URL[3:]}").content.decode()

    assert "Historia" in polish and "koordynacji" in polish
    assert "destek talepleri" in turkish.lower()


def test_a_deactivated_coordinator_loses_the_queue(client, coordinator):
    coordinator.is_active = False
    coordinator.save()
    client.force_login(UserFactory())

    assert client.get(QUEUE_URL).status_code == 403
