"""The public verification page: anyone holding a document types its code or scans its QR code and sees what
it certified (masked name and ID, issuer, date, totals, the file's fingerprint) and whether it still stands.
No sign-in; throttled per client address; never a full ID number."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from volnet.accounts import throttle
from volnet.accounts.services import throttle_message
from volnet.documents import codes, services
from volnet.documents.forms import CodeForm
from volnet.documents.models import Document


def _private(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _throttled(request):
    for name in ("document_check_ip", "document_unknown_ip"):
        limit = throttle.check(request, name)
        if limit.blocked:  # refused before any code is looked at
            return _private(render(request, "documents/throttled.html", {"message": throttle_message(limit)},
                                   status=429))
    return None


@never_cache
@require_GET
def lookup(request):
    """The form: a typed code goes to its page; a code that cannot be one says so beside the field."""
    form = CodeForm(request.GET if "code" in request.GET else None)
    if form.is_valid():
        return redirect("documents:verify", codes.display(form.cleaned_data["code"]))
    return _private(render(request, "documents/lookup.html", {"form": form}))


@never_cache
@require_GET
def verify(request, code):
    refused = _throttled(request)
    if refused is not None:
        return refused
    throttle.hit(request, "document_check_ip")
    document = services.find(code)
    if document is None:
        throttle.hit(request, "document_unknown_ip")
        form = CodeForm({"code": code[:80]})
        form.is_valid()
        form.add_error("code", gettext("查無此驗證碼。請對照文件再輸入一次；若確認無誤，這份文件不是本網站核發的。"))
        return _private(render(request, "documents/lookup.html", {"form": form, "unknown": True}, status=404))
    return _private(render(request, "documents/verify.html", {"document": document, "Status": Document.Status}))
