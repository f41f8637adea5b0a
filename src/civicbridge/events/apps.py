from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "civicbridge.events"
    label = "events"
    verbose_name = _("Events and trainings")

    def ready(self):
        self.forget_rights_on_organizer_changes()
        from civicbridge.core.registry import personal_data

        from . import selectors as personal_selectors

        personal_data.register("event_registrations", personal_selectors.personal_data)
        from civicbridge.core.registry import (
            Copied,
            DemoLoader,
            Searchable,
            alertables,
            demo_loaders,
            model_key,
            periodic_job_sources,
            searchables,
        )

        from . import alerts, services, tasks
        from .models import PUBLISHED_COUNT, Event

        searchables.register(
            model_key(Event),
            Searchable(
                model=Event,
                document=services.event_search_document,
                label=_("Events and trainings"),
                url_name="events:event_list",
                public=lambda: Event.objects.published(),
                count=PUBLISHED_COUNT.current,
                # Newest first, as the registry: the database stops at the first matches instead of
                # sorting every match of a common word by date.
                search_ordering=("-id",),
                copies=(
                    Copied("directory.organization", "organizers", ("name",)),
                    Copied("core.territory", "territory", ("name_en", "name_pl", "name_tr")),
                    Copied("core.thematicarea", "thematic_areas", ("name_en", "name_pl", "name_tr")),
                ),
                select_related=("territory",),
                prefetch_related=("organizers", "thematic_areas"),
            ),
        )
        alertables.register(services.ALERT_KEY, alerts.alertable())
        periodic_job_sources.register("events", tasks.periodic_jobs)
        demo_loaders.register("events", DemoLoader(name="events", module="civicbridge.events.demo", order=40))
        self.register_api()
        self.register_home()

    def register_home(self):
        from civicbridge.core.registry import HomeBlock, home_blocks, profile_blocks

        from . import selectors

        home_blocks.register(
            "events-upcoming",
            HomeBlock(title=_("Upcoming events"), template="events/_home_upcoming.html",
                      context=selectors.home_upcoming, order=25),
        )
        profile_blocks.register(
            "event-registrations",
            HomeBlock(title=_("Your registrations for events"), template="events/_profile_registrations.html",
                      context=selectors.profile_registrations, order=30),
        )

    def register_api(self):
        from civicbridge.core.registry import ApiCollection, api_collections

        from .api import EventViewSet

        api_collections.register("events", ApiCollection("events", EventViewSet, "event"))

    def forget_rights_on_organizer_changes(self):
        """Who organizes an event makes rights asked once per request
        (``core.rules.answered_once_per_request``): asked again after its organizers change."""
        from django.db.models.signals import m2m_changed

        from civicbridge.core.rules import forget_answers

        from .models import Event

        m2m_changed.connect(forget_answers, sender=Event.organizers.through, dispatch_uid="forget-answers-organizers")
