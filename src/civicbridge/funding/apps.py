from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "civicbridge.funding"
    label = "funding"
    verbose_name = _("Calls for proposals")

    def ready(self):
        from civicbridge.core.registry import (
            DemoLoader,
            Searchable,
            alertables,
            demo_loaders,
            model_key,
            searchables,
        )

        from . import alerts, services
        from .models import Call

        searchables.register(
            model_key(Call),
            Searchable(
                model=Call,
                document=services.call_search_document,
                label=_("Calls for proposals"),
                url_name="funding:call_list",
                public=lambda: Call.objects.published(),
            ),
        )
        alertables.register(alerts.KEY, alerts.alertable())
        demo_loaders.register("funding", DemoLoader(name="funding", module="civicbridge.funding.demo", order=20))
