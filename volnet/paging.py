"""Pages of a list, for every app's views."""

from django.core.paginator import Paginator

PER_PAGE = 50  # a back-office list; pages that show fewer rows pass their own


def paginate(request, items, per_page=PER_PAGE):
    """A page of `items` from `?page=` (not a number → page 1; past the end → the last page).

    `page.elided` holds the page numbers to link (with gaps); `page.query` the rest of the query string,
    for links that keep the filters.
    """
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    page.query = query.urlencode()
    page.elided = list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page
