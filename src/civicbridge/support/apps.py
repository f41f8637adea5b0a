from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "civicbridge.support"
    label = "support"
    verbose_name = _("Support requests")

    def ready(self):
        from civicbridge.core.registry import personal_data

        from . import selectors as personal_selectors

        personal_data.register("support_requests", personal_selectors.personal_data)
        from civicbridge.core.registry import (
            ApiCollection,
            DemoLoader,
            HomeBlock,
            api_collections,
            demo_loaders,
            profile_blocks,
        )

        from . import selectors
        from .api import SupportRequestViewSet

        profile_blocks.register(
            "support-requests",
            HomeBlock(title=_("Your organizations' support requests"), template="support/_profile_requests.html",
                      context=selectors.profile_requests, order=30),
        )
        api_collections.register(
            "support-requests", ApiCollection("support-requests", SupportRequestViewSet, "support-request"),
        )
        # After the registry (its organizations and demo accounts).
        demo_loaders.register("support", DemoLoader(name="support", module="civicbridge.support.demo", order=45))
