"""Excel 匯入匯出: templates, upload → preview (every row, its problems) → confirm (all or nothing), export.

Between the preview and the import the file waits in `records.staging` (a private store under a random
token, for the person who uploaded it, for 30 minutes); confirming imports that same file, checked again.
"""

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from volnet.audit import log as audit
from volnet.audit.models import AuditEntry
from volnet.forms import RocDateField, RocDateInput
from volnet.http import client_ip
from volnet.lib import rocdate, spreadsheets
from volnet.records import exports, imports, staging
from volnet.staffweb import current_unit, remember_unit, staff_required
from volnet.units import access
from volnet.uploads import accepts_uploads

EXPORT_CHOICES = [(imports.SERVICE, gettext_lazy("服務時數")), (imports.TRAINING, gettext_lazy("教育訓練"))]


def kind_choices():
    """Every kind of import (records.imports.KINDS: hours, training, insurance, volunteers), in the reader's
    language."""
    return [(kind.key, kind.label) for kind in imports.KINDS.values()]


FORMAT_CHOICES = [("xlsx", gettext_lazy("Excel（.xlsx）")), ("ods", gettext_lazy("ODF 試算表（.ods）"))]


def max_upload_bytes():
    """The largest Excel file one may upload: UPLOAD_MAX_BYTES (the environment's UPLOAD_MAX_MB)."""
    return settings.UPLOAD_MAX_BYTES


# ---------------------------------------------------------------------------------------------------
# Forms


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("匯入類別"), choices=kind_choices, initial=imports.SERVICE,
                             widget=forms.RadioSelect)
    file = forms.FileField(
        label=gettext_lazy("試算表檔案（.xlsx 或 .ods）"),
        widget=forms.ClearableFileInput(attrs={
            "accept": ".xlsx,.ods,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
                      "application/vnd.oasis.opendocument.spreadsheet",
        }),
        error_messages={"required": gettext_lazy("請選擇要上傳的試算表檔案（.xlsx 或 .ods）。"),
                        "empty": gettext_lazy("檔案是空的（0 位元組）。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("請使用下載的範本填寫。檔案大小上限 %(mb)s MB。") % {
            "mb": max_upload_bytes() // (1024 * 1024)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_upload_bytes():
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
        "size": size / (1024 * 1024), "limit": max_upload_bytes() // (1024 * 1024)}


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("匯出資料"), choices=EXPORT_CHOICES, initial=imports.SERVICE,
                             widget=forms.RadioSelect)
    format = forms.ChoiceField(label=gettext_lazy("檔案格式"),
                               choices=[*FORMAT_CHOICES, ("csv", gettext_lazy("CSV（UTF-8）"))],
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
        "max_mb": max_upload_bytes() // (1024 * 1024),
        "kinds": imports.KINDS.values(),
        "recent": [
            {
                "at": entry.at,
                "actor": entry.actor.name if entry.actor else "",
                "kind": _kind_label(entry.changes.get("kind")),
                "count": entry.changes.get("count", 0),
                "file_name": entry.changes.get("file_name", ""),
                "source": _("指令") if entry.changes.get("source") == "command" else _("網頁"),
            }
            for entry in recent
        ],
    }
    return render(request, "backoffice/excel/home.html", context, status=status)


def _kind_label(key):
    kind = imports.KINDS.get(key)
    return kind.label if kind else ""


@staff_required
@require_GET
def excel_template(request, kind, file_format="xlsx"):
    if kind not in imports.KINDS or file_format not in spreadsheets.FORMATS:
        raise Http404
    response = HttpResponse(exports.build_template(kind, file_format),
                            content_type=spreadsheets.content_type(file_format))
    response["Content-Disposition"] = content_disposition_header(
        True, f"{imports.KINDS[kind].template_name}.{file_format}")
    return response


@accepts_uploads(max_upload_bytes)
@staff_required
@require_POST
def excel_upload(request):
    unit = current_unit(request)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_home(request, unit, upload_form=form)
    try:
        check = imports.validate(form.sheet, unit)
    except imports.ImportFileError as error:  # e.g. a unit no longer in operation
        form.add_error(None, error.message)
        return _render_home(request, unit, upload_form=form)
    token = staging.stage(user=request.user, unit=unit, kind=form.cleaned_data["kind"], file_name=form.file_name,
                          data=form.data_bytes, check=check, replaces=request.POST.get("replaces"))
    return redirect("backoffice:excel_preview", token=token)


def _staged(request, token):
    """The stored upload and its unit (made the page's unit); 404 for someone else's, None once expired."""
    staged = staging.load_for_page(request, token)
    if staged is None:
        return None, None
    unit = access.managed_units(request.user).filter(pk=staged.unit_id).first()
    if unit is None:
        raise Http404(_("沒有這個單位，或您沒有管理它的權限。"))
    remember_unit(request, unit)  # the page works on the upload's unit
    return staged, unit


@staff_required
@require_GET
def excel_preview(request, token):
    staged, unit = _staged(request, token)
    if staged is None:
        return redirect("backoffice:excel")
    if staging.job(staged) is not None:  # confirmed: its progress, then its outcome
        return redirect("backoffice:excel_progress", token=token)
    columns = [column.title for column in imports.COLUMNS[staged.kind]]
    return render(request, "backoffice/excel/preview.html", {
        **staging.preview_context(request, staged, columns),
        "menu": "excel",
        "unit": unit,
        "kind_label": _kind_label(staged.kind),
        "upload_form": UploadForm(initial={"kind": staged.kind}),
        "max_mb": max_upload_bytes() // (1024 * 1024),
    })


@staff_required
@require_POST
def excel_confirm(request, token):
    """The import runs in a worker (records.staging.queue_commit); the progress page follows it."""
    staged, unit = _staged(request, token)
    if staged is None:
        return redirect("backoffice:excel")
    try:
        staging.queue_commit(staged, unit=unit, user=request.user, ip=client_ip(request))
    except imports.ImportFileError as error:
        messages.warning(request, error.message)
        return redirect(f"{reverse('backoffice:excel')}?unit={unit.pk}")
    return redirect("backoffice:excel_progress", token=token)


@staff_required
@require_GET
@never_cache
def excel_progress(request, token):
    """匯入進度: while the worker imports, how far it is (a page to reload, which JavaScript reloads by itself,
    or ?format=json); then its outcome, said on the page it leads to."""
    staged, unit = _staged(request, token)
    if staged is None:
        return redirect("backoffice:excel")
    job = staging.job(staged)
    if job is None:
        return redirect("backoffice:excel_preview", token=token)
    if request.GET.get("format") == "json":
        return JsonResponse({key: job.get(key) for key in ("state", "done", "total", "percent")})
    if job["state"] in staging.RUNNING:
        return render(request, "backoffice/excel/progress.html", {
            "menu": "excel", "unit": unit, "meta": staged.meta, "token": token, "job": job,
            "kind_label": _kind_label(staged.kind)})
    return _outcome(request, staged, unit, job)


def _outcome(request, staged, unit, job):
    home = f"{reverse('backoffice:excel')}?unit={unit.pk}"
    if job["state"] == "failed":
        staging.remove(staged.token)
        messages.error(request, _("沒有匯入任何資料：%(problem)s") % {"problem": job["message"]})
        return redirect(home)
    if job["state"] == "refused":
        staged.meta.pop("job")
        staging.save_meta(staged)
        messages.error(request, ngettext(
            "資料在預覽後有變動，有 %(count)s 列現在不能匯入，沒有匯入任何資料。請看下表修正後重新上傳。",
            "資料在預覽後有變動，有 %(count)s 列現在不能匯入，沒有匯入任何資料。請看下表修正後重新上傳。",
            job["errors"],
        ) % {"count": f"{job['errors']:,}"})
        return redirect("backoffice:excel_preview", token=staged.token)
    staging.remove(staged.token)
    done = imports.KINDS[staged.kind].done(job["created"])
    messages.success(request, done % {**job.get("summary", {}), "count": f"{job['created']:,}",
                                      "file": staged.meta["file_name"]})
    return redirect(home)


@staff_required
@require_POST
def excel_cancel(request, token):
    try:
        staging.load(token, request.user)
    except imports.ImportFileError as error:
        if error.code != "expired":  # an expired upload is already gone
            raise Http404(error.message) from None
    else:
        staging.remove(token)
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
        response = FileResponse(exports.write_export(kind, header, rows, file_format), as_attachment=True,
                                filename=name, content_type=spreadsheets.content_type(file_format))
    response["Cache-Control"] = "no-store"
    return response
