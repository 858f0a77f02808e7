"""每月時數登錄: one row per active member of the unit, hours and one item/content per row, saved all
or nothing. A refused save shows every problem next to its cell and keeps everything typed."""

import calendar
import datetime as dt
import re
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from volnet.lib import hours as hours_lib
from volnet.lib import rocdate
from volnet.lib.text import fold_width
from volnet.paging import paginate
from volnet.records import services
from volnet.records.choices import SERVICE_ITEMS
from volnet.records.forms import ServiceGridForm
from volnet.staffweb import current_unit, staff_required
from volnet.units import access

# Rows per page: three inputs a row keep a page well under Django's 1,000-field limit for a POST,
# and a page a person can check before saving. Each page saves on its own, all or nothing.
ROWS_PER_PAGE = 100

# zh-only: parses what people type, e.g. 115年3月
_MONTH = re.compile(r"^(\d{2,3})\s*[/\-.年]?\s*(\d{1,2})\s*月?$")


def parse_month(text, today):
    """`115/03`, `11503` or `115年3月` → the first day of that month; empty → this month."""
    cleaned = fold_width(text).strip()
    if not cleaned:
        return today.replace(day=1)
    match = _MONTH.match(cleaned)
    if match is None:
        raise rocdate.RocDateError(_("月份的格式如 115/03。"))
    year, month = int(match.group(1)) + rocdate.ROC_OFFSET, int(match.group(2))
    if not 1 <= month <= 12:
        raise rocdate.RocDateError(_("月份必須在 1 到 12 之間。"))
    return dt.date(year, month, 1)


def month_text(first):
    return f"{first.year - rocdate.ROC_OFFSET:03d}/{first.month:02d}"


def _shift(first, months):
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _period(first, today):
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return first, min(last, today) if first <= today else last


def _month(request, today):
    """(first day of the month asked for, the message when it could not be read)."""
    try:
        return parse_month(request.GET.get("month"), today), ""
    except rocdate.RocDateError as error:
        return today.replace(day=1), str(error)


def _saved_message(created):
    start, end = created[0].start_date, created[0].end_date  # one period for the whole grid
    total = sum((record.hours for record in created), Decimal(0))
    return ngettext(
        "已登錄 %(count)s 位志工、共 %(hours)s 小時（%(dates)s）。",
        "已登錄 %(count)s 位志工、共 %(hours)s 小時（%(dates)s）。",
        len(created),
    ) % {"count": len(created), "hours": hours_lib.format_hours(total), "dates": rocdate.format_range(start, end)}


@staff_required
@require_http_methods(["GET", "POST"])
def service_grid(request):
    unit = current_unit(request)
    today = timezone.localdate()
    first, month_error = _month(request, today)
    period = _period(first, today)
    members = access.unit_members(request.user, unit).order_by("volunteer_number", "volunteer__name", "volunteer__pk")
    page = paginate(request, members, ROWS_PER_PAGE, query=urlencode({"unit": unit.pk, "month": month_text(first)}))
    grid = ServiceGridForm(request.POST if request.method == "POST" else None, memberships=list(page.object_list),
                           initial={"start": rocdate.format(period[0]), "end": rocdate.format(period[1]),
                                    "item": SERVICE_ITEMS[0], "content": ""})
    if grid.is_valid():
        try:
            created = services.add_services(actor=request.user, unit=unit, rows=grid.entries(), request=request)
        except services.RecordError as error:
            grid.add_record_error(error)
        else:
            messages.success(request, _saved_message(created))
            return redirect(
                reverse("backoffice:service_grid") + f"?unit={unit.pk}&month={month_text(first)}&page={page.number}"
            )
    entered = services.hours_entered(request.user, unit, [row.volunteer for row in grid.rows], *period)
    return render(request, "backoffice/service_grid.html", {
        "menu": "service_grid",
        "unit": unit,
        "grid": grid,
        "rows": [{"form": row, "membership": row.membership, "volunteer": row.volunteer, "errors": row.cells,
                  "problem": row.problem, "entered": entered.get(row.volunteer.pk)} for row in grid.rows],
        "top_errors": grid.top_errors,
        "month": month_text(first),
        "month_error": month_error,
        "previous_month": month_text(_shift(first, -1)),
        "next_month": month_text(_shift(first, 1)) if _shift(first, 1) <= today else "",
        "period": period,
        "service_items": SERVICE_ITEMS,
        "page": page,
    })
