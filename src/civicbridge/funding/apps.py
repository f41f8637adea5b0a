from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "civicbridge.funding"
    label = "funding"
    verbose_name = _("Calls for proposals")

    def ready(self):
        from civicbridge.core.registry import (
            Copied,
            DemoLoader,
            Searchable,
            alertables,
            demo_loaders,
            model_key,
            searchables,
        )

        from . import alerts, services
        from .models import PUBLISHED_COUNT, Call

        searchables.register(
            model_key(Call),
            Searchable(
                model=Call,
                document=services.call_search_document,
                label=_("Calls for proposals"),
                url_name="funding:call_list",
                public=lambda: Call.objects.published(),
                count=PUBLISHED_COUNT.current,
                copies=(
                    Copied("funding.programme", "programme", ("name", "code")),
                    Copied("funding.funder", "programme__funder", ("name",)),
                ),
                select_related=("programme__funder",),
            ),
        )
        alertables.register(alerts.KEY, alerts.alertable())
        demo_loaders.register("funding", DemoLoader(name="funding", module="civicbridge.funding.demo", order=20))
        self.register_api()
        self.register_imports()
        self.register_home()

    def register_home(self):
        from civicbridge.core.registry import HomeBlock, home_blocks

        from . import selectors

        home_blocks.register(
            "calls-closing-soon",
            HomeBlock(title=_("Calls closing soon"), template="funding/_home_closing_soon.html",
                      context=selectors.home_closing_soon, order=10),
        )
        home_blocks.register(
            "calls-newest",
            HomeBlock(title=_("Newest calls for proposals"), template="funding/_home_newest_calls.html",
                      context=selectors.home_newest_calls, order=20),
        )

    def register_imports(self):
        from civicbridge.core.registry import importers

        from .imports import CallImporter

        importers.register(CallImporter.name, CallImporter)

    def register_api(self):
        from civicbridge.core.registry import ApiCollection, api_collections

        from .api import CallViewSet, FunderViewSet

        for prefix, viewset, basename in (
            ("funders", FunderViewSet, "funder"),
            ("calls", CallViewSet, "call"),
        ):
            api_collections.register(prefix, ApiCollection(prefix, viewset, basename))
