from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "civicbridge.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import checks, collation, lookups  # noqa: F401  (system checks, SQLite's name collation, __any)
        from .validators import attach_to_models

        attach_to_models()
        self.register_api()

    def register_api(self):
        from .api import TerritoryViewSet, ThematicAreaViewSet
        from .registry import ApiCollection, api_collections

        api_collections.register("territories", ApiCollection("territories", TerritoryViewSet, "territory"))
        api_collections.register(
            "thematic-areas", ApiCollection("thematic-areas", ThematicAreaViewSet, "thematic-area")
        )
