from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """A paginator that counts at most CIVICBRIDGE_COUNT_LIMIT rows.

    Counting every match of a common word among hundreds of thousands of rows costs
    more than the page itself; past the limit the page says "more than N" and the
    pages beyond it are not offered (narrow the search instead).
    """

    def __init__(self, *args, known_count: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.known_count = known_count

    @cached_property
    def count_limit(self) -> int:
        if self.known_count is not None:
            return max(self.known_count, settings.CIVICBRIDGE_COUNT_LIMIT)
        # A search's matches (core.search.NewestMatches, funding's DeadlineOrder) name their own.
        return getattr(self.object_list, "count_limit", None) or settings.CIVICBRIDGE_COUNT_LIMIT

    @cached_property
    def count(self) -> int:
        if self.known_count is not None:
            return self.known_count
        if hasattr(self.object_list, "capped_count"):
            # It reads its page by how many there are (core.search.NewestMatches).
            return self.object_list.capped_count(self.count_limit)
        if hasattr(self.object_list, "query"):
            # Ordering does not change a count, nor do computed columns (values): dropping
            # them spares the database a sort and a subquery per row.
            return self.object_list.order_by().values("pk")[: self.count_limit + 1].count()
        return len(self.object_list)

    @property
    def count_is_exact(self) -> bool:
        return self.count <= self.count_limit

    @property
    def shown_count(self) -> int:
        return min(self.count, self.count_limit)


class PartReader:
    """A queryset's rows in an order the database reads best in parts; paginators take it
    like a queryset: counting counts ``base`` as a whole, a slice calls ``read``.

    ``count_limit``: a count limit of its own for ``CappedPaginator`` (None: the general one).
    """

    ordered = True
    count_limit: int | None = None

    def __init__(self, base):
        self.base = base

    @property
    def query(self):
        return self.base.query

    def order_by(self, *fields):
        return self.base.order_by(*fields)

    def count(self) -> int:
        return self.base.count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self[0:None])

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index:index + 1][0]
        return self.read(index.start or 0, index.stop)

    def read(self, start: int, stop: int | None) -> list:
        raise NotImplementedError
