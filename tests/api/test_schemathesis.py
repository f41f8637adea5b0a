"""Schemathesis over the whole OpenAPI document: every operation, anonymous and signed in.

The schema is loaded from the app itself (``/api/v1/schema/`` through the WSGI application,
in-process, no network). For each identity (anonymous; a representative of an NGO whose
membership a coordinator approved; a coordinator) every operation is called with data
generated from the schema, valid and invalid, and then in sequences that follow the links
between operations (create, then read, change, delete what was created). Each answer must:

- not be a server error;
- have a status code the document lists for that operation;
- have the documented content type;
- match the documented response schema.

Valid data refers to objects that exist (a ``map_case`` hook puts the world's identifiers
where the body or the query names a territory, a thematic area, a programme, an organization,
...), so that it is judged on its content; the changes an example makes, but creations, are
undone after it. The summary printed ends with the share of valid data the API accepted.

Reproducible: Hypothesis is derandomized and keeps no example database. Bounded: the number
of examples per operation is chosen so that the module runs in about two minutes on two cores.
"""

from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.core.transport import Response
from schemathesis.generation import GenerationMode
from schemathesis.generation.feedback import FeedbackSources
from schemathesis.resources import record_interaction
from schemathesis.specs.openapi import checks as openapi_checks

from civicbridge.core.models import ThematicArea
from civicbridge.funding.models import Funder
from civicbridge.partners.models import PartnerRequest
from civicbridge.wsgi import application
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.alerts.factories import SubscriptionFactory
from tests.directory.factories import OrganizationFactory, PlenipotentiaryFactory, PublicBodyFactory
from tests.funding.factories import CallFactory, FunderFactory, ProgrammeFactory
from tests.partners.factories import PartnerRequestFactory

pytestmark = pytest.mark.django_db

SCHEMA_URL = "/api/v1/schema/?format=json"
CHECKS = [
    not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 8  # per identity and per mode (valid, invalid data)
STATEFUL_STEPS = 12
STATEFUL_EXAMPLES = 40
IDENTITIES = ["anonymous", "representative", "coordinator"]


def _hypothesis(max_examples: int, **extra):
    return hypothesis_settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        # Failures are reported as found: shrinking would spend the time budget on one of them.
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        **extra,
    )


@pytest.fixture(autouse=True)
def _no_throttling(monkeypatch):
    # Thousands of requests a minute from one client: the throttles would answer most of them
    # with 429 (documented, but then nothing else would be tested). Throttling has its own tests.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None, "token": None})


@pytest.fixture(autouse=True)
def _one_connection_per_test():
    # The WSGI application closes the database connection after each request, as in
    # production; inside the test's transaction that would end it (on PostgreSQL). Django's
    # test client disconnects the same handler for the same reason.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(municipality):
    """A small registry for the generated requests to find: one of each kind of object.

    Per identity: the headers it sends, and the path parameters of objects it may see (valid
    data has real identifiers half of the time; generated ones find nothing).
    """
    ngo = OrganizationFactory(territory=municipality)
    public_body = PublicBodyFactory(territory=municipality)
    plenipotentiary = PlenipotentiaryFactory(public_body=public_body)
    funder = FunderFactory(kind=Funder.Kind.EU)
    programme = ProgrammeFactory(funder=funder)
    call = CallFactory(programme=programme)
    partner_request = PartnerRequestFactory(organization=ngo)
    representative = UserFactory()
    # Approved by a coordinator: rights as granted, not taken by registering an organization.
    MembershipFactory(user=representative, organization=ngo)
    coordinator = UserFactory(is_coordinator=True, is_staff=True)
    shared = {
        "/api/v1/organizations/{id}/": {"id": ngo.pk},
        "/api/v1/plenipotentiaries/{id}/": {"id": plenipotentiary.pk},
        "/api/v1/calls/{identifier}/": {"identifier": call.identifier},
        "/api/v1/calls/{identifier}/publish/": {
            "identifier": CallFactory(programme=programme, published_at=None).identifier
        },
        "/api/v1/partner-requests/{id}/": {"id": partner_request.pk},
        "/api/v1/partner-requests/{id}/close/": {"id": partner_request.pk},
        "/api/v1/partner-requests/{id}/interest/": {"id": partner_request.pk},
        "/api/v1/funders/{id}/": {"id": funder.pk},
        "/api/v1/territories/{id}/": {"id": municipality.pk},
        "/api/v1/thematic-areas/{id}/": {"id": ThematicArea.objects.order_by("pk").first().pk},
    }

    def own(user):
        return shared | {"/api/v1/subscriptions/{id}/": {"id": SubscriptionFactory(user=user).pk}}

    # The objects valid data may refer to (the body's and the query's identifiers): those the
    # identity may use. Territories: the municipality and the units above it.
    references = {
        "territory": [int(pk) for pk in municipality.path.strip("/").split("/")],
        "thematic_area": list(ThematicArea.objects.order_by("pk").values_list("pk", flat=True)[:10]),
        "programme": [programme.pk],
        "funder": [funder.pk],
        "call": [call.pk],
        "public_body": [public_body.pk],
    }

    def refs(organizations):
        return references | {"organization": [organization.pk for organization in organizations]}

    return {
        "anonymous": ({}, shared, refs([ngo])),
        "representative": (
            {"Authorization": f"Token {Token.objects.create(user=representative).key}"},
            own(representative),
            refs([ngo]),
        ),
        "coordinator": (
            {"Authorization": f"Token {Token.objects.create(user=coordinator).key}"},
            own(coordinator),
            refs([ngo, public_body]),
        ),
    }


# Fields and query parameters that name another object, by the kind of object they name.
REFERENCES = {
    "territory": "territory", "territories": "territory", "eligible_territories": "territory",
    "parent": "territory", "within": "territory",
    "thematic_area": "thematic_area", "thematic_areas": "thematic_area",
    "programme": "programme", "funder": "funder", "call": "call", "public_body": "public_body",
    "organization": "organization",
}


def _existing(value, ids):
    """``value`` (a generated identifier, or a list of them) as identifiers of existing objects.

    Chosen by the generated value, so that Hypothesis still varies (and reproduces) the choice.
    """
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return ids[value % len(ids)]
    if isinstance(value, list) and all(isinstance(item, int) and not isinstance(item, bool) for item in value):
        return list(dict.fromkeys(ids[item % len(ids)] for item in value))
    return value


def _with_references(values, references):
    return {
        name: _existing(value, references[REFERENCES[name]]) if name in REFERENCES else value
        for name, value in values.items()
    }


def _unchangeable(case) -> dict:
    """What a change must repeat as it is: a published call's identifier, a request's poster."""
    if case.method.upper() not in ("PUT", "PATCH"):
        return {}
    if case.operation.path == "/api/v1/calls/{identifier}/" and "identifier" in case.body:
        return {"identifier": case.path_parameters["identifier"]}
    if case.operation.path == "/api/v1/partner-requests/{id}/" and "organization" in case.body:
        poster = PartnerRequest.objects.filter(pk=case.path_parameters["id"]).values_list("organization", flat=True)
        return {"organization": poster[0]} if poster else {}
    return {}


def _refer_to_existing_objects(api_schema, references) -> None:
    """Valid data refers to objects that exist, as schemathesis' CLI draws them from earlier answers.

    A generated identifier finds nothing: a valid body or filter would then be refused (400)
    for that alone, and the rest of it never judged. Invalid data is left as generated; the
    path parameters too (the test sends the world's identifiers as a variant of its own).
    """

    def map_case(context, case):
        if case.meta is None or case.meta.generation.mode is not GenerationMode.POSITIVE:
            return case
        if isinstance(case.body, dict):
            case.body = _with_references(case.body, references) | _unchangeable(case)
            if case.media_type != "application/json":
                # A form has no null: the API (DRF) reads an empty value of a nullable field as null.
                case.body = {name: "" if value is None else value for name, value in case.body.items()}
        if case.query:
            case.query = _with_references(case.query, references)
            if "page" in case.query:
                case.query["page"] = 1  # a page past the last is 404: the world has one page
        return case

    api_schema.hooks.register_hook_with_name(map_case, "map_case")


@pytest.fixture
def api_schema(world, request):
    schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, application)
    identity = request.node.callspec.params["identity"]
    _refer_to_existing_objects(schema, world[identity][2])
    return schema


_ORDER = {"GET": 0, "POST": 1, "PUT": 2, "PATCH": 2, "DELETE": 3}


def _operations(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    # Reads first, so that what they answer (identifiers) feeds the writes; deletions last,
    # so that the objects of the world stay for the other operations to find.
    return sorted(operations, key=lambda operation: _ORDER.get(operation.method.upper(), 1))


def _examine(operation, mode, path_parameters, headers, statuses: Counter, observed) -> None:
    """Call ``operation`` with generated data and check every answer; raise on the first failure.

    ``observed``: schemathesis' pool of values seen in earlier answers (identifiers of real
    objects), from which it draws some of the references it generates, as its CLI does.
    """
    strategy = operation.as_strategy(
        mode, path_parameters=path_parameters, feedback=FeedbackSources(extra_data_source=observed)
    )

    # What a change, an action or a deletion does is undone after each example, so that each
    # one finds the world as the fixture made it (the next deletion something to delete, the
    # next publication a draft). What a creation makes stays: its identifiers feed later cases.
    undo = operation.method.upper() != "POST" or "{" in operation.path

    @given(case=strategy)
    @_hypothesis(EXAMPLES_PER_OPERATION)
    def call(case):
        savepoint = transaction.savepoint_create() if undo else None
        try:
            response = case.call_and_validate(headers=headers, checks=CHECKS)
        finally:
            if savepoint is not None:
                transaction.savepoint_rollback(savepoint)
                cache.clear()
        if observed is not None:
            record_interaction(observed, case, Response.from_any(response))
        # A "valid" strategy also yields cases it made invalid on purpose (for a form, say):
        # the case's own metadata tells which.
        generated = case.meta.generation.mode if case.meta is not None else mode
        statuses[(operation.label, mode.value, generated.value, response.status_code // 100)] += 1

    call()


@pytest.mark.parametrize("identity", IDENTITIES)
def test_every_operation_answers_as_documented_and_never_with_a_server_error(api_schema, world, identity):
    headers, known, _references = world[identity]
    failures = []
    statuses: Counter = Counter()
    operations = _operations(api_schema)
    assert len(operations) >= 38
    observed = api_schema.create_extra_data_source()

    for operation in operations:
        variants = [(GenerationMode.POSITIVE, None), (GenerationMode.NEGATIVE, None)]
        if operation.path in known:
            variants.append((GenerationMode.POSITIVE, known[operation.path]))
        for mode, path_parameters in variants:
            try:
                _examine(operation, mode, path_parameters, headers, statuses, observed)
            except Unsatisfiable:
                # Nothing to make invalid: the operation has no parameter and no body (GET /me/).
                assert mode is GenerationMode.NEGATIVE
            except Exception as error:  # schemathesis' FailureGroup and what the checks raise
                failures.append(f"{operation.label} ({mode.value}): {error}")

    assert not failures, "\n\n".join(failures)
    print(_summary(statuses))


def _summary(statuses: Counter) -> str:
    """Answers to valid data per operation, by status family: where the schema says too little.

    Last, the share of valid data the API accepted (2xx): of the cases generated as valid,
    and of all the cases the valid-data strategy gave.
    """
    lines = []
    for (label, _mode, generated, family), count in sorted(statuses.items()):
        if generated == "positive":
            lines.append(f"{label}: {family}xx x {count}")
    for title, chosen in (
        ("valid data accepted (2xx)", lambda mode, generated: generated == "positive"),
        ("data of the valid-data strategy accepted (2xx)", lambda mode, generated: mode == "positive"),
    ):
        counted = [(family, count) for (_label, mode, generated, family), count in statuses.items() if chosen(mode, generated)]
        total = sum(count for _family, count in counted)
        accepted = sum(count for family, count in counted if family == 2)
        lines.append(f"{title}: {accepted}/{total} = {accepted / max(total, 1):.0%}")
    return "\n".join(lines)


@pytest.mark.parametrize("identity", ["representative", "coordinator"])
def test_sequences_of_linked_operations_answer_as_documented(api_schema, world, identity):
    headers, _known, _references = world[identity]
    machine = api_schema.as_state_machine()
    steps: Counter = Counter()

    class Workflow(machine):
        # Each sequence starts from the same registry: what one created is gone for the next,
        # so that a sequence replays the same way (Hypothesis requires it) and tests only itself.
        def setup(self):
            self._savepoint = transaction.savepoint_create()

        def teardown(self):
            transaction.savepoint_rollback(self._savepoint)
            cache.clear()

        def get_call_kwargs(self, case):
            return {"headers": headers}

        def after_call(self, response, case):
            super().after_call(response, case)
            steps[(case.operation.label, response.status_code)] += 1

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs or None)

    Workflow.run(settings=_hypothesis(STATEFUL_EXAMPLES, stateful_step_count=STATEFUL_STEPS))

    print(sorted(steps.items()))
