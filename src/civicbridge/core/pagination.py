"""Paging for the pages: Django's own paginator over a real queryset, counted exactly, or
"about N" for a search that matches too many to count (``core.search.count_matches``)."""

from collections.abc import Sequence

from django.conf import settings
from django.core.paginator import Page, Paginator

from .search import MatchCount


class CountedPaginator(Paginator):
    """A paginator told its count (a tally the database keeps, or a search's estimate)
    instead of counting.

    ``count_is_estimate`` says which: the pages then say "about N" and no last page number.
    """

    def __init__(self, object_list, per_page, *, count: int | None = None, estimate: bool = False, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_is_estimate = estimate
        if count is not None:
            self.count = count  # takes the place of the cached property's own count


class EstimatedPage(Page):
    """A page of a list whose length is estimated: whether a next page exists is read from
    the list itself (one row more than the page), not from the estimate."""

    def __init__(self, object_list, number, paginator, *, has_more: bool):
        super().__init__(object_list, number, paginator)
        self._has_more = has_more

    def has_next(self):
        return self._has_more

    def next_page_number(self):
        return self.number + 1


def _page_number(number) -> int:
    try:
        return max(int(number), 1)
    except (TypeError, ValueError):
        return 1


def page_of(object_list, number, *, per_page: int | None = None, count: int | MatchCount | None = None) -> Page:
    """The page ``number`` (a query-string value) of ``object_list``, counted by ``count`` when
    given (a tally kept by the database, or a search's ``MatchCount``), else by the database.

    An out-of-range or malformed number gives the nearest page (Django's ``get_page``): a
    bookmarked link to page 40 of a list that has shrunk still shows its last page.
    """
    per_page = per_page or settings.CIVICBRIDGE_PAGE_SIZE
    if isinstance(count, MatchCount):
        object_list = count.narrowed(object_list)
        if not count.exact:
            page = estimated_page(object_list, _page_number(number), per_page, count.value)
            if page is not None:
                return page
            count = None  # past the end of the matches: count them to find the last page
        else:
            count = count.value
    return CountedPaginator(object_list, per_page, count=count).get_page(number)


def estimated_page(object_list, number: int, per_page: int, estimate: int) -> Page | None:
    """Page ``number`` of a list of about ``estimate`` items; None past its last item."""
    start = (number - 1) * per_page
    rows = list(object_list[start : start + per_page + 1])
    if not rows and number > 1:
        return None
    if len(rows) <= per_page:
        # The last page: its rows and the pages before it are the exact number.
        return Page(rows, number, CountedPaginator(object_list, per_page, count=start + len(rows)))
    paginator = CountedPaginator(object_list, per_page, count=max(estimate, start + len(rows)), estimate=True)
    return EstimatedPage(rows[:per_page], number, paginator, has_more=len(rows) > per_page)


def keys_listed(text: str | None) -> list[int]:
    """The keys a database listed in order as one text, "12,7,30" (``string_agg``), or none."""
    return [int(key) for key in (text or "").split(",") if key]


class SlicedSequence(Sequence):
    """A list read by slices, as Django's and the API's paginators read it: a subclass gives
    ``__len__`` and ``_slice(index)`` (the rows of a slice, in steps of one); an index reads a
    slice of one row, and ``count()`` is the length."""

    def _slice(self, index: slice) -> list:
        raise NotImplementedError

    def __getitem__(self, index):
        if isinstance(index, slice):
            if index.step not in (None, 1):
                raise ValueError(f"{type(self).__name__} is read in steps of one")
            return self._slice(index)
        if index < 0:
            index += len(self)
        rows = self._slice(slice(index, index + 1)) if index >= 0 else []
        if not rows:
            raise IndexError(index)
        return rows[0]

    def count(self) -> int:
        return len(self)


class IdsFirst(SlicedSequence):
    """``queryset``'s rows a slice at a time: the slice's ids first, in the queryset's order,
    from its table alone (with the indexes its filters and order use), then those rows by id
    with what they join. Where finding a page's rows reads many (an order no index gives, or
    filters an index must test row by row), reading them with their joins joined every one
    of them first. Two queries a page. A sliceable sequence with ``len``, as Django's
    paginator takes."""

    def __init__(self, queryset):
        self._rows = queryset

    def __len__(self) -> int:
        return self._rows.count()

    def _slice(self, index: slice):
        ids = list(self._rows.values_list("pk", flat=True)[index])
        if not ids:
            return []
        by_id = {row.pk: row for row in self._rows.order_by().filter(pk__in=ids)}
        return [by_id[pk] for pk in ids if pk in by_id]  # not one deleted in between
