"""製作檔案: a download made by the worker (records.filejobs), its progress, then the file, for the person who
asked for it only (anyone else: 404). Like the import's progress page, it is a page to reload (its link), which
JavaScript (backoffice/progress.js, reading ?format=json) reloads by itself once the file is made."""

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from volnet.records import filejobs, staging
from volnet.staffweb import staff_required


def _job(request, token):
    job = filejobs.load(token, request.user)
    if job is None:
        raise Http404(_("找不到這個檔案，可能已超過保存時間，請重新下載。"))
    return job


@staff_required
@require_GET
@never_cache
def file_job(request, token):
    job = _job(request, token)
    if request.GET.get("format") == "json":
        return JsonResponse({key: job["job"].get(key) for key in ("state", "done", "total", "percent")})
    return render(request, "backoffice/file_job.html", {
        "token": token, "meta": job, "job": job["job"], "running": job["job"]["state"] in filejobs.RUNNING,
        "minutes": staging.ttl_seconds() // 60})


@staff_required
@require_GET
@never_cache
def file_job_download(request, token):
    job = _job(request, token)
    if job["job"]["state"] != "done":
        raise Http404(_("找不到這個檔案，可能已超過保存時間，請重新下載。"))
    try:
        handle = filejobs.file_path(token).open("rb")
    except FileNotFoundError:
        raise Http404(_("找不到這個檔案，可能已超過保存時間，請重新下載。")) from None
    response = FileResponse(handle, as_attachment=True, content_type=job["content_type"], filename=job["file_name"])
    response["Cache-Control"] = "no-store"
    return response
