import datetime
from decimal import Decimal

import factory

from civicbridge.projects.models import Project, StatusChange
from civicbridge.projects.services import project_search_document
from tests.directory.factories import OrganizationFactory


class ProjectFactory(factory.django.DjangoModelFactory):
    """Projects as the services store them: their first status recorded, search column included."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Projekt testowy {n}")
    lead_organization = factory.SubFactory(OrganizationFactory)
    budget = Decimal("100000.00")
    co_financing = Decimal("10000.00")
    currency = "PLN"
    start_date = datetime.date(2026, 3, 1)
    end_date = datetime.date(2027, 2, 28)
    summary = "Szkolenia dla organizacji pozarządowych."
    status = Project.Status.IDEA

    @factory.post_generation
    def index(obj, create, extracted, **kwargs):
        if create:
            StatusChange.objects.create(project=obj, from_status="", to_status=obj.status, at=obj.created_at)
            obj.search_document = project_search_document(obj)
            obj.save(update_fields=["search_document"])
