"""The honor card after issue: 掛失 (the volunteer), 榮譽卡管理 with 補發 and 註銷 (the issuing authority)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from volnet.accounts.queries import people_filter
from volnet.honorcard import lifecycle
from volnet.honorcard.models import HonorCard
from volnet.honorcard.services import HonorCardError
from volnet.http import int_or_none
from volnet.paging import paginate
from volnet.staffweb import authority_required

STATUS_FILTERS = [("", gettext_lazy("全部")), *HonorCard.Status.choices]


@login_required
@require_POST
def report_lost(request):
    """掛失: the volunteer's card (and every QR code of it) stops at once."""
    card = HonorCard.objects.filter(pk=int_or_none(request.POST.get("card")), volunteer=request.user).first()
    if card is None:
        raise Http404(gettext("找不到這張榮譽卡。"))
    try:
        lifecycle.report_lost(volunteer=request.user, card=card, request=request)
        messages.success(request, gettext("已掛失榮譽卡 %(number)s，這張卡與它的 QR code 已立即停用。"
                                          "請洽%(authority)s補發新卡。") % {"number": card.number,
                                                                     "authority": card.authority.name})
    except HonorCardError as refusal:
        messages.error(request, refusal.message)
    return redirect("honorcard:card")


@authority_required
def cards(request):
    """榮譽卡管理: the cards of the clerk's authorities, found by name, ID number or card number."""
    text = (request.GET.get("q") or "").strip()[:40]
    status = request.GET.get("status") if request.GET.get("status") in HonorCard.Status.values else ""
    found = lifecycle.authority_cards(request.user).select_related("volunteer", "authority")
    if text:
        found = found.filter(people_filter(text, prefix="volunteer__") | Q(number__iexact=text))
    if status:
        found = found.filter(status=status)
    return render(request, "honorcard/cards.html", {
        "menu": "honor_applications", "text": text, "status": status, "status_filters": STATUS_FILTERS,
        "page": paginate(request, found.order_by("-issued_at", "-pk")),
    })


@authority_required
@require_http_methods(["GET", "POST"])
def card_manage(request, pk):
    """One card: its life so far, and 補發 or 註銷 with a reason."""
    card = lifecycle.authority_cards(request.user).select_related("volunteer", "authority").filter(pk=pk).first()
    if card is None:
        raise Http404(gettext("找不到這張榮譽卡，或您沒有權限。"))
    error = {}
    action = request.POST.get("action")
    if request.method == "POST" and action in ("replace", "revoke"):
        reason = request.POST.get("reason", "")
        try:
            if action == "replace":
                new = lifecycle.replace_card(actor=request.user, card=card, reason=reason, request=request)
                messages.success(request, gettext("已補發新卡 %(new)s，舊卡 %(old)s 與它的 QR code 已停用。")
                                 % {"new": new.number, "old": card.number})
                return redirect("honorcard:card_manage", new.pk)
            lifecycle.revoke_card(actor=request.user, card=card, reason=reason, request=request)
            messages.success(request, gettext("已註銷榮譽卡 %(number)s。") % {"number": card.number})
            return redirect("honorcard:card_manage", card.pk)
        except HonorCardError as refusal:
            error = {"action": action, "message": refusal.message, "reason": reason}
    return render(request, "honorcard/card_manage.html", {
        "menu": "honor_applications", "card": card, "events": card.events.select_related("actor"),
        "error": error, "back_url": reverse("honorcard:cards"),
    }, status=400 if error else 200)
