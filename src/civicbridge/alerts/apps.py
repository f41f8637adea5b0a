from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "civicbridge.alerts"
    label = "alerts"
    verbose_name = _("Alerts")

    def ready(self):
        from civicbridge.core.registry import personal_data

        from . import selectors as personal_selectors

        personal_data.register("alerts", personal_selectors.personal_data)
        from civicbridge.core.registry import alertables, periodic_job_sources

        from . import periodic, tasks

        alertables.listen(tasks.Listener())
        periodic_job_sources.register("alerts", periodic.configured_alert_jobs)
        self.register_api()
        self.register_profile()

    def register_profile(self):
        from civicbridge.core.registry import HomeBlock, profile_blocks

        from . import selectors

        profile_blocks.register(
            "alerts", HomeBlock(title=_("Your alerts"), template="alerts/_profile_alerts.html",
                                context=selectors.profile_alerts, order=10),
        )

    def register_api(self):
        from civicbridge.core.registry import ApiCollection, api_collections

        from .api import SubscriptionViewSet

        api_collections.register("subscriptions", ApiCollection("subscriptions", SubscriptionViewSet, "subscription"))
