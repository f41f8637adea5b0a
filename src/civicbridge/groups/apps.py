from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "civicbridge.groups"
    label = "groups"
    verbose_name = _("Working groups and standards")

    def ready(self):
        from civicbridge.core.registry import personal_data

        from . import selectors as personal_selectors

        personal_data.register("working_groups", personal_selectors.personal_data)
        from civicbridge.core.registry import (
            DemoLoader,
            Searchable,
            alertables,
            demo_loaders,
            model_key,
            searchables,
        )

        from . import alerts, services
        from .models import Standard, WorkingGroup

        searchables.register(
            model_key(WorkingGroup),
            Searchable(
                model=WorkingGroup,
                document=services.group_search_document,
                label=_("Working groups"),
                url_name="groups:group_list",
            ),
        )
        searchables.register(
            model_key(Standard),
            Searchable(
                model=Standard,
                document=services.standard_search_document,
                label=_("Standards"),
                url_name="groups:standard_library",
                public=lambda: Standard.objects.in_library(),
                select_related=("group",),
            ),
        )
        alertables.register(services.ALERT_KEY, alerts.alertable())
        demo_loaders.register(
            "groups", DemoLoader(name="groups", module="civicbridge.groups.demo", order=55)
        )
        self.register_api()
        self.register_profile()

    def register_profile(self):
        from civicbridge.core.registry import HomeBlock, profile_blocks

        from . import selectors

        profile_blocks.register(
            "working-groups",
            HomeBlock(
                title=_("Your working groups"),
                template="groups/_profile_groups.html",
                context=selectors.profile_groups,
                order=35,
            ),
        )

    def register_api(self):
        from civicbridge.core.registry import ApiCollection, api_collections

        from .api import StandardViewSet, WorkingGroupViewSet

        api_collections.register(
            "working-groups", ApiCollection("working-groups", WorkingGroupViewSet, "working-group")
        )
        api_collections.register(
            "standards", ApiCollection("standards", StandardViewSet, "standard")
        )
