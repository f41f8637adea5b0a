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
        matches = search_backend.search(entry.model.objects.all(), query)
        results = list(matches[:SITE_SEARCH_LIMIT])
        if results:
            groups.append(
                {"label": entry.label, "results": results, "more_url": reverse(entry.url_name) + "?" + urlencode({"q": query})}
            )
    return groups


def home_figures() -> list[dict]:
    return [{"label": entry.label, "count": entry.model.objects.count(), "url": reverse(entry.url_name)} for entry in searchables]
