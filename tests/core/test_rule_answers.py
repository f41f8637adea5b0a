"""A question about a user is answered once per request, and afresh outside one."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from civicbridge.accounts.models import Membership
from civicbridge.core.rules import RuleAnswersMiddleware, answered_once_per_request
from civicbridge.directory.rules import is_representative_of
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _counting_question():
    asked = []

    @answered_once_per_request
    def is_interesting(user):
        asked.append(user.pk)
        return user.pk % 2 == 0

    return is_interesting, asked


def test_inside_a_request_each_user_is_asked_once_and_the_answers_end_with_it():
    question, asked = _counting_question()
    ann, bob = UserFactory(), UserFactory()

    def view(request):
        answers = [question(ann), question(ann), question(bob), question(ann)]
        return HttpResponse(",".join(str(answer) for answer in answers))

    middleware = RuleAnswersMiddleware(view)
    middleware(RequestFactory().get("/"))
    assert asked == [ann.pk, bob.pk]

    middleware(RequestFactory().get("/"))  # the next request asks again
    assert asked == [ann.pk, bob.pk, ann.pk, bob.pk]


def test_outside_a_request_it_is_asked_every_time():
    question, asked = _counting_question()
    ann = UserFactory()

    question(ann)
    question(ann)

    assert asked == [ann.pk, ann.pk]


def test_an_answer_raised_inside_a_request_does_not_outlive_it():
    question, asked = _counting_question()
    ann = UserFactory()

    def failing_view(request):
        question(ann)
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        RuleAnswersMiddleware(failing_view)(RequestFactory().get("/"))
    question(ann)

    assert asked == [ann.pk, ann.pk]


def test_a_question_about_a_user_and_an_object_is_asked_once_per_pair():
    asked = []

    @answered_once_per_request
    def works_for(user, organization_id):
        asked.append((user.pk, organization_id))
        return organization_id == 1

    ann = UserFactory()

    def view(request):
        answers = [works_for(ann, 1), works_for(ann, 2), works_for(ann, 1), works_for(ann, 2)]
        return HttpResponse(",".join(str(answer) for answer in answers))

    response = RuleAnswersMiddleware(view)(RequestFactory().get("/"))

    assert response.content == b"True,False,True,False"
    assert asked == [(ann.pk, 1), (ann.pk, 2)]


def test_a_membership_written_in_the_request_is_seen_by_the_next_question():
    """A page drawn after a right is granted or taken away, in the same request, shows the change."""
    organization = OrganizationFactory()
    ann = UserFactory()
    seen = []

    def view(request):
        seen.append(is_representative_of(ann, organization))
        membership = MembershipFactory(user=ann, organization=organization, status=Membership.Status.APPROVED)
        seen.append(is_representative_of(ann, organization))
        membership.delete()
        seen.append(is_representative_of(ann, organization))
        return HttpResponse()

    RuleAnswersMiddleware(view)(RequestFactory().get("/"))

    assert seen == [False, True, False]


def test_a_partner_requests_page_asks_once_whether_the_user_represents_the_poster(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.partners.factories import PartnerRequestFactory

    poster = OrganizationFactory()
    ann = UserFactory()
    MembershipFactory(user=ann, organization=poster, status=Membership.Status.APPROVED)
    partner_request = PartnerRequestFactory(organization=poster)
    client.force_login(ann)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(partner_request.get_absolute_url())

    assert response.status_code == 200
    assert response.context["poster_side"] and response.context["can_decide"] and response.context["matches"] is not None
    # Its answers, its matches, its buttons and its invitations each ask it of the poster.
    asked = [query["sql"] for query in queries.captured_queries
             if query["sql"].startswith('SELECT 1 AS "a" FROM "accounts_membership"')]
    assert len(asked) == 1, asked
