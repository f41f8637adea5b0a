from django.conf import settings
from django.utils.translation import get_language_info

from . import deployment
from .navigation import next_here


def platform(request):
    current = deployment.current()
    return {
        # The authority's name, also as ``site_name`` for the templates of e-mails and pages
        # that predate the deployment (Django's own auth views set ``site_name`` to the host).
        "deployment": current,
        "site_name": current.name,
        "demo_mode": settings.DEMO_MODE,
        "language_links": language_links(request.get_full_path()),
        "next_here": next_here(request),
    }


def language_links(path: str) -> list[dict]:
    """The same page in each platform language (plain links: no form, no cookie, cacheable)."""
    codes = [code for code, _ in settings.LANGUAGES]
    rest = path
    for code in codes:
        if path == f"/{code}" or path.startswith(f"/{code}/"):
            rest = path[len(code) + 1 :] or "/"
            break
    if rest.startswith("/api/") or rest in ("/healthz", "/readyz"):
        rest = "/"
    return [
        {"code": code, "name": get_language_info(code)["name_local"], "url": f"/{code}{rest}"} for code in codes
    ]
