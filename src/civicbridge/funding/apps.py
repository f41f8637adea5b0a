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
            demo_loaders,
            model_key,
            searchables,
        )

        from . import services
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
        demo_loaders.register("funding", DemoLoader(name="funding", load=_load_demo, order=20))


def _load_demo(**kwargs):
    # Imported on use, like the other demo loaders.
    from . import demo

    demo.load(**kwargs)
