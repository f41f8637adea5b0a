from django.core.cache import cache
from django.urls import reverse
from django.utils.http import urlencode

from . import search as search_backend
from .registry import searchables

SITE_SEARCH_LIMIT = 5


def site_search(query: str) -> list[dict]:
    """Top matches of every searchable model, for the site-wide search page."""
    if not search_backend.query_terms(query):
        return []
    groups = []
    for entry in searchables:
        matches = search_backend.search(entry.visible(), query)
        results = list(matches[:SITE_SEARCH_LIMIT])
        if results:
            groups.append(
                {"label": entry.label, "results": results, "more_url": reverse(entry.url_name) + "?" + urlencode({"q": query})}
            )
    return groups


HOME_FIGURES_SECONDS = 300


def home_figures() -> list[dict]:
    """How many of each searchable thing the platform holds; counted at most every 5 minutes."""
    counts = cache.get_or_set(
        "civicbridge:home-figures",
        lambda: {key: entry.visible().count() for key, entry in searchables.entries.items()},
        HOME_FIGURES_SECONDS,
    )
    return [
        {"label": entry.label, "count": counts.get(key, 0), "url": reverse(entry.url_name)}
        for key, entry in searchables.entries.items()
    ]
