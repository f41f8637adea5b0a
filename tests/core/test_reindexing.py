"""Search documents follow renames: every document carrying a changed name is rewritten in the background.

Renames come through the services (organizations, calls), the admin (funders, programmes,
territories, thematic areas, organizations) and the reference-data loader; each enqueues
``core.indexing.reindex_copies``, which rewrites the documents in batches. The queue here is
Django's dummy backend, run by hand: the tests see the state before and after the task runs.
"""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.tasks import task_backends

from civicbridge.alerts.matching import keywords_match
from civicbridge.core import indexing
from civicbridge.core.models import ThematicArea
from civicbridge.core.registry import searchables
from civicbridge.core.search import search
from civicbridge.directory import services as directory_services
from civicbridge.directory.models import Organization
from civicbridge.funding import services as funding_services
from civicbridge.funding.alerts import call_facts
from civicbridge.funding.models import Call
from civicbridge.partners.models import PartnerRequest
from tests.directory.factories import OrganizationFactory
from tests.funding.factories import CallFactory, FunderFactory, ProgrammeFactory
from tests.partners.factories import PartnerRequestFactory

pytestmark = pytest.mark.django_db


class Queue:
    def __init__(self, capture):
        self.backend = task_backends["default"]
        self.capture = capture
        self.runs = []

    @property
    def pending(self):
        return list(self.backend.results)

    def run(self):
        """Run every queued task, and the tasks they enqueue (the next batches), to the end."""
        while self.backend.results:
            queued = list(self.backend.results)
            self.backend.clear()
            for result in queued:
                with self.capture(execute=True):
                    self.runs.append(result.task.call(*result.args, **result.kwargs))


@pytest.fixture
def queue(settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    task_backends["default"].clear()
    return Queue(django_capture_on_commit_callbacks)


@pytest.fixture
def admin(client, coordinator):
    client.force_login(coordinator)
    return client


def admin_form(client, url: str, **changes) -> dict:
    """The admin change form's current values, as a browser would post them back, with ``changes``."""
    response = client.get(url)
    assert response.status_code == 200
    data = {}

    def take(bound_fields):
        for bound in bound_fields:
            value = bound.value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            data[bound.html_name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)

    take(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        take(inline.formset.management_form)
        for form in inline.formset.forms:
            take(form)
    data.update(changes)
    return data


def found(model, query):
    return set(search(model.objects.all(), query).values_list("pk", flat=True))


# --- funders and programmes: calls ------------------------------------------------------------------


def test_a_funder_renamed_in_the_admin_has_its_calls_found_by_the_new_name_after_the_task(
    admin, queue, django_capture_on_commit_callbacks,
):
    funder = FunderFactory(name="Fundusz Pierwotny")
    calls = [CallFactory(programme=ProgrammeFactory(funder=funder)) for _ in range(3)]
    unrelated = CallFactory()
    assert found(Call, "Pierwotny") == {call.pk for call in calls}

    url = f"/en/admin/funding/funder/{funder.pk}/change/"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url, admin_form(admin, url, name="Kasa Odnowiona"))
    assert response.status_code == 302
    assert found(Call, "Odnowiona") == set()  # not yet: the task has not run
    assert len(queue.pending) == 1

    queue.run()
    assert found(Call, "Odnowiona") == {call.pk for call in calls}
    assert found(Call, "Pierwotny") == set()
    assert unrelated.pk not in found(Call, "Odnowiona")


def test_a_programme_renamed_through_the_funders_inline_rewrites_its_calls(admin, queue, django_capture_on_commit_callbacks):
    programme = ProgrammeFactory(name="Program Stary", code="STARY")
    call = CallFactory(programme=programme)
    url = f"/en/admin/funding/funder/{programme.funder.pk}/change/"
    data = admin_form(admin, url)
    name_key = next(key for key, value in data.items() if key.endswith("-name") and value == "Program Stary")
    data[name_key] = "Program Nowatorski"
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(url, data).status_code == 302
    queue.run()
    assert found(Call, "Nowatorski") == {call.pk}


def test_a_programme_renamed_on_its_own_admin_page_rewrites_its_calls(admin, queue, django_capture_on_commit_callbacks):
    programme = ProgrammeFactory(name="Program Stary", code="KODDAWNY")
    call = CallFactory(programme=programme)
    url = f"/en/admin/funding/programme/{programme.pk}/change/"
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(url, admin_form(admin, url, code="ZIELONY")).status_code == 302
    queue.run()
    assert found(Call, "ZIELONY") == {call.pk}
    assert found(Call, "KODDAWNY") == set()


def test_an_admin_edit_that_changes_no_copied_text_enqueues_nothing(admin, queue, django_capture_on_commit_callbacks):
    funder = FunderFactory()
    CallFactory(programme=ProgrammeFactory(funder=funder))
    url = f"/en/admin/funding/funder/{funder.pk}/change/"
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(url, admin_form(admin, url, website="https://example.org/")).status_code == 302
    assert queue.pending == []


# --- territories and thematic areas: organizations and partner requests -------------------------------


def test_a_territory_renamed_in_the_admin_has_its_organizations_and_requests_found_by_the_new_name(
    admin, queue, municipality, other_county, django_capture_on_commit_callbacks,
):
    here = [OrganizationFactory(territory=municipality) for _ in range(2)]
    elsewhere = OrganizationFactory(territory=other_county)
    partner_request = PartnerRequestFactory(organization=elsewhere, territories=[municipality])
    partner_request.search_document = searchables.get("partners.partnerrequest").document(partner_request)
    partner_request.save(update_fields=["search_document"])
    assert found(Organization, "Nysa") >= {o.pk for o in here}

    url = f"/en/admin/core/territory/{municipality.pk}/change/"
    changes = {"name_en": "Nowogrodziec", "name_pl": "Nowogrodziec", "name_tr": "Nowogrodziec"}
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(url, admin_form(admin, url, **changes)).status_code == 302
    queue.run()

    assert found(Organization, "Nowogrodziec") == {o.pk for o in here}
    assert not found(Organization, "Nysa") & {o.pk for o in here}
    assert found(PartnerRequest, "Nowogrodziec") == {partner_request.pk}


def test_a_thematic_area_renamed_in_the_admin_rewrites_the_requests_that_carry_it(
    admin, queue, django_capture_on_commit_callbacks,
):
    area = ThematicArea.objects.order_by("pk").first()
    partner_request = PartnerRequestFactory(thematic_areas=[area])
    partner_request.search_document = searchables.get("partners.partnerrequest").document(partner_request)
    partner_request.save(update_fields=["search_document"])
    url = f"/en/admin/core/thematicarea/{area.pk}/change/"
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(url, admin_form(admin, url, name_en="Heliotherapy", name_pl="Helioterapia", name_tr="Helyoterapi")).status_code == 302
    queue.run()
    assert found(PartnerRequest, "Helioterapia") == {partner_request.pk}


def test_the_reference_data_loader_renaming_an_area_rewrites_the_documents(queue, django_capture_on_commit_callbacks):
    from civicbridge.core.reference import load_thematic_areas

    area = ThematicArea.objects.order_by("pk").first()
    partner_request = PartnerRequestFactory(thematic_areas=[area])
    ThematicArea.objects.filter(pk=area.pk).update(name_pl="Nazwa Przestarzała")
    partner_request.search_document = searchables.get("partners.partnerrequest").document(partner_request)
    partner_request.save(update_fields=["search_document"])
    assert found(PartnerRequest, "Przestarzała") == {partner_request.pk}

    with django_capture_on_commit_callbacks(execute=True):
        load_thematic_areas()  # puts the official name back
    queue.run()
    assert found(PartnerRequest, "Przestarzała") == set()


# --- organizations and calls: partner requests --------------------------------------------------------


def test_an_organization_renamed_through_the_service_has_its_requests_found_by_the_new_name(
    coordinator, queue, django_capture_on_commit_callbacks,
):
    organization = OrganizationFactory(name="Stowarzyszenie Dawne")
    requests = [PartnerRequestFactory(organization=organization) for _ in range(2)]
    other = PartnerRequestFactory()
    with django_capture_on_commit_callbacks(execute=True):
        directory_services.update_organization(organization=organization, by=coordinator, data={"name": "Fundacja Obecna"})
    queue.run()
    assert found(PartnerRequest, "Obecna") == {r.pk for r in requests}
    assert found(PartnerRequest, "Dawne") == set()
    assert other.pk not in found(PartnerRequest, "Obecna")


def test_an_organization_renamed_in_the_admin_rewrites_its_requests(admin, queue, django_capture_on_commit_callbacks):
    organization = OrganizationFactory(name="Stowarzyszenie Dawne")
    partner_request = PartnerRequestFactory(organization=organization)
    url = f"/en/admin/directory/organization/{organization.pk}/change/"
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(url, admin_form(admin, url, name="Fundacja Obecna")).status_code == 302
    queue.run()
    assert found(PartnerRequest, "Obecna") == {partner_request.pk}
    assert found(Organization, "Obecna") == {organization.pk}


def test_a_call_retitled_through_the_service_rewrites_the_requests_that_name_it(
    coordinator, queue, django_capture_on_commit_callbacks,
):
    call = CallFactory(title="Wsparcie dawnych inicjatyw")
    partner_request = PartnerRequestFactory(call=call)
    with django_capture_on_commit_callbacks(execute=True):
        funding_services.update_call(call=call, by=coordinator, data={"title": "Wsparcie morskich inicjatyw"})
    queue.run()
    assert found(PartnerRequest, "morskich") == {partner_request.pk}
    assert found(PartnerRequest, "dawnych") == set()


def test_a_rename_rolled_back_enqueues_nothing(coordinator, queue, django_capture_on_commit_callbacks):
    organization = OrganizationFactory(name="Stowarzyszenie Dawne")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        directory_services.update_organization(
            organization=organization, by=coordinator, data={"name": "Nowa Nazwa", "founding_year": 3000},
        )
    assert queue.pending == []


# --- batches ------------------------------------------------------------------------------------------


def test_the_task_rewrites_in_batches_and_reaches_the_last_document(
    settings, coordinator, queue, django_capture_on_commit_callbacks, django_assert_max_num_queries,
):
    settings.CIVICBRIDGE_REINDEX_BATCH_SIZE = 2
    organization = OrganizationFactory(name="Stowarzyszenie Dawne")
    requests = [PartnerRequestFactory(organization=organization) for _ in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        directory_services.update_organization(organization=organization, by=coordinator, data={"name": "Fundacja Obecna"})
    queue.run()
    # Other searchables that copy the organization's name (projects, events) run their own batches.
    assert [run["read"] for run in queue.runs if run.get("searchable") == "partners.partnerrequest"] == [2, 2, 1]
    assert found(PartnerRequest, "Obecna") == {r.pk for r in requests}

    # One batch runs a fixed number of queries whatever it holds (ids, rows, two prefetches, write).
    entry = searchables.get("partners.partnerrequest")
    PartnerRequest.objects.update(search_document="")
    with django_assert_max_num_queries(8):
        indexing.rebuild_batch(entry, PartnerRequest.objects.all(), batch_size=100)


def test_a_batch_writes_only_documents_that_changed(coordinator):
    entry = searchables.get("directory.organization")
    fresh = OrganizationFactory()
    stale = OrganizationFactory()
    Organization.objects.filter(pk=stale.pk).update(search_document="stare")
    read, changed, last = indexing.rebuild_batch(entry, Organization.objects.filter(pk__in=[fresh.pk, stale.pk]))
    assert (read, changed, last) == (2, 1, max(fresh.pk, stale.pk))


# --- alert matching -----------------------------------------------------------------------------------


def test_alert_matching_reads_the_current_names_even_before_the_task_runs(queue, django_capture_on_commit_callbacks):
    funder = FunderFactory(name="Fundusz Pierwotny")
    call = CallFactory(programme=ProgrammeFactory(funder=funder))
    funder.name = "Kasa Odnowiona"
    funder.save()  # as the admin would, before the reindex task has run
    call = Call.objects.select_related("programme__funder").get(pk=call.pk)
    facts = call_facts(call)
    assert keywords_match("Odnowiona", facts)
    assert not keywords_match("Pierwotny", facts)


# --- the reindex command ------------------------------------------------------------------------------


def test_the_reindex_command_rebuilds_every_document(settings):
    organizations = [OrganizationFactory(name=f"Stowarzyszenie Odbudowane {n}") for n in range(3)]
    call = CallFactory(title="Wsparcie odbudowanych bibliotek")
    partner_request = PartnerRequestFactory(title="Odbudowa partnerstwa")
    Organization.objects.update(search_document="")
    Call.objects.update(search_document="")
    PartnerRequest.objects.update(search_document="")
    out = io.StringIO()
    call_command("reindex", "--batch-size", "2", stdout=out)
    assert found(Organization, "Odbudowane") == {o.pk for o in organizations}
    assert found(Call, "bibliotek") == {call.pk}
    assert found(PartnerRequest, "partnerstwa") == {partner_request.pk}
    output = out.getvalue()
    assert "directory.organization: 2/" in output  # progress, batch by batch
    assert "funding.call: done" in output


def test_the_reindex_command_can_rebuild_one_model():
    organization = OrganizationFactory(name="Stowarzyszenie Odbudowane")
    CallFactory(title="Wsparcie odbudowanych bibliotek")
    Organization.objects.update(search_document="")
    Call.objects.update(search_document="")
    call_command("reindex", "--model", "directory.organization", stdout=io.StringIO())
    assert found(Organization, "Odbudowane") == {organization.pk}
    assert found(Call, "bibliotek") == set()


def test_the_reindex_command_refuses_an_unknown_model():
    with pytest.raises(CommandError, match=r"Not a searchable model: directory\.plenipotentiary"):
        call_command("reindex", "--model", "directory.plenipotentiary", stdout=io.StringIO())


# --- the registry -------------------------------------------------------------------------------------


def test_every_copied_text_is_declared_on_a_path_that_leads_to_its_model():
    from django.apps import apps

    declared = 0
    for entry in searchables:
        for copied in entry.copies:
            model = entry.model
            for part in copied.path.split("__"):
                model = model._meta.get_field(part).related_model
            assert model is apps.get_model(copied.model), (entry.model, copied)
            for field in copied.fields:
                model._meta.get_field(field)
            declared += 1
    assert declared >= 7
