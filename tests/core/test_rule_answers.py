"""A question about a user is answered once per request, and afresh outside one."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from civicbridge.core.rules import RuleAnswersMiddleware, answered_once_per_request
from tests.accounts.factories import UserFactory

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
