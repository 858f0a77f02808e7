"""單位邀請: the units that asked the person to join (or that created the account and ask to be
confirmed), and the person's answer. Every query starts from request.user; someone else's request is a
404 (people.services.answer_request only finds the person's own)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from volnet.desk import services as desk
from volnet.people import services as people
from volnet.records.models import Consent, ServiceRecord, TrainingRecord


def _waiting_entries(person, requests):
    """{unit id: (service records, trainings)} the asking units entered meanwhile (domain.md §9.12)."""
    counts = {m.unit_id: [0, 0] for m in requests}
    for position, model in enumerate((ServiceRecord, TrainingRecord)):
        for unit_id in model.objects.filter(volunteer=person, unit_id__in=counts, consent=Consent.AWAITING
                                            ).values_list("unit_id", flat=True):
            counts[unit_id][position] += 1
    return counts


@never_cache
@login_required
def unit_requests(request):
    requests = list(people.open_requests(request.user))
    waiting = _waiting_entries(request.user, requests)
    for membership in requests:
        membership.services_waiting, membership.trainings_waiting = waiting[membership.unit_id]
    return render(request, "portal/unit_requests.html", {
        "menu": "unit_requests", "requests": requests, "staff_invitations": desk.open_invitations(request.user)})


@never_cache
@login_required
@require_POST
def answer_unit_request(request, pk):
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):
        return redirect("portal:unit_requests")
    membership = people.open_requests(request.user).filter(pk=pk).first()
    if membership is None:
        raise Http404(_("找不到這個邀請，或您已經回覆過了。"))
    if answer == "decline" and request.POST.get("confirmed") != "yes":
        # Declining ends the membership: one more question, so a slip of the finger is not final.
        return render(request, "portal/unit_request_decline.html", {"menu": "unit_requests", "membership": membership})
    try:
        people.answer_request(person=request.user, membership_id=pk, accept=answer == "accept", request=request)
    except people.PeopleError as error:
        raise Http404(error.message) from None
    if answer == "accept":
        messages.success(request, _("您已同意加入 %(unit)s。這個單位為您登錄的紀錄，從現在起列入統計。") % {
            "unit": membership.unit.label})
    else:
        messages.success(request, _("您已婉拒 %(unit)s。這個單位不能再管理您的帳號；"
                                    "它登錄的紀錄會標示為您未同意，不列入統計。") % {"unit": membership.unit.label})
    return redirect("portal:unit_requests")
