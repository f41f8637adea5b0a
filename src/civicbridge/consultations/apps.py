from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "civicbridge.consultations"
    label = "consultations"
    verbose_name = _("Consultations")

    def ready(self):
        from civicbridge.core.registry import personal_data

        from . import selectors as personal_selectors

        personal_data.register("consultation_remarks", personal_selectors.personal_data)
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

        from . import alerts, rules, services, tasks  # noqa: F401 (rules registers the permissions)
        from .models import Consultation

        searchables.register(
            model_key(Consultation),
            Searchable(
                model=Consultation,
                document=services.consultation_search_document,
                label=_("Consultations"),
                url_name="consultations:consultation_list",
                public=lambda: Consultation.objects.published(),
                search_ordering=("-id",),
                copies=(
                    Copied("directory.organization", "issuing_body", ("name",)),
                    Copied(
                        "core.territory", "territory", ("name_en", "name_pl", "name_tr", "code")
                    ),
                    Copied(
                        "core.thematicarea", "thematic_areas", ("name_en", "name_pl", "name_tr")
                    ),
                ),
                select_related=("territory", "issuing_body"),
                prefetch_related=("thematic_areas",),
            ),
        )
        alertables.register(services.ALERT_KEY, alerts.alertable())
        periodic_job_sources.register("consultations", tasks.periodic_jobs)
        demo_loaders.register(
            "consultations",
            DemoLoader(name="consultations", module="civicbridge.consultations.demo", order=50),
        )
        self.register_api()
        self.register_home()

    def register_home(self):
        from civicbridge.core.registry import HomeBlock, home_blocks, profile_blocks

        from . import selectors

        home_blocks.register(
            "consultations-open",
            HomeBlock(
                title=_("Open consultations"),
                template="consultations/_home_open.html",
                context=selectors.home_open,
                order=22,
            ),
        )
        profile_blocks.register(
            "consultation-remarks",
            HomeBlock(
                title=_("Your remarks in consultations"),
                template="consultations/_profile_remarks.html",
                context=selectors.profile_remarks,
                order=32,
            ),
        )

    def register_api(self):
        from civicbridge.core.registry import ApiCollection, api_collections

        from .api import ConsultationViewSet

        api_collections.register(
            "consultations", ApiCollection("consultations", ConsultationViewSet, "consultation")
        )
