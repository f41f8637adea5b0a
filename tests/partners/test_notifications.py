"""E-mails of the partner search: to the other side, after commit, in each recipient's language."""

import datetime
import socket

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from civicbridge.accounts.models import Membership
from civicbridge.core.models import OutgoingMail
from civicbridge.core.notifications import deliver_due
from civicbridge.partners import phases, services
from civicbridge.partners.models import ExpressionOfInterest
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import OrganizationFactory
from tests.partners.factories import ExpressionOfInterestFactory, PartnerRequestFactory

pytestmark = pytest.mark.django_db


def delivered():
    """What the worker sends of the mail queued so far (core.notifications)."""
    deliver_due()
    return mail.outbox


def mails_to(user):
    return [message for message in delivered() if user.email in message.to]


def representative(organization, language="en", **fields):
    return MembershipFactory(organization=organization, user=UserFactory(preferred_language=language, **fields)).user


@pytest.fixture
def poster(municipality):
    return OrganizationFactory(name="Stowarzyszenie Młodzi Nysa", territory=municipality, email="biuro@mlodzi.example.org")


@pytest.fixture
def answerer(municipality):
    return OrganizationFactory(name="Fundacja Sąsiedzka", territory=municipality, email="kontakt@sasiedzka.example.org")


@pytest.fixture
def partner_request(poster):
    return PartnerRequestFactory(organization=poster, title="Youth exchange on climate")


@pytest.fixture
def poster_people(poster):
    return {"en": representative(poster, "en"), "pl": representative(poster, "pl"), "tr": representative(poster, "tr")}


@pytest.fixture
def answerer_person(answerer):
    return representative(answerer, "pl")


# --- an answer reaches the poster ----------------------------------------------------------------------


def test_an_answer_reaches_each_poster_representative_in_their_language(
    partner_request, poster_people, answerer, answerer_person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.express_interest(
            by=answerer_person, request=partner_request, organization=answerer, message="Mamy 10 wolontariuszy."
        )

    english, polish, turkish = (mails_to(poster_people[code]) for code in ("en", "pl", "tr"))
    assert len(english) == len(polish) == len(turkish) == 1
    assert english[0].subject == "Fundacja Sąsiedzka answered your partner request “Youth exchange on climate”"
    assert "odpowiedzia" in polish[0].subject
    assert "yanıt" in turkish[0].subject
    for message, language in ((english[0], "en"), (polish[0], "pl"), (turkish[0], "tr")):
        assert "Mamy 10 wolontariuszy." in message.body
        assert "kontakt@sasiedzka.example.org" in message.body
        assert f"/{language}/partners/{partner_request.pk}/" in message.body
        assert message.body.count("http") >= 2
    assert mails_to(answerer_person) == []


def test_only_approved_active_representatives_are_told(partner_request, poster, answerer, answerer_person, django_capture_on_commit_callbacks):
    approved = representative(poster)
    pending = MembershipFactory(organization=poster, status=Membership.Status.PENDING).user
    inactive = representative(poster, is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        services.express_interest(by=answerer_person, request=partner_request, organization=answerer, message="Hi")

    assert len(mails_to(approved)) == 1
    assert mails_to(pending) == mails_to(inactive) == []


def test_the_text_is_not_html_escaped(partner_request, poster_people, answerer, answerer_person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.express_interest(
            by=answerer_person, request=partner_request, organization=answerer, message='Sport & "kultura" <3'
        )

    assert 'Sport & "kultura" <3' in mails_to(poster_people["en"])[0].body


def test_a_refused_answer_sends_nothing(partner_request, poster, poster_people, answerer, answerer_person, django_capture_on_commit_callbacks):
    partner_request.deadline = phases.today() - datetime.timedelta(days=1)
    partner_request.save()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.express_interest(by=answerer_person, request=partner_request, organization=answerer, message="Hi")

    assert delivered() == []


def test_nothing_is_sent_before_the_commit(partner_request, poster_people, answerer, answerer_person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.express_interest(by=answerer_person, request=partner_request, organization=answerer, message="Hi")

    assert mail.outbox == []
    assert callbacks


def test_a_failing_mail_server_does_not_undo_the_answer_and_the_mail_waits_for_a_retry(
    partner_request, poster_people, answerer, answerer_person, django_capture_on_commit_callbacks, settings
):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                    "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2}}}

    with django_capture_on_commit_callbacks(execute=True):
        services.express_interest(by=answerer_person, request=partner_request, organization=answerer, message="Hi")
    deliver_due()

    assert ExpressionOfInterest.objects.count() == 1
    waiting = OutgoingMail.objects.filter(key__startswith="partners:interest_received:")
    assert waiting.count() == len(poster_people)
    assert not waiting.filter(status__in=[OutgoingMail.Status.SENT, OutgoingMail.Status.FAILED]).exists()


# --- a decision reaches the answerer ---------------------------------------------------------------------


@pytest.fixture
def interest(partner_request, answerer):
    return ExpressionOfInterestFactory(request=partner_request, organization=answerer)


def test_an_acceptance_reaches_the_answerer_in_their_language_with_the_posters_public_contact(
    interest, poster_people, answerer, django_capture_on_commit_callbacks
):
    english = representative(answerer, "en")
    polish = representative(answerer, "pl")
    decider = poster_people["en"]

    with django_capture_on_commit_callbacks(execute=True):
        services.decide_interest(by=decider, interest=interest, accept=True)

    (english_mail,) = mails_to(english)
    (polish_mail,) = mails_to(polish)
    assert english_mail.subject == "Stowarzyszenie Młodzi Nysa accepted your answer to “Youth exchange on climate”"
    assert polish_mail.subject != english_mail.subject
    assert "biuro@mlodzi.example.org" in english_mail.body
    assert decider.email not in english_mail.body  # contact goes through organizations, not people's addresses
    assert "/pl/partners/" in polish_mail.body


def test_a_refusal_reaches_the_answerer_with_other_requests_that_may_fit(interest, poster_people, answerer, django_capture_on_commit_callbacks):
    person = representative(answerer, "en")

    with django_capture_on_commit_callbacks(execute=True):
        services.decide_interest(by=poster_people["en"], interest=interest, accept=False)

    (message,) = mails_to(person)
    assert "declined" in message.subject
    assert f"/en/partners/for/{answerer.slug}/" in message.body


def test_the_posters_other_representatives_hear_of_the_decision_but_not_the_decider(
    interest, poster_people, django_capture_on_commit_callbacks
):
    decider = poster_people["en"]

    with django_capture_on_commit_callbacks(execute=True):
        services.decide_interest(by=decider, interest=interest, accept=True)

    assert mails_to(decider) == []
    (colleague_mail,) = mails_to(poster_people["tr"])
    assert "Fundacja Sąsiedzka" in colleague_mail.subject
    assert len(mails_to(poster_people["pl"])) == 1


# --- closing reaches answers still waiting ---------------------------------------------------------------


def test_closing_tells_only_the_organizations_whose_answer_still_waits(
    partner_request, poster_people, municipality, django_capture_on_commit_callbacks
):
    waiting = OrganizationFactory(territory=municipality)
    decided = OrganizationFactory(territory=municipality)
    ExpressionOfInterestFactory(request=partner_request, organization=waiting)
    ExpressionOfInterestFactory(request=partner_request, organization=decided, status=ExpressionOfInterest.Status.ACCEPTED)
    waiting_person = representative(waiting, "tr")
    decided_person = representative(decided, "en")

    with django_capture_on_commit_callbacks(execute=True):
        services.close_request(by=poster_people["en"], partner_request=partner_request)

    (message,) = mails_to(waiting_person)
    assert "Youth exchange on climate" in message.subject
    assert "/tr/partners/" in message.body
    assert mails_to(decided_person) == []
