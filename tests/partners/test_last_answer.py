"""Each organization's last answer to a partner request, kept on the organization for matching.

Partner matching reads who answered lately from ``Organization.last_answered_at`` (an index
range). Every write that adds or removes answers keeps it equal to the newest answer: the
service that records an answer, and the admin's additions, changes and deletions, of answers
and of the requests they answer.
"""

import datetime
import threading
import time

import pytest
from django.db import connection
from django.db.models import Max
from django.forms.models import model_to_dict
from django.utils import timezone

from civicbridge.directory.models import Organization
from civicbridge.partners import matching, selectors, services
from civicbridge.partners.models import ExpressionOfInterest, PartnerRequest
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import OrganizationFactory
from tests.partners.factories import ExpressionOfInterestFactory, PartnerRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def answerer(municipality):
    return OrganizationFactory(name="Stowarzyszenie Odpowiadające", territory=municipality)


def request_form(partner_request) -> dict:
    """The admin's change form of a request, as the page fills it."""
    values = model_to_dict(partner_request)
    return {
        name: [item.pk for item in value] if isinstance(value, list) else ("" if value is None else value)
        for name, value in values.items()
    }


def kept(organization) -> datetime.datetime | None:
    return Organization.objects.values_list("last_answered_at", flat=True).get(pk=organization.pk)


def newest_answer(organization) -> datetime.datetime | None:
    return ExpressionOfInterest.objects.filter(organization=organization).aggregate(newest=Max("created_at"))["newest"]


def test_an_answer_given_through_the_service_is_the_organizations_last(answerer):
    representative = MembershipFactory(organization=answerer).user
    assert kept(answerer) is None

    interest = services.express_interest(
        by=representative, request=PartnerRequestFactory(), organization=answerer, message="Chętnie!"
    )

    assert kept(answerer) == interest.created_at


def test_deleting_an_answer_in_the_admin_falls_back_to_the_one_before_or_to_none(admin_client, answerer):
    older = ExpressionOfInterestFactory(organization=answerer)
    ExpressionOfInterest.objects.filter(pk=older.pk).update(created_at=timezone.now() - datetime.timedelta(days=400))
    newer = ExpressionOfInterestFactory(organization=answerer)

    admin_client.post(f"/en/admin/partners/expressionofinterest/{newer.pk}/delete/", {"post": "yes"})
    assert kept(answerer) == newest_answer(answerer) == ExpressionOfInterest.objects.get(pk=older.pk).created_at

    admin_client.post(
        "/en/admin/partners/expressionofinterest/", {"action": "delete_selected", "_selected_action": [older.pk], "post": "yes"}
    )
    assert not ExpressionOfInterest.objects.filter(organization=answerer).exists()
    assert kept(answerer) is None


def test_deleting_the_answered_request_in_the_admin_takes_the_answer_away(admin_client, answerer):
    answer = ExpressionOfInterestFactory(organization=answerer)
    assert kept(answerer) == answer.created_at

    admin_client.post(f"/en/admin/partners/partnerrequest/{answer.request_id}/delete/", {"post": "yes"})

    assert not PartnerRequest.objects.filter(pk=answer.request_id).exists()
    assert kept(answerer) is None


def test_deleting_answered_requests_in_bulk_in_the_admin_takes_their_answers_away(admin_client, answerer):
    answers = [ExpressionOfInterestFactory(organization=answerer) for _ in range(2)]

    admin_client.post("/en/admin/partners/partnerrequest/", {
        "action": "delete_selected", "_selected_action": [answer.request_id for answer in answers], "post": "yes",
    })

    assert kept(answerer) is None


@pytest.mark.parametrize("changelist", ["partnerrequest", "expressionofinterest"])
def test_a_bulk_deletion_in_the_admin_is_undone_when_the_last_answers_cannot_be_kept(
    admin_client, answerer, monkeypatch, changelist
):
    """The deletion and the column it changes are one transaction: never answers gone with the
    organization still listed as answering lately."""
    answer = ExpressionOfInterestFactory(organization=answerer)
    selected = answer.request_id if changelist == "partnerrequest" else answer.pk

    def failing(organization_ids=None):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "refresh_last_answers", failing)
    with pytest.raises(RuntimeError):
        admin_client.post(f"/en/admin/partners/{changelist}/", {
            "action": "delete_selected", "_selected_action": [selected], "post": "yes",
        })

    assert ExpressionOfInterest.objects.filter(pk=answer.pk).exists()
    assert kept(answerer) == answer.created_at


def test_moving_an_answer_to_another_organization_in_the_admin_moves_its_time(
    admin_client, answerer, municipality, coordinator
):
    answer = ExpressionOfInterestFactory(organization=answerer)
    other = OrganizationFactory(name="Fundacja Druga", territory=municipality)

    response = admin_client.post(f"/en/admin/partners/expressionofinterest/{answer.pk}/change/", {
        "request": answer.request_id, "organization": other.pk, "status": answer.status, "message": answer.message,
        "created_by": coordinator.pk, "decided_by": "",
    })

    assert response.status_code == 302, (response.context["adminform"].form.errors, response.context.get("inline_admin_formsets") and [f.formset.errors for f in response.context["inline_admin_formsets"]])
    assert kept(answerer) is None
    assert kept(other) == answer.created_at


def test_an_answer_added_or_deleted_inline_on_its_request_in_the_admin_is_kept(client, answerer):
    # The answers inline follows Django's model permissions: a superuser's, not a coordinator's.
    superuser = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    partner_request = PartnerRequestFactory()
    form = {
        **request_form(partner_request), "created_by": superuser.pk,
        "answers-TOTAL_FORMS": "1", "answers-INITIAL_FORMS": "0",
        "answers-0-organization": answerer.pk, "answers-0-status": "pending", "answers-0-message": "Chętnie!",
        "answers-0-created_by": superuser.pk, "answers-0-decided_by": "",
    }

    response = client.post(f"/en/admin/partners/partnerrequest/{partner_request.pk}/change/", form)

    assert response.status_code == 302, (response.context["adminform"].form.errors, [f.formset.errors for f in response.context["inline_admin_formsets"]])
    answer = ExpressionOfInterest.objects.get(request=partner_request, organization=answerer)
    assert kept(answerer) == answer.created_at

    response = client.post(f"/en/admin/partners/partnerrequest/{partner_request.pk}/change/", {
        **form, "answers-INITIAL_FORMS": "1", "answers-0-id": answer.pk, "answers-0-request": partner_request.pk,
        "answers-0-DELETE": "on",
    })

    assert response.status_code == 302, (response.context["adminform"].form.errors, [f.formset.errors for f in response.context["inline_admin_formsets"]])
    assert kept(answerer) is None


def test_refreshing_every_organization_recounts_answers_written_in_bulk(answerer, municipality):
    stale = OrganizationFactory(name="Fundacja Nieaktualna", territory=municipality)
    Organization.objects.filter(pk=stale.pk).update(last_answered_at=timezone.now())
    ExpressionOfInterest.objects.bulk_create([
        ExpressionOfInterest(request=PartnerRequestFactory(), organization=answerer, message="Chętnie!"),
    ])

    services.refresh_last_answers()

    assert kept(answerer) == newest_answer(answerer) is not None
    assert kept(stale) is None


def test_an_organization_whose_answer_was_deleted_is_no_longer_matched_as_answering_lately(
    admin_client, answerer, organization
):
    answer = ExpressionOfInterestFactory(organization=answerer)
    partner_request = selectors.request_detail(pk=PartnerRequestFactory(organization=organization, partner_kinds=answerer.kind).pk)

    def answered_lately() -> bool:
        match = next(match for match in matching.organizations_for_request(partner_request) if match.item == answerer)
        return any(reason.part == str(matching.ACTIVITY) and "answered" in reason.text for reason in match.reasons)

    assert answered_lately()

    admin_client.post(f"/en/admin/partners/expressionofinterest/{answer.pk}/delete/", {"post": "yes"})

    assert not answered_lately()


@pytest.mark.skipif(connection.vendor == "sqlite", reason="two writers at once need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_answers_of_one_organization_at_once_leave_the_newer_as_its_last(answerer, monkeypatch):
    """A gives the older answer but counts last, while B, which gave the newer one, holds the
    organization's row: A must count B's answer once B commits, not put its own older time
    over it."""
    older_writer, newer_writer = (MembershipFactory(organization=answerer).user for _ in range(2))
    requests = {"A": PartnerRequestFactory(), "B": PartnerRequestFactory()}
    a_inserted, b_counted, a_counting = threading.Event(), threading.Event(), threading.Event()
    create_once, notify, refresh = services._create_once, services._notify, services.refresh_last_answers

    def ordered_create_once(*args, **kwargs):
        if threading.current_thread().name == "B":
            a_inserted.wait(5)  # B's answer is the newer one
        created = create_once(*args, **kwargs)
        if threading.current_thread().name == "A":
            a_inserted.set()
            b_counted.wait(5)
        return created

    def ordered_refresh(*args, **kwargs):
        if threading.current_thread().name == "A":
            a_counting.set()
        return refresh(*args, **kwargs)

    def ordered_notify(**kwargs):
        if threading.current_thread().name == "B":  # counted, not yet committed
            b_counted.set()
            a_counting.wait(5)
            time.sleep(0.5)  # A's count has begun and waits for B's row
        return notify(**kwargs)

    monkeypatch.setattr(services, "_create_once", ordered_create_once)
    monkeypatch.setattr(services, "refresh_last_answers", ordered_refresh)
    monkeypatch.setattr(services, "_notify", ordered_notify)
    errors = []

    def answer(name, person):
        try:
            services.express_interest(by=person, request=requests[name], organization=answerer, message="Chętnie!")
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer, args=args, name=args[0]) for args in (("A", older_writer), ("B", newer_writer))]
    [thread.start() for thread in threads]
    [thread.join(20) for thread in threads]

    assert errors == []
    older, newer = (ExpressionOfInterest.objects.get(request=requests[name]) for name in ("A", "B"))
    assert older.created_at < newer.created_at
    assert kept(answerer) == newer.created_at
