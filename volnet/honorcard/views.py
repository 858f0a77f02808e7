"""The 電子榮譽卡 (volunteer), the venue check (public) and the applications desk (staff)."""

import re

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from volnet.accounts import throttle
from volnet.accounts.queries import people_filter
from volnet.accounts.services import throttle_message
from volnet.eligibility import engine
from volnet.eligibility.models import rule_text
from volnet.honorcard import lifecycle, queries, services
from volnet.honorcard.models import AwardApplication, CardCheck, CardToken, HonorCard, HonorCardApplication
from volnet.http import client_ip, int_or_none, safe_next
from volnet.lib import masking, rocdate
from volnet.paging import paginate
from volnet.staffweb import current_unit, posted_unit, staff_required
from volnet.units import access

Verdict = CardCheck.Verdict
PHOTO_SALT = "honorcard.check-photo"
PHOTO_SECONDS = 10 * 60

# Link previewers and crawlers fetch a URL as soon as it is pasted into a chat: they must not use up
# the code. LINE's in-app browser says "Line/13.x" and is a person, so only a bare "Line" counts.
PREVIEWERS = re.compile(
    r"slackbot|slack-imgproxy|facebookexternalhit|facebot|whatsapp|telegrambot|line-poker|\bline\b(?!/)|"
    r"discordbot|twitterbot|linkedinbot|skypeuripreview|embedly|pinterest|redditbot|vkshare|"
    r"googlebot|bingbot|applebot|bot\b|crawler|spider|preview",
    re.IGNORECASE,
)


# ------------------------------------------------------------------------------------------ volunteer


def qr_svg(url):
    """The QR code as inline SVG: black on white with the quiet zone, sized by CSS, named for screen readers."""
    name = gettext("榮譽卡驗證 QR code")
    svg = segno.make(url, error="m").svg_inline(
        scale=1, border=4, dark="#000", light="#fff", omitsize=True, svgclass="qr__image", lineclass=None,
        title=name,
    )
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(name)}" ', 1))


def check_url(raw):
    return settings.SITE_URL.rstrip("/") + reverse("honorcard:check", args=[raw])


@never_cache
@login_required
@require_GET
def card(request):
    """The volunteer's 電子榮譽卡: a fresh QR code on every visit, the previous one voided."""
    today = timezone.localdate()
    current = HonorCard.objects.select_related("authority").current_for(request.user, today)
    context = {"menu": "card"}
    if current is not None:
        raw, token = services.issue_token(current)
        context.update(
            card=current,
            token=token,
            qr=qr_svg(check_url(raw)),
            lifetime=int(services.token_lifetime().total_seconds()),
            lifetime_minutes=round(services.token_lifetime().total_seconds() / 60),
            history=CardCheck.objects.filter(card__volunteer=request.user).exclude(verdict=Verdict.UNKNOWN)[:20],
            life=lifecycle.life_of(request.user),
        )
        return render(request, "honorcard/card.html", context)

    evaluation = queries.evaluate_volunteer(request.user, today)
    context.update(
        today=today,
        result=evaluation.honor_card,
        window_end=evaluation.window_end,
        last_card=HonorCard.objects.filter(volunteer=request.user).order_by("-valid_to").first(),
        pending=HonorCardApplication.objects.filter(volunteer=request.user, status=HonorCardApplication.Status.PENDING)
        .select_related("unit", "authority").first(),
        history=CardCheck.objects.filter(card__volunteer=request.user).exclude(verdict=Verdict.UNKNOWN)[:20],
        life=lifecycle.life_of(request.user),
    )
    return render(request, "honorcard/no_card.html", context)


@login_required
@require_POST
def refresh(request):
    """【刷新 QRcode】: void every code still usable; the card page then shows a new one."""
    current = HonorCard.objects.current_for(request.user)
    if current is not None:
        services.void_tokens(current)
        messages.success(request, gettext("已產生新的 QR code，先前的 QR code 已失效。"))
    return redirect("honorcard:card")


@never_cache
@login_required
@require_GET
def token_status(request, pk):
    """For the card page's script: is the code on screen still usable? Only the owner may ask."""
    token = CardToken.objects.filter(pk=pk, card__volunteer=request.user).first()
    if token is None:
        raise Http404(gettext("找不到這個 QR code。"))
    now = timezone.now()
    state = token.state(now)
    remaining = max(0, int((token.expires_at - now).total_seconds())) if state == "live" else 0
    return JsonResponse({"state": state, "remaining": remaining})


# ------------------------------------------------------------------------------------------ venue


def is_preview(request):
    if request.method == "HEAD":
        return True
    purpose = " ".join(request.headers.get(name, "") for name in ("Sec-Purpose", "Purpose", "X-Purpose", "X-Moz"))
    if re.search(r"prefetch|prerender|preview", purpose, re.IGNORECASE):
        return True
    return bool(PREVIEWERS.search(request.headers.get("User-Agent", "")))


def _private(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def check(request, token):
    """The venue check, public. A GET from a person (or the POST of the neutral page) checks and uses the
    code; HEAD requests, prefetches and link previewers get a neutral page and use nothing."""
    if request.method != "POST" and is_preview(request):
        return _private(render(request, "honorcard/check_neutral.html", {"token": token}))
    for name in ("venue_check_ip", "venue_unknown_ip"):
        limit = throttle.check(request, name)
        if limit.blocked:  # refused before the code is looked at: nobody's code is used up
            context = {"message": throttle_message(limit)}
            return _private(render(request, "honorcard/check_throttled.html", context, status=429))
    throttle.hit(request, "venue_check_ip")
    outcome = services.check_token(token, ip=client_ip(request), user_agent=request.headers.get("User-Agent", ""))
    if outcome.verdict == Verdict.UNKNOWN:
        throttle.hit(request, "venue_unknown_ip")
    context = {"outcome": outcome, "verdict": outcome.verdict, "Verdict": Verdict, "checked_at": outcome.check.at}
    if outcome.is_valid:
        volunteer = outcome.card.volunteer
        context.update(
            card=outcome.card,
            masked_name=masking.mask_name(volunteer.name),
            photo_url=reverse("honorcard:check_photo", args=[signing.dumps(outcome.check.pk, salt=PHOTO_SALT)])
            if volunteer.photo else "",
        )
    elif outcome.token is not None and outcome.verdict == Verdict.USED:
        context["used_at"] = outcome.token.used_at
    return _private(render(request, "honorcard/check.html", context))


@never_cache
@require_GET
def check_photo(request, signed):
    """The photo on a 有效 verdict page, for 10 minutes after the check, through a signed link."""
    try:
        pk = signing.loads(signed, salt=PHOTO_SALT, max_age=PHOTO_SECONDS)
    except signing.BadSignature:
        raise Http404(gettext("連結已失效。")) from None
    check_row = CardCheck.objects.filter(pk=pk, verdict=Verdict.VALID).select_related("card__volunteer").first()
    if check_row is None or not check_row.card.volunteer.photo:
        raise Http404(gettext("沒有照片。"))
    try:
        handle = check_row.card.volunteer.photo.open("rb")
    except FileNotFoundError:
        raise Http404(gettext("找不到照片檔案。")) from None
    return _private(FileResponse(handle, content_type="image/jpeg"))


# ------------------------------------------------------------------------------------------ staff

KINDS = {"card": HonorCardApplication, "award": AwardApplication}
STATUS_FILTERS = [
    ("pending", _("審核中")),
    ("approved", _("已核准")),
    ("rejected", _("已駁回")),
    ("cancelled", _("已撤回")),
    ("all", _("全部")),
]


@staff_required
@require_POST
def apply(request):
    """申請 from the 資格查詢 list: a unit applies for one of its volunteers."""
    unit = posted_unit(request)
    volunteer_id = int_or_none(request.POST.get("volunteer"))
    membership = access.unit_members(request.user, unit).filter(volunteer_id=volunteer_id).first()
    if membership is None:
        raise Http404(gettext("此單位沒有這位服務中的志工。"))
    kind = request.POST.get("kind")
    volunteer = membership.volunteer
    try:
        if kind == "honor_card":
            services.apply_for_card(actor=request.user, volunteer=volunteer, unit=unit, request=request)
            messages.success(request, gettext("已為 %(name)s 提出榮譽卡申請，待%(authority)s審核。") % {
                "name": volunteer.name, "authority": services.card_authority(unit).name})
        elif kind in engine.AWARD_SCHEMES:
            application = services.apply_for_award(actor=request.user, volunteer=volunteer, unit=unit, scheme=kind,
                                                   request=request)
            messages.success(request, gettext("已為 %(name)s 提出%(award)s申請，待%(authority)s審核。") % {
                "name": volunteer.name, "award": application.rule.display_name,
                "authority": application.authority.name})
        else:
            raise Http404(gettext("沒有這種申請。"))
    except services.HonorCardError as error:
        messages.error(request, gettext("%(name)s：%(message)s") % {"name": volunteer.name, "message": error.message})
    return redirect(safe_next(request, request.POST.get("next"), reverse("eligibility:query")))


def _desk(request):
    """(mode, unit, applications scope per kind). Authority staff review what their authority decides;
    unit staff see their current unit's applications."""
    if access.is_authority_staff(request.user):
        authorities = access.authorities_of(request.user)
        return "review", None, {
            kind: access.managed_records(request.user, model).filter(authority__in=authorities)
            for kind, model in KINDS.items()
        }
    unit = current_unit(request)
    return "unit", unit, {kind: access.managed_records(request.user, model).filter(unit=unit)
                          for kind, model in KINDS.items()}


def _render_desk(request, kind=None, error=None, status=200):
    mode, unit, scopes = _desk(request)
    kind = kind or (request.GET.get("kind") if request.GET.get("kind") in KINDS else "card")
    state = request.GET.get("status") if request.GET.get("status") in dict(STATUS_FILTERS) else "pending"
    text = (request.GET.get("q") or "").strip()[:40]
    applications = scopes[kind].select_related("volunteer", "unit", "authority", "applied_by", "decided_by")
    applications = (applications.select_related("card") if kind == "card"
                    else applications.select_related("rule", "award"))
    if state != "all":
        applications = applications.filter(status=state)
    if text:
        applications = applications.filter(people_filter(text, prefix="volunteer__"))
    review_units = []
    from_unit = None
    if mode == "review":
        # The layout's unit switcher does not narrow the review desk; this filter does.
        review_units = list(access.managed_units(request.user).filter(authority__in=access.authorities_of(request.user))
                            .order_by("code", "name"))
        from_unit = next((u for u in review_units if u.pk == int_or_none(request.GET.get("from_unit"))), None)
        if from_unit is not None:
            applications = applications.filter(unit=from_unit)
    order = ["applied_at", "id"] if state == "pending" else ["-applied_at", "-id"]
    counts = {key: scope.filter(status="pending").count() for key, scope in scopes.items()}
    return render(request, "honorcard/applications.html", {
        "menu": "honor_applications",
        "mode": mode,
        "unit": unit,
        "kind": kind,
        "state": state,
        "text": text,
        "status_filters": STATUS_FILTERS,
        "pending_counts": counts,
        "review_units": review_units,
        "from_unit": from_unit,
        "page": paginate(request, applications.order_by(*order)),
        "error": error or {},
    }, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def applications(request):
    """榮譽卡與獎勵申請: pending and decided applications; cancel (unit), approve or reject (authority)."""
    if request.method == "GET":
        return _render_desk(request)
    kind = request.POST.get("kind")
    model = KINDS.get(kind)
    action = request.POST.get("action")
    if model is None or action not in ("approve", "reject", "cancel"):
        raise Http404(gettext("沒有這個動作。"))
    pk = int_or_none(request.POST.get("application"))
    application = access.managed_records(request.user, model).filter(pk=pk).first()
    if application is None:
        raise Http404(gettext("找不到這筆申請，或您沒有權限。"))
    try:
        if action == "cancel":
            services.cancel_application(actor=request.user, application=application, request=request)
            messages.success(request, gettext("已撤回 %(name)s 的申請。") % {"name": application.volunteer.name})
        elif action == "reject":
            services.reject_application(actor=request.user, application=application, note=request.POST.get("note"),
                                        request=request)
            messages.success(request, gettext("已駁回 %(name)s 的申請，申請單位會看到駁回原因。") % {
                "name": application.volunteer.name})
        elif kind == "card":
            issued = services.approve_card_application(actor=request.user, application=application, request=request)
            messages.success(request, gettext("已核准並核發榮譽卡 %(number)s（有效期間 %(valid)s）給 %(name)s。") % {
                "number": issued.number, "valid": rocdate.format_range(issued.valid_from, issued.valid_to),
                "name": application.volunteer.name})
        else:
            award = services.approve_award_application(actor=request.user, application=application,
                                                       certificate_number=request.POST.get("certificate_number"),
                                                       request=request)
            messages.success(request, gettext("已核准 %(name)s 的%(award)s，已記入獎勵紀錄。") % {
                "name": application.volunteer.name, "award": rule_text(award.name)})
    except services.HonorCardError as refusal:
        error = {"pk": application.pk, "message": refusal.message, "note": request.POST.get("note", ""),
                 "certificate_number": request.POST.get("certificate_number", "")}
        return _render_desk(request, kind=kind, error=error, status=400)
    return redirect(reverse("honorcard:applications") + f"?kind={kind}")
