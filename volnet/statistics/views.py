"""The statistics of an authority's area (志工後台 › 統計): tables with charts, and the same tables as xlsx and ods.
Tenancy: `access.overseen_units` (an authority its area, the central authority every unit); the figures are
`statistics.pages` over the summary tables."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from volnet.http import client_ip
from volnet.lib import spreadsheets
from volnet.records import filejobs
from volnet.staffweb import authority_required
from volnet.statistics import pages, queries
from volnet.statistics.forms import FilterForm
from volnet.units import access


def _read(request):
    return read(request.user, request.GET)


def read(user, query):
    form = FilterForm(query or None, units=access.overseen_units(user))
    choices = form.choices() if form.is_bound else {"year": timezone.localdate().year}
    return form, pages.area(access.overseen_authorities(user), choices), choices


@authority_required
def index(request):
    form, area, choices = _read(request)
    for errors in form.errors.values() if form.is_bound else ():
        for error in errors:
            messages.error(request, error)
    today = timezone.localdate()
    query = {key: request.GET[key] for key in ("year", "category", "city", "unit")
             if request.GET.get(key) and key not in form.errors}
    return render(request, "statistics/index.html", {
        "menu": "statistics", "form": form, "choices": choices, "roc": choices["year"] - 1911,
        "tables": pages.tables(area, choices, today),
        "years": range(today.year, 2000, -1), "cities": queries.cities(area),
        "query": urlencode(query), "drill": urlencode({k: v for k, v in query.items() if k not in ("city", "unit")}),
    })


@authority_required
def download(request, file_format):
    """The tables as a file, made by the worker (records.filejobs); the page it leads to offers it."""
    if file_format not in spreadsheets.FORMATS:
        raise Http404(_("沒有這種檔案格式。"))
    query = {key: request.GET[key] for key in ("year", "category", "city", "unit") if request.GET.get(key)}
    _form, _area, choices = _read(request)
    token = filejobs.queue(
        user=request.user, maker="volnet.statistics.views.make", title=_("統計"), ip=client_ip(request),
        params={"query": query, "file_format": file_format},
        file_name=f"statistics-{choices['year'] - 1911}.{file_format}",
        content_type=spreadsheets.content_type(file_format))
    return redirect("backoffice:file_job", token=token)


def make(user, *, query, file_format, request=None, progress=None):
    """The statistics' tables as a rewound spreadsheet file, for the worker (records.filejobs' maker)."""
    _form, area, choices = read(user, query)
    tables = pages.tables(area, choices, timezone.localdate())
    sheets = [spreadsheets.Sheet(spreadsheets.safe_sheet_name(f"{number}-{table.title}"), table.rows,
                                 [spreadsheets.Column(str(heading), 24 if i == 0 else 14)
                                  for i, heading in enumerate(table.headings)])
              for number, table in enumerate(tables, 1)]
    return spreadsheets.write_book(sheets, file_format)
