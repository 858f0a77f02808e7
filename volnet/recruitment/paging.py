from django.core.paginator import Paginator


def paginate(request, items, per_page):
    """A page of `items` from `?page=`; `page.elided` holds the page numbers to link (with gaps)."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    page.elided = list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page
