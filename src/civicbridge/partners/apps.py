from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "civicbridge.partners"
    label = "partners"
    verbose_name = _("Partner search")

    def ready(self):
        from civicbridge.core.registry import (
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
            ),
        )
        demo_loaders.register("partners", DemoLoader(name="partners", load=_load_demo, order=30))


def _load_demo(**kwargs):
    # Imported on use, like the other demo loaders.
    from . import demo

    demo.load(**kwargs)
