from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "civicbridge.partners"
    label = "partners"
    verbose_name = _("Partner search")

    def ready(self):
        from civicbridge.core.registry import (
            Copied,
            DemoLoader,
            Searchable,
            demo_loaders,
            model_key,
            searchables,
        )

        from . import services
        from .models import PartnerRequest

        searchables.register(
            model_key(PartnerRequest),
            Searchable(
                model=PartnerRequest,
                document=services.request_search_document,
                label=_("Partner requests"),
                url_name="partners:request_list",
                copies=(
                    Copied("directory.organization", "organization", ("name",)),
                    Copied("funding.call", "call", ("identifier", "title")),
                    Copied("core.thematicarea", "thematic_areas", ("name_en", "name_pl", "name_tr")),
                    Copied("core.territory", "territories", ("name_en", "name_pl", "name_tr")),
                ),
                select_related=("organization", "call"),
                prefetch_related=("thematic_areas", "territories"),
            ),
        )
        demo_loaders.register("partners", DemoLoader(name="partners", module="civicbridge.partners.demo", order=30))
        self.register_api()
        self.register_home()

    def register_home(self):
        from civicbridge.core.registry import HomeBlock, home_blocks, profile_blocks

        from . import selectors

        home_blocks.register(
            "partner-requests-open",
            HomeBlock(title=_("Partners sought"), template="partners/_home_open_requests.html",
                      context=selectors.home_open_requests, order=30),
        )
        profile_blocks.register(
            "partner-requests",
            HomeBlock(title=_("Your organizations' partner requests"), template="partners/_profile_requests.html",
                      context=selectors.profile_requests, order=20),
        )

    def register_api(self):
        from civicbridge.core.registry import ApiCollection, api_collections

        from .api import PartnerRequestViewSet

        api_collections.register(
            "partner-requests", ApiCollection("partner-requests", PartnerRequestViewSet, "partner-request")
        )
