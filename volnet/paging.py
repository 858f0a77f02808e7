"""Pages of a list, for every app's views; `templates/_pagination.html` shows them. And `delete_in_batches`, a
scheduled purge's way through a table of any size."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

PER_PAGE = 50  # a back-office list; pages that show fewer rows pass their own


class KnownCountPaginator(Paginator):
    """A paginator told its count (taken from totals already read) instead of running COUNT."""

    def __init__(self, object_list, per_page, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


def paginate(request, items, per_page=PER_PAGE, *, count=None, query=None):
    """A page of `items` from `?page=` (not a number → page 1; past the end → the last page).

    `count`: the number of items when the caller knows it already (no COUNT query). `query`: what the page
    links keep besides `page` (the request's query string less `page` when None).
    """
    paginator = Paginator(items, per_page) if count is None else KnownCountPaginator(items, per_page, count)
    page = paginator.get_page(request.GET.get("page"))
    if query is None:
        kept = request.GET.copy()
        kept.pop("page", None)
        query = kept.urlencode()
    return linked(page, query)


def linked(page, query=""):
    """What `_pagination.html` reads besides Django's page: `page.elided`, the page numbers to link (with
    gaps), and `page.query`, the query string every link keeps."""
    page.query = query
    page.elided = list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page


PURGE_BATCH = 5000


def delete_in_batches(rows, size=PURGE_BATCH):
    """Delete the rows of the queryset `rows`, `size` at a time, each batch by Django's delete (its cascades and
    SET_NULLs included) in a transaction of its own: a purge holds at most `size` keys in memory and never
    one long lock, and a purge stopped half-way leaves every row whole. Returns how many rows of `rows` went."""
    gone = 0
    while True:
        keys = list(rows.order_by().values_list("pk", flat=True)[:size])
        if keys:
            rows.model.objects.filter(pk__in=keys).delete()
            gone += len(keys)
        if len(keys) < size:
            return gone
