"""Predicates shared by every app."""

import functools
import inspect
from contextvars import ContextVar

import rules

# The answers to questions about a user asked during the current request
# (``RuleAnswersMiddleware``); None outside a request.
_answers: ContextVar[dict | None] = ContextVar("civicbridge_rule_answers", default=None)


def answered_once_per_request(question):
    """A question about a user (a predicate that reads the database, of the user and of
    hashable values such as an organization's id) asked once per request: a page asks "is
    this person an officer?" for its list and again for each button it may show. Its answer
    is kept until the request ends, as Django keeps a user's permissions on the user it loaded
    for the request, or until a write changes what it is made of (``forget_answers``). Outside
    a request (a service called by a worker, a command or a test) it is asked every time, so a
    right taken away is gone at the next question."""

    # Of the question's own arity: django-rules reads a predicate's arguments from its signature.
    if len(inspect.signature(question).parameters) == 1:
        @functools.wraps(question)
        def answer(user):
            return _answered(question, user)
    else:
        @functools.wraps(question)
        def answer(user, about):
            return _answered(question, user, about)

    return answer


def _answered(question, user, *about):
    answers = _answers.get()
    if answers is None or getattr(user, "pk", None) is None:
        return question(user, *about)
    key = (question, user.pk, *about)
    if key not in answers:
        answers[key] = question(user, *about)
    return answers[key]


def forget_answers(**_signal) -> None:
    """Ask again after a write to what the answers are made of (a membership, an organization's
    registration) in the same request: a page drawn after the write shows the rights it left."""
    answers = _answers.get()
    if answers:
        answers.clear()


class RuleAnswersMiddleware:
    """Keeps the answers of ``answered_once_per_request`` questions for one request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _answers.set({})
        try:
            return self.get_response(request)
        finally:
            _answers.reset(token)


@rules.predicate
def is_coordinator(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or getattr(user, "is_coordinator", False))
    )


# A deactivated account keeps its session or token until they expire: it must lose its rights at once.
is_registered = rules.is_authenticated & rules.is_active
