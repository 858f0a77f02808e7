"""Excel 匯入匯出: templates, upload → preview (every row, its problems) → confirm (all or nothing), export.

The uploaded file is kept, under a random token, outside MEDIA_ROOT (never served), beside a JSON
sidecar holding the preview. Confirming re-reads that same stored file (its SHA-256 is checked) and
checks it again inside the import's transaction, so what is written is what was previewed, against
the database as it is now. A token belongs to one staff member and one unit and expires.
"""

import datetime as dt
import json
import os
import re
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from volnet.audit import log as audit
from volnet.audit.models import AuditEntry
from volnet.forms import RocDateField, RocDateInput
from volnet.lib import masking, rocdate
from volnet.paging import paginate
from volnet.records import exports, imports
from volnet.staffweb import current_unit, remember_unit, staff_required
from volnet.units import access
from volnet.uploads import accepts_uploads

MAX_UPLOAD_BYTES = getattr(settings, "VOLNET_IMPORT_MAX_BYTES", settings.UPLOAD_MAX_BYTES)
IMPORT_TTL_SECONDS = getattr(settings, "VOLNET_IMPORT_TTL", 30 * 60)
PREVIEW_PER_PAGE = 100
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{22,64}$")
KIND_CHOICES = [(imports.SERVICE, gettext_lazy("服務時數")), (imports.TRAINING, gettext_lazy("教育訓練"))]
KIND_NAMES = dict(KIND_CHOICES)  # as imports.KIND_LABELS, in the reader's language
TEMPLATE_FILE_NAMES = {
    imports.SERVICE: gettext_lazy("服務時數匯入範本.xlsx"),
    imports.TRAINING: gettext_lazy("教育訓練匯入範本.xlsx"),
}


def import_dir():
    folder = Path(getattr(settings, "VOLNET_IMPORT_DIR", settings.VAR_DIR / "imports"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# ---------------------------------------------------------------------------------------------------
# Forms


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("匯入類別"), choices=KIND_CHOICES, initial=imports.SERVICE,
                             widget=forms.RadioSelect)
    file = forms.FileField(
        label=gettext_lazy("Excel 檔案（.xlsx）"),
        widget=forms.ClearableFileInput(attrs={
            "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }),
        error_messages={"required": gettext_lazy("請選擇要上傳的 Excel 檔案。"),
                        "empty": gettext_lazy("檔案是空的（0 位元組）。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("請使用下載的範本填寫。檔案大小上限 %(mb)s MB。") % {
            "mb": MAX_UPLOAD_BYTES // (1024 * 1024)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_too_big_message(upload.size))
        return upload

    def clean(self):
        cleaned = super().clean()
        upload, kind = cleaned.get("file"), cleaned.get("kind")
        if upload is None or kind is None:
            return cleaned
        data = upload.read()
        try:
            self.sheet = imports.read_file(data, kind)
        except imports.ImportFileError as error:
            self.add_error("file", error.message)
            return cleaned
        self.data_bytes = data
        self.file_name = Path(upload.name or "").name[:200] or _("未命名.xlsx")
        return cleaned


def _too_big_message(size):
    return _("檔案大小 %(size).1f MB，超過上限 %(limit)s MB。請分成幾個較小的檔案上傳。") % {
        "size": size / (1024 * 1024), "limit": MAX_UPLOAD_BYTES // (1024 * 1024)}


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("匯出資料"), choices=KIND_CHOICES, initial=imports.SERVICE,
                             widget=forms.RadioSelect)
    format = forms.ChoiceField(label=gettext_lazy("檔案格式"),
                               choices=[("xlsx", gettext_lazy("Excel（.xlsx）")), ("csv", gettext_lazy("CSV（UTF-8）"))],
                               initial="xlsx", widget=forms.RadioSelect)
    # The export's range: each box shows its own example and keeps the page's full width (no class).
    start = RocDateField(label=gettext_lazy("起日（民國，可空白）"), required=False, max_length=20,
                         widget=RocDateInput(attrs={"placeholder": gettext_lazy("例如 114/01/01"),
                                                    "inputmode": "numeric", "class": None}))
    end = RocDateField(label=gettext_lazy("迄日（民國，可空白）"), required=False, max_length=20,
                       widget=RocDateInput(attrs={"placeholder": gettext_lazy("例如 114/12/31"),
                                                  "inputmode": "numeric", "class": None}))
    full_id = forms.BooleanField(
        label=gettext_lazy("匯出完整身分證號碼"), required=False,
        help_text=gettext_lazy("預設只顯示前 6 碼（後 4 碼遮蔽）。勾選後匯出完整號碼，並記錄在稽核紀錄。"),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("迄日早於起日，請確認。"))
        return cleaned


# ---------------------------------------------------------------------------------------------------
# The unit the page works on


def _managed(request):
    return access.managed_units(request.user).order_by("code", "name")


def _unit(request, asked=None):
    """The unit of a stored upload (404 if the user no longer manages it), else the page's current unit."""
    if asked is None:
        return current_unit(request)
    unit = _managed(request).filter(pk=asked).first()
    if unit is None:
        raise Http404(_("沒有這個單位，或您沒有管理它的權限。"))
    remember_unit(request, unit)
    return unit


# ---------------------------------------------------------------------------------------------------
# Pages


@staff_required
@require_GET
def excel_home(request):
    return _render_home(request, current_unit(request))


def _render_home(request, unit, upload_form=None, export_form=None, status=200):
    recent = (
        AuditEntry.objects.filter(action="records.import.committed", unit=unit)
        .select_related("actor").order_by("-at")[:10]
    )
    context = {
        "menu": "excel",
        "unit": unit,
        "upload_form": upload_form or UploadForm(),
        "export_form": export_form or ExportForm(),
        "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
        "recent": [
            {
                "at": entry.at,
                "actor": entry.actor.name if entry.actor else "",
                "kind": KIND_NAMES.get(entry.changes.get("kind"), ""),
                "count": entry.changes.get("count", 0),
                "file_name": entry.changes.get("file_name", ""),
                "source": _("指令") if entry.changes.get("source") == "command" else _("網頁"),
            }
            for entry in recent
        ],
    }
    return render(request, "backoffice/excel/home.html", context, status=status)


@staff_required
@require_GET
def excel_template(request, kind):
    if kind not in TEMPLATE_FILE_NAMES:
        raise Http404
    response = HttpResponse(exports.build_template(kind), content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, str(TEMPLATE_FILE_NAMES[kind]))
    return response


@accepts_uploads(MAX_UPLOAD_BYTES)
@staff_required
@require_POST
def excel_upload(request):
    unit = current_unit(request)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_home(request, unit, upload_form=form)
    check = imports.validate(form.sheet, unit)
    _discard(request, request.POST.get("replaces"))
    token = _store(request, unit, form.cleaned_data["kind"], form.file_name, form.data_bytes, check)
    return redirect("backoffice:excel_preview", token=token)


@staff_required
@require_GET
def excel_preview(request, token):
    meta = _load(request, token)
    if meta is None:
        return _expired(request)
    unit = _unit(request, meta["unit"])
    rows = meta["rows"]
    problems = [row for row in rows if row[1] != imports.OK]
    show = request.GET.get("show") or ("problems" if problems else "all")
    listed = problems if show == "problems" else rows
    page = paginate(request, listed, PREVIEW_PER_PAGE)
    page.query = f"show={show}"  # the links name the list shown, also when it was the default
    columns = [column.title for column in imports.COLUMNS[meta["kind"]]]
    listed_rows = [
        (line, status, list(zip(columns, cells, strict=False)), errors, warnings)
        for line, status, cells, errors, warnings in page.object_list
    ]
    upload_form = UploadForm(initial={"kind": meta["kind"]})
    context = {
        "menu": "excel",
        "unit": unit,
        "meta": meta,
        "token": token,
        "kind_label": KIND_NAMES[meta["kind"]],
        "columns": columns,
        "page": page,
        "listed_rows": listed_rows,
        "show": show,
        "total": len(rows),
        "problem_count": len(problems),
        "upload_form": upload_form,
        "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
        "expires_at": dt.datetime.fromtimestamp(meta["created"] + IMPORT_TTL_SECONDS, tz=dt.UTC),
    }
    return render(request, "backoffice/excel/preview.html", context)


@staff_required
@require_POST
def excel_confirm(request, token):
    meta = _load(request, token)
    if meta is None:
        return _expired(request)
    unit = _unit(request, meta["unit"])
    paths = _paths(token)
    try:
        lock = os.open(paths["lock"], os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        messages.warning(request, _("這個檔案正在匯入中，請稍候再查看結果。"))
        return redirect(f"{reverse('backoffice:excel')}?unit={unit.pk}")
    os.close(lock)
    try:
        data = paths["file"].read_bytes()
        if imports.file_sha256(data) != meta["sha256"]:
            raise imports.ImportFileError(_("暫存的檔案已被更動，請重新上傳。"), code="tampered")
        outcome = imports.import_file(
            data, unit=unit, registrant=request.user, kind=meta["kind"], file_name=meta["file_name"],
            source_label="web", request=request,
        )
    except imports.ImportFileError as error:
        _remove(token)
        messages.error(request, _("沒有匯入任何資料：%(problem)s") % {"problem": error.message})
        return redirect(f"{reverse('backoffice:excel')}?unit={unit.pk}")
    finally:
        paths["lock"].unlink(missing_ok=True)
    if not outcome.created:
        # The database changed since the preview (e.g. someone entered the same hours): show it again.
        _write_meta(token, {**meta, **_summary(outcome.check)})
        messages.error(request, ngettext(
            "資料在預覽後有變動，有 %(count)s 列現在不能匯入，沒有匯入任何資料。請看下表修正後重新上傳。",
            "資料在預覽後有變動，有 %(count)s 列現在不能匯入，沒有匯入任何資料。請看下表修正後重新上傳。",
            outcome.check.error_count,
        ) % {"count": f"{outcome.check.error_count:,}"})
        return redirect("backoffice:excel_preview", token=token)
    _remove(token)
    if meta["kind"] == imports.TRAINING:
        done = ngettext("已匯入 %(count)s 筆教育訓練（檔案：%(file)s）。", "已匯入 %(count)s 筆教育訓練（檔案：%(file)s）。",
                        outcome.created)
    else:
        done = ngettext("已匯入 %(count)s 筆服務時數（檔案：%(file)s）。", "已匯入 %(count)s 筆服務時數（檔案：%(file)s）。",
                        outcome.created)
    messages.success(request, done % {"count": f"{outcome.created:,}", "file": meta["file_name"]})
    return redirect(f"{reverse('backoffice:excel')}?unit={unit.pk}")


@staff_required
@require_POST
def excel_cancel(request, token):
    meta = _load(request, token)
    if meta is not None:
        _remove(token)
        messages.success(request, _("已取消這次匯入，沒有寫入任何資料。"))
    return redirect("backoffice:excel")


@staff_required
@require_http_methods(["POST"])
def excel_export(request):
    unit = current_unit(request)
    form = ExportForm(request.POST)
    if not form.is_valid():
        return _render_home(request, unit, export_form=form)
    kind, file_format = form.cleaned_data["kind"], form.cleaned_data["format"]
    start, end, full_id = form.cleaned_data["start"], form.cleaned_data["end"], form.cleaned_data["full_id"]
    count = exports.export_queryset(kind, unit, start, end).count()
    audit.record(
        "records.export.downloaded",
        actor=request.user,
        unit=unit,
        changes={
            "kind": kind, "format": file_format, "count": count, "full_id": full_id,
            "start": rocdate.format(start), "end": rocdate.format(end),
        },
        request=request,
    )
    header = exports.export_header(kind)
    rows = exports.export_rows(kind, unit, full_id=full_id, start=start, end=end)
    name = exports.export_file_name(kind, unit, file_format, timezone.localdate())
    if file_format == "csv":
        response = StreamingHttpResponse(exports.csv_chunks(header, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, name)
    else:
        response = FileResponse(exports.write_xlsx(kind, header, rows), as_attachment=True, filename=name,
                                content_type=exports.XLSX_CONTENT_TYPE)
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------------------------------------------
# The stored upload


def _paths(token):
    folder = import_dir()
    return {"file": folder / f"{token}.xlsx", "meta": folder / f"{token}.json", "lock": folder / f"{token}.lock"}


def _summary(check):
    rows = []
    for row in check.rows:
        cells = list(row.cells)
        if cells:
            cells[0] = masking.mask_id(cells[0])  # column 1 is always the ID number
        rows.append([row.line, row.status, cells, row.errors, row.warnings])
    return {
        "rows": rows,
        "notices": check.notices,
        "error_count": check.error_count,
        "warning_count": check.warning_count,
        "sha256": check.sha256,
    }


def _store(request, unit, kind, file_name, data, check):
    _sweep_expired()
    token = secrets.token_urlsafe(24)
    paths = _paths(token)
    paths["file"].write_bytes(data)
    _write_meta(token, {
        "user": request.user.pk, "unit": unit.pk, "kind": kind, "file_name": file_name,
        "size": len(data), "created": time.time(), **_summary(check),
    })
    return token


def _write_meta(token, meta):
    path = _paths(token)["meta"]
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(meta, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(temporary, path)


def _load(request, token):
    """The stored upload's sidecar if it belongs to this user and a unit they manage; 404 otherwise.

    None if it has expired (the files are removed).
    """
    if not _TOKEN.match(token or ""):
        raise Http404
    path = _paths(token)["meta"]
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        raise Http404(_("找不到這次上傳，可能已匯入或已取消。")) from None
    if meta.get("user") != request.user.pk or not access.managed_units(request.user).filter(pk=meta.get("unit")).exists():
        raise Http404
    if time.time() - meta["created"] > IMPORT_TTL_SECONDS:
        _remove(token)
        return None
    return meta


def _expired(request):
    messages.warning(request, _("預覽已超過 %(minutes)s 分鐘，為保護個人資料已刪除暫存檔。請重新上傳。") % {
        "minutes": IMPORT_TTL_SECONDS // 60})
    return redirect("backoffice:excel")


def _discard(request, token):
    """Uploading a corrected file replaces the previous upload of the same person."""
    if not token or not _TOKEN.match(token):
        return
    try:
        meta = json.loads(_paths(token)["meta"].read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return
    if meta.get("user") == request.user.pk:
        _remove(token)


def _remove(token):
    for path in _paths(token).values():
        path.unlink(missing_ok=True)


def _sweep_expired():
    cutoff = time.time() - IMPORT_TTL_SECONDS - 60
    for path in import_dir().iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except FileNotFoundError:
            continue
