"""Paging for the pages: Django's own paginator over a real queryset, counted exactly."""

from django.conf import settings
from django.core.paginator import Page, Paginator


def page_of(object_list, number, *, per_page: int | None = None) -> Page:
    """The page ``number`` (a query-string value) of ``object_list``, counted exactly.

    An out-of-range or malformed number gives the nearest page (Django's ``get_page``): a
    bookmarked link to page 40 of a list that has shrunk still shows its last page.
    """
    return Paginator(object_list, per_page or settings.CIVICBRIDGE_PAGE_SIZE).get_page(number)
