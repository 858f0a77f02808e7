"""我的資料下載 and 核發文件: what the site holds about the signed-in person, and the documents issued to them."""


from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_ratelimit.core import _split_rate

from volnet.accounts import services as account_services
from volnet.accounts import throttle
from volnet.documents import services as documents
from volnet.paging import paginate
from volnet.portal import mydata
from volnet.portal.forms import MyDataForm

PER_PAGE = 20


def _limit():
    """(downloads, minutes) of the allowance, for the page to say."""
    count, seconds = _split_rate(throttle.rate(mydata.THROTTLE))
    return count, max(1, seconds // 60)


def _page(request, form, status=200):
    count, minutes = _limit()
    return render(request, "portal/my_data.html", {
        "menu": "my_data", "form": form, "sections": mydata.SECTIONS, "limit": count, "minutes": minutes,
    }, status=status)


@sensitive_post_parameters("password")
@never_cache
@login_required
def my_data(request):
    if request.method != "POST":
        return _page(request, MyDataForm())
    form = MyDataForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    verdict = mydata.throttled(request)
    if verdict.blocked:
        count, minutes = _limit()
        form.add_error(None, _("下載次數已達上限（每 %(minutes)s 分鐘 %(count)s 次），請 %(wait)s 分鐘後再試。")
                       % {"minutes": minutes, "count": count, "wait": verdict.minutes_left})
        return _page(request, form, status=429)
    try:
        account_services.confirm_password(request, request.user, form.cleaned_data["password"])
    except account_services.AccountError as error:
        form.add_domain_error(error)
        return _page(request, form, status=400)
    handle = mydata.download(request.user, request=request)
    name = f"volnet-my-data-{timezone.localdate():%Y%m%d}.zip"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@login_required
def issued_documents(request):
    page = paginate(request, documents.issued_to(request.user).order_by("-issued_at", "-id"), PER_PAGE, query="")
    return render(request, "portal/documents.html", {"menu": "documents", "page": page})
