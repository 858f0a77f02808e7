"""每月時數登錄: one row per active member of the unit, hours and one item/content per row, saved all
or nothing. A refused save shows every problem next to its cell and keeps everything typed."""

import calendar
import datetime as dt
import re
from decimal import Decimal

from django.contrib import messages
from django.db.models import Q, Sum
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
from volnet.records.models import ServiceRecord
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


@staff_required
@require_http_methods(["GET", "POST"])
def service_grid(request):
    unit = current_unit(request)
    today = timezone.localdate()
    try:
        first = parse_month(request.GET.get("month"), today)
        month_error = ""
    except rocdate.RocDateError as error:
        first, month_error = today.replace(day=1), str(error)
    default_start, default_end = _period(first, today)
    members = access.unit_members(request.user, unit).order_by("volunteer_number", "volunteer__name", "volunteer__pk")
    page = paginate(request, members, ROWS_PER_PAGE)
    memberships = list(page.object_list)
    form = {
        "start": rocdate.format(default_start),
        "end": rocdate.format(default_end),
        "item": SERVICE_ITEMS[0],
        "content": "",
    }
    top_errors = {}
    rows = [
        {"membership": m, "volunteer": m.volunteer, "hours": "", "item": "", "content": "", "errors": {},
         "problem": ""}
        for m in memberships
    ]

    if request.method == "POST":
        form = {key: (request.POST.get(key) or "").strip() for key in ("start", "end", "item", "content")}
        start = end = None
        try:
            start = rocdate.parse(form["start"])
        except rocdate.RocDateError as error:
            top_errors["start"] = str(error)
        try:
            end = rocdate.parse(form["end"]) if form["end"] else start
        except rocdate.RocDateError as error:
            top_errors["end"] = str(error)
        if start and end:
            top_errors.update({
                {"start_date": "start", "end_date": "end"}[key]: message
                for key, message in services.date_problems(start, end, today).items()
            })
        entries = []
        for row in rows:
            key = row["volunteer"].pk
            row["hours"] = (request.POST.get(f"h-{key}") or "").strip()
            row["item"] = (request.POST.get(f"item-{key}") or "").strip()
            row["content"] = (request.POST.get(f"content-{key}") or "").strip()
            if not row["hours"]:
                if row["item"] or row["content"]:
                    row["errors"]["hours"] = _("請輸入時數，或清空這一列的項目與內容。")
                continue
            try:
                hours = hours_lib.parse_hours(row["hours"])
            except ValueError as error:
                row["errors"]["hours"] = str(error)
                continue
            item = row["item"] or form["item"]
            content = row["content"] or form["content"]
            if not item:
                row["errors"]["item"] = _("請輸入服務項目（或在上方填寫預設項目）。")
            if len(item) > 40:
                row["errors"]["item"] = _("服務項目最多 40 字。")
            if not content:
                row["errors"]["content"] = _("請輸入服務內容（或在上方填寫預設內容）。")
            if len(content) > 200:
                row["errors"]["content"] = _("服務內容最多 200 字。")
            if not row["errors"]:
                entries.append({"key": key, "volunteer": row["volunteer"], "service_item": item, "content": content,
                                "start_date": start, "end_date": end, "hours": hours})
        has_cell_errors = any(row["errors"] for row in rows)
        if not entries and not has_cell_errors and not top_errors:
            top_errors["rows"] = _("請至少輸入一位志工的時數。")
        if not top_errors and not has_cell_errors:
            try:
                created = services.add_services(actor=request.user, unit=unit, rows=entries, request=request)
            except services.RecordError as error:
                by_key = {row["volunteer"].pk: row for row in rows}
                for key, problems in error.errors.items():
                    row = by_key.get(key)
                    if row is None:
                        top_errors["rows"] = error.message
                        continue
                    for field, message in problems.items():
                        cell = {"hours": "hours", "service_item": "item", "content": "content"}.get(field)
                        if cell:
                            row["errors"][cell] = message
                        else:
                            row["problem"] = message
                if not any(row["errors"] or row["problem"] for row in rows):
                    top_errors["rows"] = error.message
            else:
                total = sum((record.hours for record in created), Decimal(0))
                messages.success(request, ngettext(
                    "已登錄 %(count)s 位志工、共 %(hours)s 小時（%(dates)s）。",
                    "已登錄 %(count)s 位志工、共 %(hours)s 小時（%(dates)s）。",
                    len(created),
                ) % {"count": len(created), "hours": hours_lib.format_hours(total),
                     "dates": rocdate.format_range(start, end)})
                return redirect(
                    reverse("backoffice:service_grid") + f"?unit={unit.pk}&month={month_text(first)}&page={page.number}"
                )
        problems = sum(1 for row in rows if row["errors"] or row["problem"])
        if problems:
            top_errors.setdefault("rows", ngettext("有 %(count)s 列需要修正，尚未儲存任何資料。",
                                                  "有 %(count)s 列需要修正，尚未儲存任何資料。", problems)
                                  % {"count": problems})

    period_start, period_end = default_start, default_end
    entered = dict(
        access.managed_records(request.user, ServiceRecord)
        .filter(unit=unit, volunteer__in=[r["volunteer"] for r in rows])
        .exclude(status=ServiceRecord.Status.DECLINED)
        .filter(Q(start_date__lte=period_end) & Q(end_date__gte=period_start))
        .values_list("volunteer")
        .annotate(total=Sum("hours"))
        .values_list("volunteer", "total")
    )
    for row in rows:
        row["entered"] = entered.get(row["volunteer"].pk)
    return render(request, "backoffice/service_grid.html", {
        "menu": "service_grid",
        "unit": unit,
        "rows": rows,
        "form": form,
        "top_errors": top_errors,
        "month": month_text(first),
        "month_error": month_error,
        "previous_month": month_text(_shift(first, -1)),
        "next_month": month_text(_shift(first, 1)) if _shift(first, 1) <= today else "",
        "period": (period_start, period_end),
        "service_items": SERVICE_ITEMS,
        "page": page,
    })
