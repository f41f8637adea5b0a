from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "civicbridge.projects"
    label = "projects"
    verbose_name = _("Project portfolio")

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

        from . import exports, rules, services  # noqa: F401 (rules registers the permissions)
        from .models import PUBLIC_COUNT, Project

        searchables.register(
            model_key(Project),
            Searchable(
                model=Project,
                document=services.project_search_document,
                label=_("Projects"),
                url_name="projects:portfolio",
                public=Project.objects.public,
                count=PUBLIC_COUNT.current,
                copies=(
                    Copied("directory.organization", "lead_organization", ("name",)),
                    Copied("directory.organization", "partners__organization", ("name",)),
                    Copied("funding.call", "call", ("identifier", "title")),
                ),
                select_related=("lead_organization", "call"),
                prefetch_related=("partners__organization",),
            ),
        )
        exportables.register(model_key(Project), Exportable(model=Project, columns=exports.columns))
        demo_loaders.register("projects", DemoLoader(name="projects", module="civicbridge.projects.demo", order=35))
        self.register_api()
        self.register_profile()

    def register_api(self):
        from civicbridge.core.registry import ApiCollection, api_collections

        from .api import ProjectViewSet

        api_collections.register("projects", ApiCollection("projects", ProjectViewSet, "project"))

    def register_profile(self):
        from civicbridge.core.registry import HomeBlock, profile_blocks

        from . import selectors

        profile_blocks.register(
            "projects",
            HomeBlock(title=_("Your organizations' projects"), template="projects/_profile_projects.html",
                      context=selectors.profile_projects, order=30),
        )
