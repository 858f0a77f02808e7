"""志願服務紀錄冊列印: the query page, the PDF (下載) and the print view (列印).

Every view shows the session user's own book: there is no volunteer id in any URL. The filters
live in the query string (GET), so back, forward and bookmarks work; bad dates come back as
messages beside their fields, never as an error page.
"""

import base64
import io
import logging
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from volnet import paging
from volnet.documents import fonts, signing
from volnet.http import int_or_none
from volnet.recordbook import book as books
from volnet.recordbook import cache, queries
from volnet.recordbook.forms import FilterForm

logger = logging.getLogger(__name__)

PER_PAGE = 10
FILTER_KEYS = ("unit", "item", "start", "end")


def _form(request):
    user = request.user
    return FilterForm(request.GET, units=queries.unit_choices(user), items=queries.item_choices(user))


def _query_string(params, **changes):
    merged = {key: value for key, value in params.items() if value not in (None, "")}
    merged.update({key: value for key, value in changes.items() if value not in (None, "")})
    for key, value in changes.items():
        if value in (None, ""):
            merged.pop(key, None)
    return urlencode(merged)


@never_cache
@login_required
@require_GET
def query(request):
    user = request.user
    tab = queries.tab(request.GET.get("tab"))
    form = _form(request)
    typed = {key: request.GET.get(key, "") for key in FILTER_KEYS}
    kept = {key: typed[key] for key in ("unit", "start", "end")}  # tab links keep these
    tabs = [
        {"key": t.key, "label": t.label, "current": t is tab,
         "query": _query_string(kept, tab=None if t.key == queries.SERVICE else t.key)}
        for t in queries.TABS
    ]
    context = {"menu": "recordbook", "tabs": tabs, "tab": tab, "form": form, "section": None}
    if form.is_valid():
        filters = form.filters()
        if not tab.uses_item:
            filters = queries.Filters(unit=filters.unit, start=filters.start, end=filters.end)
        section, number, _pages = tab.section(user, filters, int_or_none(request.GET.get("page")) or 1, PER_PAGE)
        params = {"tab": None if tab.key == queries.SERVICE else tab.key,
                  **{key: typed[key] for key in FILTER_KEYS if key != "item" or tab.uses_item}}
        file_params = _query_string({key: typed[key] for key in FILTER_KEYS})
        # The section pages itself (one query for the rows of a page); the links are everyone's.
        page = paging.linked(Paginator(range(section.count), PER_PAGE).get_page(number), _query_string(params))
        context.update(
            section=section,
            filters_active=filters.active,
            page=page,
            pdf_url=reverse("recordbook:pdf") + (f"?{file_params}" if file_params else ""),
            print_url=reverse("recordbook:print") + (f"?{file_params}" if file_params else ""),
        )
    return render(request, "recordbook/query.html", context)


def _valid_filters(request):
    form = _form(request)
    return form.filters() if form.is_valid() else None


def _back_to_query(request):
    query_string = request.META.get("QUERY_STRING", "")
    return HttpResponseRedirect(reverse("recordbook:query") + (f"?{query_string}" if query_string else ""))


def _content_disposition(filename):
    """RFC 6266/5987: an ASCII fallback name and the Chinese name in UTF-8."""
    ascii_name = filename.replace("志願服務紀錄冊", "record-book")  # zh-only: the form's name in pdf_filename
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


@never_cache
@login_required
@require_GET
def download(request):
    filters = _valid_filters(request)
    if filters is None:
        return _back_to_query(request)
    try:
        data, filename = cache.book_pdf(request.user, filters, request=request)
    except (fonts.FontMissing, signing.SigningUnavailable):
        logger.exception("record-book font missing")
        messages.error(request, _("紀錄冊 PDF 暫時無法產生，請改用「列印」，或稍後再試。"))
        return _back_to_query(request)
    response = FileResponse(io.BytesIO(data), content_type="application/pdf")
    response["Content-Disposition"] = _content_disposition(filename)
    response["Content-Length"] = str(len(data))
    return response


@never_cache
@login_required
@require_GET
def print_view(request):
    filters = _valid_filters(request)
    if filters is None:
        return _back_to_query(request)
    book = books.assemble(request.user, filters)
    photo = f"data:image/jpeg;base64,{base64.b64encode(book.holder.photo).decode()}" if book.holder.photo else ""
    query_string = request.META.get("QUERY_STRING", "")
    return render(request, "recordbook/print.html", {
        "menu": "recordbook",
        "book": book,
        "photo_src": photo,
        "back_url": reverse("recordbook:query") + (f"?{query_string}" if query_string else ""),
    })
