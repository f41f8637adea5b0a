from django.conf import settings
from django.core.checks import Warning, register


@register()
def front_end_libraries_installed(app_configs, **kwargs):
    htmx = settings.NODE_MODULES / "htmx.org" / "dist" / "htmx.min.js"
    if htmx.exists():
        return []
    return [
        Warning(
            "Front-end libraries are missing.",
            hint="Run 'npm ci' in the repository (make install does it).",
            id="civicbridge.W001",
        )
    ]
