from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "civicbridge.directory"
    label = "directory"
    verbose_name = _("Registry of organizations")

    def ready(self):
        from civicbridge.core.registry import (
            Copied,
            DemoLoader,
            Exportable,
            Searchable,
            demo_loaders,
            exportables,
            model_key,
            searchables,
        )

        from . import exports, selectors, services
        from .models import Organization

        searchables.register(
            model_key(Organization),
            Searchable(
                model=Organization,
                document=services.organization_search_document,
                label=_("Organizations"),
                url_name="directory:organization_list",
                public=Organization.objects.listed,
                count=selectors.listed_count,
                search_ordering=("-id",),  # OrganizationFilter.searches_newest_first
                copies=(Copied("core.territory", "territory", ("name_en", "name_pl", "name_tr")),),
                select_related=("territory",),
            ),
        )
        exportables.register(model_key(Organization), Exportable(model=Organization, columns=exports.columns))
        demo_loaders.register("directory", DemoLoader(name="directory", module="civicbridge.directory.demo", order=10))
        self.register_api()
        self.register_imports()

    def register_imports(self):
        from civicbridge.core.registry import importers

        from .imports import OrganizationImporter

        importers.register(OrganizationImporter.name, OrganizationImporter)

    def register_api(self):
        from civicbridge.core.registry import ApiCollection, api_collections

        from .api import OrganizationViewSet, PlenipotentiaryViewSet

        for prefix, viewset, basename in (
            ("organizations", OrganizationViewSet, "organization"),
            ("plenipotentiaries", PlenipotentiaryViewSet, "plenipotentiary"),
        ):
            api_collections.register(prefix, ApiCollection(prefix, viewset, basename))
