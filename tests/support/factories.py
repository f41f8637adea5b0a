import factory

from civicbridge.support.models import HistoryEntry, Message, SupportRequest, TimeEntry


class SupportRequestFactory(factory.django.DjangoModelFactory):
    """A request as the services file it: new, with its "filed" entry in the history."""

    class Meta:
        model = SupportRequest
        skip_postgeneration_save = True

    organization = factory.SubFactory("tests.directory.factories.OrganizationFactory")
    topic = SupportRequest.Topic.PROJECT_WRITING
    subject = factory.Sequence(lambda n: f"Budżet oferty {n}")
    description = "Jak pokazać koszty administracyjne w ofercie?"
    created_by = factory.SubFactory("tests.accounts.factories.UserFactory")

    @factory.post_generation
    def filed(obj, create, extracted, **kwargs):
        if create:
            HistoryEntry.objects.create(request=obj, kind=HistoryEntry.Kind.CREATED, new_status="new", by=obj.created_by)


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    request = factory.SubFactory(SupportRequestFactory)
    author = factory.SubFactory("tests.accounts.factories.UserFactory")
    body = "Dziękujemy za pomoc."


class TimeEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimeEntry

    request = factory.SubFactory(SupportRequestFactory)
    coordinator = factory.SubFactory("tests.accounts.factories.UserFactory", is_coordinator=True)
    minutes = 30
