"""榮譽卡優惠場所: the authority's list (add, edit, end, Excel import) and the public search anyone uses on a phone."""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from volnet.honorcard import venues
from volnet.honorcard.forms import EndForm, UploadForm, VenueForm, max_upload_bytes
from volnet.honorcard.models import CITIES, Venue
from volnet.http import int_or_none
from volnet.lib import spreadsheets
from volnet.paging import paginate
from volnet.records import imports, staging
from volnet.staffweb import authority_required
from volnet.units import access
from volnet.uploads import accepts_uploads

PUBLIC_PER_PAGE = 10
STATES = [("current", _("優惠中")), ("ended", _("已停止")), ("all", _("全部"))]
COLUMN_TITLES = [column.title for column in venues.COLUMNS]


def _authority(request):
    """The authority the clerk keeps venues for (`?authority=` or a posted one when there are several)."""
    kept = access.venue_authorities(request.user).order_by("code")
    if not kept.exists():
        raise PermissionDenied(gettext("榮譽卡優惠場所由縣市主管機關維護。"))
    asked = int_or_none(request.POST.get("authority") or request.GET.get("authority"))
    return kept.filter(pk=asked).first() if asked else kept.first()


def _venue(request, pk):
    venue = venues.kept_venues(request.user).select_related("authority").filter(pk=pk).first()
    if venue is None:
        raise Http404(gettext("找不到這個場所，或您沒有權限。"))
    return venue


@authority_required
@require_GET
def venue_list(request):
    """The authority's 榮譽卡優惠場所 with a search box, current or ended."""
    authority = _authority(request)
    text = (request.GET.get("q") or "").strip()[:40]
    state = request.GET.get("state") if request.GET.get("state") in dict(STATES) else "current"
    found = venues.kept_venues(request.user).select_related("authority")
    if state == "current":
        found = found.filter(ended_at__isnull=True)
    elif state == "ended":
        found = found.filter(ended_at__isnull=False)
    if text:
        found = found.filter(Q(name__icontains=text) | Q(address__icontains=text) | Q(district__icontains=text))
    return render(request, "honorcard/venues/list.html", {
        "menu": "venues", "authority": authority, "text": text, "state": state, "states": STATES,
        "today": timezone.localdate(), "page": paginate(request, found.order_by("city", "district", "name", "pk")),
    })


@authority_required
@require_http_methods(["GET", "POST"])
def venue_add(request):
    authority = _authority(request)
    form = VenueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            venue = venues.create(actor=request.user, authority=authority, data=form.cleaned_data, request=request)
        except venues.VenueError as refusal:
            form.add_domain_error(refusal)
        else:
            messages.success(request, gettext("已新增優惠場所「%(name)s」。") % {"name": venue.name})
            return redirect("honorcard:venues")
    return render(request, "honorcard/venues/form.html", {"menu": "venues", "authority": authority, "form": form},
                  status=400 if form.errors else 200)


@authority_required
@require_http_methods(["GET", "POST"])
def venue_edit(request, pk):
    """One venue: change its entry, or 停止優惠 with a reason."""
    venue = _venue(request, pk)
    ending = request.POST.get("action") == "end"
    form = VenueForm(request.POST) if request.method == "POST" and not ending else VenueForm.of(venue)
    end_form = EndForm(request.POST if ending else None)
    try:
        if ending and end_form.is_valid():
            venues.end(actor=request.user, venue=venue, reason=end_form.cleaned_data["reason"], request=request)
            messages.success(request, gettext("「%(name)s」已停止優惠，不再出現在公開查詢。") % {"name": venue.name})
            return redirect("honorcard:venues")
        if request.method == "POST" and not ending and form.is_valid():
            venues.update(actor=request.user, venue=venue, data=form.cleaned_data, request=request)
            messages.success(request, gettext("已更新「%(name)s」。") % {"name": form.cleaned_data["name"]})
            return redirect("honorcard:venues")
    except venues.VenueError as refusal:
        (end_form if ending else form).add_domain_error(refusal)
    return render(request, "honorcard/venues/form.html", {
        "menu": "venues", "authority": venue.authority, "venue": venue, "form": form, "end_form": end_form,
    }, status=400 if form.errors or end_form.errors else 200)


# --- the Excel import --------------------------------------------------------------------------------


@authority_required
@require_GET
def venue_template(request, file_format):
    if file_format not in spreadsheets.FORMATS:
        raise Http404
    response = HttpResponse(venues.build_template(file_format), content_type=spreadsheets.content_type(file_format))
    response["Content-Disposition"] = content_disposition_header(
        True, f"{gettext('榮譽卡優惠場所匯入範本')}.{file_format}")
    return response


@accepts_uploads(max_upload_bytes)
@authority_required
@require_http_methods(["GET", "POST"])
def venue_import(request):
    """The upload: checked at once, every row shown on the preview; nothing written yet."""
    authority = _authority(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            check = venues.check_file(form.data_bytes, authority)
        except imports.ImportFileError as error:
            form.add_error("file", error.message)
        else:
            token = staging.stage(user=request.user, authority=authority, kind=venues.KIND, file_name=form.file_name,
                                  data=form.data_bytes, check=check, replaces=request.POST.get("replaces"))
            return redirect("honorcard:venue_preview", token=token)
    return render(request, "honorcard/venues/import.html", {
        "menu": "venues", "authority": authority, "form": form, "max_mb": max_upload_bytes() // (1024 * 1024),
    }, status=400 if form.errors else 200)


def _staged(request, token):
    """The clerk's stored upload of venues and its authority; 404 for anyone else's, None once expired."""
    staged = staging.load_for_page(request, token)
    if staged is None:
        return None, None
    authority = access.venue_authorities(request.user).filter(pk=staged.meta.get("authority")).first()
    if authority is None or staged.kind != venues.KIND:
        raise Http404(gettext("找不到這次上傳，可能已匯入或已取消。"))
    return staged, authority


@authority_required
@require_GET
def venue_preview(request, token):
    staged, authority = _staged(request, token)
    if staged is None:
        return redirect("honorcard:venue_import")
    lines = [line for line, status, *_rest in staged.meta["rows"] if status == imports.ERROR]
    return render(request, "honorcard/venues/preview.html", {
        **staging.preview_context(request, staged, COLUMN_TITLES),
        "menu": "venues", "authority": authority, "bad_lines": "、".join(str(line) for line in lines[:50]),
        "more_bad": len(lines) > 50, "form": UploadForm(), "max_mb": max_upload_bytes() // (1024 * 1024),
    })


@authority_required
@require_POST
def venue_confirm(request, token):
    """Import the previewed file, checked again: every row or none."""
    staged, authority = _staged(request, token)
    if staged is None:
        return redirect("honorcard:venue_import")
    try:
        outcome = staging.commit_with(staged, lambda data: venues.import_file(
            data, actor=request.user, authority=authority, file_name=staged.meta["file_name"], request=request),
            mask_id=False)
    except imports.ImportFileError as error:
        messages.error(request, gettext("沒有匯入任何資料：%(problem)s") % {"problem": error.message})
        return redirect("honorcard:venue_import")
    if not outcome.created:
        messages.error(request, gettext("資料在預覽後有變動，有些列現在不能匯入，沒有匯入任何資料。"
                                        "請看下表修正後重新上傳。"))
        return redirect("honorcard:venue_preview", token=token)
    staging.remove(token)
    messages.success(request, ngettext("已匯入 %(count)s 個優惠場所（檔案：%(file)s）。",
                                       "已匯入 %(count)s 個優惠場所（檔案：%(file)s）。", outcome.created)
                     % {"count": outcome.created, "file": staged.meta["file_name"]})
    return redirect("honorcard:venues")


@authority_required
@require_POST
def venue_cancel(request, token):
    if staging.discard(token, request.user):
        messages.success(request, gettext("已取消這次匯入，沒有寫入任何資料。"))
    return redirect("honorcard:venue_import")


# --- public ------------------------------------------------------------------------------------------


@require_GET
def venue_search(request):
    """榮譽卡優惠場所查詢: no sign-in; by city, category and words; only the venues valid today."""
    filters = venues.read_search(request.GET)
    found = venues.search(filters).order_by("city", "district", "name", "pk")
    return render(request, "honorcard/venues/search.html", {
        "filters": filters, "words": " ".join(filters.words), "cities": CITIES,
        "categories": Venue.Category.choices, "page": paginate(request, found, PUBLIC_PER_PAGE),
        "today": timezone.localdate(),
    })


CODE_IN_LINK = re.compile(r"(?:/c/)?([A-Za-z0-9_-]{16,64})/?$")


@require_GET
def venue_check(request):
    """How a venue checks a card: scan the volunteer's QR code (the venue check page opens), or type the
    link under it here."""
    typed = (request.GET.get("code") or "").strip()[:300]
    match = CODE_IN_LINK.search(typed)
    if match:
        return redirect(reverse("honorcard:check", args=[match.group(1)]))
    problem = ""
    if typed:
        problem = gettext("看不懂這個代碼。請掃描持卡人手機上的 QR code，或輸入 QR code 下方連結的完整網址。")
    return render(request, "honorcard/venues/check.html", {"typed": typed, "problem": problem},
                  status=400 if typed else 200)
