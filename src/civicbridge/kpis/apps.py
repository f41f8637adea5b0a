from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    name = "civicbridge.kpis"
    label = "kpis"
    verbose_name = _("KPI dashboard")

    def ready(self):
        from civicbridge.core.registry import ApiPath, DemoLoader, api_paths, demo_loaders

        from .api import KpiView

        api_paths.register("kpis/", ApiPath("kpis/", KpiView.as_view(), "kpis-api"))
        demo_loaders.register("kpis", DemoLoader(name="kpis", module="civicbridge.kpis.demo", order=60))
