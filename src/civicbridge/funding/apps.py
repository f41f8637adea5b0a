from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "civicbridge.funding"
    label = "funding"
    verbose_name = _("Calls for proposals")

    def ready(self):
        from civicbridge.core.cache import FUNDING
        from civicbridge.core.registry import (
            Copied,
            DemoLoader,
            Searchable,
            demo_loaders,
            model_key,
            periodic_job_sources,
            searchables,
        )

        from . import periodic, services
        from .models import Call

        searchables.register(
            model_key(Call),
            Searchable(
                model=Call,
                document=services.call_search_document,
                label=_("Calls for proposals"),
                url_name="funding:call_list",
                public=lambda: Call.objects.published(),
                copies=(
                    Copied("funding.programme", "programme", ("name", "code")),
                    Copied("funding.funder", "programme__funder", ("name",)),
                ),
                select_related=("programme__funder",),
                scopes=(FUNDING,),
            ),
        )
        periodic_job_sources.register("funding", periodic.configured_alert_jobs)
        demo_loaders.register("funding", DemoLoader(name="funding", module="civicbridge.funding.demo", order=20))
