from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "civicbridge.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        # The OpenAPI document's field extensions register themselves when defined.
        from . import schema  # noqa: F401
